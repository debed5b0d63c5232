using CloneAI.Core.Domain;

namespace CloneAI.Core.Chat;

/// <summary>Sessions, their messages and their usage events.</summary>
public interface ISessionStore
{
    /// <summary>
    /// Stores a new session with its <paramref name="greeting"/> (its first message), atomically: both or neither. A session
    /// with this id already stored is a <see cref="Errors.ConflictException"/>, and nothing is added.
    /// </summary>
    Task<ChatSession> CreateAsync(ChatSession session, SessionMessage? greeting, CancellationToken cancellationToken = default);
    Task<ChatSession?> GetAsync(string sessionId, CancellationToken cancellationToken = default);
    /// <summary>Replaces the session when its ETag still matches, else <see cref="Errors.ConflictException"/>.</summary>
    Task<ChatSession> ReplaceAsync(ChatSession session, CancellationToken cancellationToken = default);
    /// <summary>The user's sessions, newest first.</summary>
    Task<Page<ChatSession>> ListByUserAsync(string userId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);
    /// <summary>Active sessions whose last activity is before <paramref name="idleBefore"/> or that started before <paramref name="startedBefore"/>.</summary>
    Task<IReadOnlyList<ChatSession>> ListExpiredAsync(DateTimeOffset idleBefore, DateTimeOffset startedBefore, int max, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<SessionMessage>> GetMessagesAsync(string sessionId, CancellationToken cancellationToken = default);
    /// <summary>The answer already given to <paramref name="clientMessageId"/> in this session, if any.</summary>
    Task<SessionMessage?> FindAnswerAsync(string sessionId, string clientMessageId, CancellationToken cancellationToken = default);
    /// <summary>
    /// Stores one exchange atomically: the user message, the answer, the usage event and the session's new totals (ETag-checked).
    /// Returns false, storing nothing, when the exchange's <see cref="SessionMessage.ClientMessageId"/> was already stored.
    /// </summary>
    Task<bool> AddExchangeAsync(ChatSession session, SessionMessage question, SessionMessage answer, UsageEvent usage, CancellationToken cancellationToken = default);
    /// <summary>
    /// Ends a session: the new session document (ETag-checked) and its last minutes' usage events, atomically; each event is kept
    /// once per key.
    /// </summary>
    Task<ChatSession> EndAsync(ChatSession session, IReadOnlyList<UsageEvent> minutes, CancellationToken cancellationToken = default);
    /// <summary>
    /// Stores the session's new state (ETag-checked: else <see cref="Errors.ConflictException"/>) with usage events (its started
    /// minutes) atomically; each event is kept once per key.
    /// </summary>
    Task<ChatSession> RecordUsageAsync(ChatSession session, IReadOnlyList<UsageEvent> usage, CancellationToken cancellationToken = default);
    /// <summary>Marks a stored usage event settled: its charge is posted, and the wallet paid <paramref name="charged"/>.</summary>
    Task MarkSettledAsync(UsageEvent usage, long charged, DateTimeOffset settledAt, CancellationToken cancellationToken = default);
    /// <summary>Usage events created before <paramref name="createdBefore"/> whose charge has not been posted yet, oldest first.</summary>
    Task<IReadOnlyList<UsageEvent>> ListUnsettledAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<UsageEvent>> GetUsageAsync(string sessionId, CancellationToken cancellationToken = default);
    /// <summary>
    /// The aggregates of a clone's sessions, revenue in <paramref name="currency"/> (the platform currency) only; the owner's
    /// previews (<see cref="ChatSession.Preview"/>) are left out.
    /// </summary>
    Task<CloneSessionStats> GetCloneStatsAsync(string cloneId, string currency, CancellationToken cancellationToken = default);
    /// <summary>
    /// Ended sessions (deleted ones left out) whose end is at or after <paramref name="endedSince"/>, oldest end first: what the
    /// summaries' resume looks through.
    /// </summary>
    Task<IReadOnlyList<ChatSession>> ListEndedAsync(DateTimeOffset endedSince, int max, CancellationToken cancellationToken = default);
    /// <summary>
    /// Deletes an ended session's messages and marks it deleted (<see cref="ChatSession.DeletedAt"/>: left out of lists from now
    /// on), ETag-checked and atomically; its usage events stay.
    /// </summary>
    Task<ChatSession> DeleteAsync(ChatSession session, DateTimeOffset deletedAt, CancellationToken cancellationToken = default);
}
