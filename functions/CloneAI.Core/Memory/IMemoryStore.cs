namespace CloneAI.Core.Memory;

/// <summary>Users' memory items, kept per user (every method takes the user's id: no call reads across users).</summary>
public interface IMemoryStore
{
    /// <summary>
    /// The user's items, oldest first: with <paramref name="cloneId"/>, that clone's items and the shared ones (CloneId null);
    /// without, all of them.
    /// </summary>
    Task<IReadOnlyList<MemoryItem>> ListAsync(string userId, string? cloneId, CancellationToken cancellationToken = default);
    Task<MemoryItem?> GetAsync(string userId, string id, CancellationToken cancellationToken = default);
    /// <summary>Creates or replaces the item (by user and id); a replace whose ETag no longer matches is a <see cref="Errors.ConflictException"/>.</summary>
    Task<MemoryItem> UpsertAsync(MemoryItem item, CancellationToken cancellationToken = default);
    /// <summary>Deletes the item; false when there was none.</summary>
    Task<bool> DeleteAsync(string userId, string id, CancellationToken cancellationToken = default);
    /// <summary>Deletes every item taken from the session (its <see cref="MemoryItem.Source"/>); returns how many.</summary>
    Task<int> DeleteFromSessionAsync(string userId, string sessionId, CancellationToken cancellationToken = default);
}
