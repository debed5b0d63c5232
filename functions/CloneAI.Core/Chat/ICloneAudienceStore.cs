namespace CloneAI.Core.Chat;

/// <summary>
/// What one user is to one clone: counted among its users (popularity counts people, not sessions), and their rating of it
/// (one per user; the latest counts).
/// </summary>
public sealed record CloneAudienceEntry(string CloneId, string UserId, bool Counted, int? Stars, string? SessionId, DateTimeOffset? RatedAt);

/// <summary>
/// One record per (clone, user). Both writes are atomic per record, so two sessions of the same user ending or being rated at
/// once still count that user once. SQLite: table <c>clone_audience</c>; Cosmos: documents of type <c>clone-audience</c> in the
/// <c>memories</c> container, in the user's partition.
/// </summary>
public interface ICloneAudienceStore
{
    /// <summary>Counts the user among the clone's users: true only the first time (the clone's session count then grows by one).</summary>
    Task<bool> AddUserAsync(string cloneId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Records the user's rating of the clone from <paramref name="sessionId"/>, replacing any earlier one; returns the earlier stars (null if none).</summary>
    Task<int?> SetRatingAsync(string cloneId, string userId, int stars, string sessionId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The user's records (their ratings and the clones they used), for their data export.</summary>
    Task<IReadOnlyList<CloneAudienceEntry>> ListByUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Removes the user's records (account deletion); the clones' aggregates keep their numbers, which name nobody.</summary>
    Task DeleteUserAsync(string userId, CancellationToken cancellationToken = default);
}
