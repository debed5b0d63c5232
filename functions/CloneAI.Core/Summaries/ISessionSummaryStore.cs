namespace CloneAI.Core.Summaries;

/// <summary>Session summaries, kept per user (every method takes the user's id).</summary>
public interface ISessionSummaryStore
{
    /// <summary>Stores the summary unless its session already has one: true when this call stored it (so it is written once).</summary>
    Task<bool> TryAddAsync(SessionSummary summary, CancellationToken cancellationToken = default);
    Task<SessionSummary?> GetAsync(string userId, string sessionId, CancellationToken cancellationToken = default);
    /// <summary>The user's summaries, newest session first; with <paramref name="cloneId"/>, that clone's only.</summary>
    Task<IReadOnlyList<SessionSummary>> ListAsync(string userId, string? cloneId, int max, CancellationToken cancellationToken = default);
    /// <summary>Records that the session's receipt went out (<see cref="SessionSummary.ReceiptSentAt"/>); nothing when it has no summary.</summary>
    Task MarkReceiptSentAsync(string userId, string sessionId, DateTimeOffset at, CancellationToken cancellationToken = default);
    /// <summary>Deletes the session's summary; false when there was none.</summary>
    Task<bool> DeleteAsync(string userId, string sessionId, CancellationToken cancellationToken = default);
}
