namespace CloneAI.Core.Privacy;

/// <summary>
/// A deletion under way: recorded before anything is erased, removed when every eraser ran, so a crash mid-way is finished at
/// the next start (or by the timer). The pseudonym is random, so the kept ledger rows cannot be tied back to the user id.
/// </summary>
public sealed record AccountDeletionMarker(string UserId, string Pseudonym, DateTimeOffset RequestedAt);

public interface IAccountDeletionStore
{
    /// <summary>Records the marker, or returns the one already recorded for the user (its pseudonym wins).</summary>
    Task<AccountDeletionMarker> RecordAsync(AccountDeletionMarker marker, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<AccountDeletionMarker>> ListPendingAsync(CancellationToken cancellationToken = default);
    Task CompleteAsync(string userId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Optional: after a deletion finished, makes sure nothing deleted lingers in the storage's free space (the local SQLite file
/// is vacuumed and its write-ahead log truncated). Hosts whose storage does not keep deleted bytes register none.
/// </summary>
public interface IStorageCompactor
{
    Task CompactAsync(CancellationToken cancellationToken = default);
}
