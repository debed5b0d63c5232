using CloneAI.Core.Domain;

namespace CloneAI.Core.Users;

/// <summary>Users. Replace fails with <see cref="Errors.ConflictException"/> when the ETag no longer matches.</summary>
public interface IUserStore
{
    Task<User?> GetAsync(string id, CancellationToken cancellationToken = default);
    Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken = default);
    /// <summary>Creates the user; throws <see cref="Errors.ConflictException"/> when the id or email exists.</summary>
    Task<User> CreateAsync(User user, CancellationToken cancellationToken = default);
    Task<User> ReplaceAsync(User user, CancellationToken cancellationToken = default);
}
