using CloneAI.Core.Domain;

namespace CloneAI.Core.Ports;

/// <summary>Users. Replace fails with <see cref="Errors.ConflictException"/> when the ETag no longer matches.</summary>
public interface IUserStore
{
    Task<User?> GetAsync(string id, CancellationToken cancellationToken = default);
    Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken = default);
    /// <summary>Creates the user; throws <see cref="Errors.ConflictException"/> when the id or email exists.</summary>
    Task<User> CreateAsync(User user, CancellationToken cancellationToken = default);
    Task<User> ReplaceAsync(User user, CancellationToken cancellationToken = default);
}

/// <summary>Clones, including the marketplace queries over published ones.</summary>
public interface ICloneStore
{
    Task<Clone?> GetAsync(string id, CancellationToken cancellationToken = default);
    Task<Clone?> GetBySlugAsync(string slug, CancellationToken cancellationToken = default);
    /// <summary>Creates the clone; throws <see cref="Errors.ConflictException"/> when the slug is taken.</summary>
    Task<Clone> CreateAsync(Clone clone, CancellationToken cancellationToken = default);
    /// <summary>Replaces the clone when <see cref="Clone.ETag"/> still matches; a changed slug is re-reserved.</summary>
    Task<Clone> ReplaceAsync(Clone clone, string? previousSlug, CancellationToken cancellationToken = default);
    Task<Page<Clone>> SearchPublishedAsync(MarketplaceQuery query, CancellationToken cancellationToken = default);
    Task<Page<Clone>> ListByOwnerAsync(string ownerId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);
    Task<bool> PingAsync(CancellationToken cancellationToken = default);
}

public sealed record BlobContent(byte[] Data, string ContentType);

public interface IBlobStore
{
    Task PutAsync(string path, byte[] data, string contentType, CancellationToken cancellationToken = default);
    Task<BlobContent?> GetAsync(string path, CancellationToken cancellationToken = default);
    Task DeleteAsync(string path, CancellationToken cancellationToken = default);
    /// <summary>Deletes every blob whose path starts with <paramref name="prefix"/> (which ends with '/').</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default);
}

public sealed record EmailMessage(string To, string Subject, string TextBody, string HtmlBody)
{
    /// <summary>Optional idempotency key: an email service that honours keys sends a message with a given key once.</summary>
    public string? Key { get; init; }
}

public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}
