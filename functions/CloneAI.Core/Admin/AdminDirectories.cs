using CloneAI.Core.Domain;

namespace CloneAI.Core.Admin;

/// <summary>Finding users for the admin console.</summary>
public interface IUserDirectory
{
    /// <summary>
    /// Users whose email or display name contains <paramref name="query"/> (case-insensitive; every user when null), newest
    /// first, <paramref name="pageSize"/> at a time.
    /// </summary>
    Task<Page<User>> SearchAsync(string? query, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);
}

/// <summary>Finding clones for the admin console, drafts and hidden ones included (never deleted ones).</summary>
public interface ICloneDirectory
{
    /// <summary>
    /// Clones whose name, slug or owner name contains <paramref name="query"/> (case-insensitive; all when null), in
    /// <paramref name="status"/> when given (draft or published), newest first.
    /// </summary>
    Task<Page<Clone>> SearchAsync(string? query, string? status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);
}
