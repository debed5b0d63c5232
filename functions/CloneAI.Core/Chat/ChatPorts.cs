using CloneAI.Core.Domain;

namespace CloneAI.Core.Chat;

/// <summary>Sessions, their messages and their usage events.</summary>
public interface ISessionStore
{
    Task<ChatSession> CreateAsync(ChatSession session, CancellationToken cancellationToken = default);
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
    /// <summary>Ends a session: the new session document and its minutes usage event, atomically; the event is kept once per key.</summary>
    Task<ChatSession> EndAsync(ChatSession session, UsageEvent minutes, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<UsageEvent>> GetUsageAsync(string sessionId, CancellationToken cancellationToken = default);
    Task<CloneSessionStats> GetCloneStatsAsync(string cloneId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Pushes frames to connected clients (Azure Web PubSub, or the local host's implementation of its client protocol). Groups
/// are named by <see cref="RealtimeGroups"/>; a client may join only the groups its access token lists.
/// </summary>
public interface IRealtimeHub
{
    Task SendToGroupAsync(string group, object frame, CancellationToken cancellationToken = default);
    Task SendToUserAsync(string userId, object frame, CancellationToken cancellationToken = default);
    /// <summary>A client access token for <paramref name="userId"/>, allowed to join <paramref name="groups"/> (and nothing else).</summary>
    Task<RealtimeConnection> GetClientConnectionAsync(string userId, IReadOnlyList<string> groups, TimeSpan lifetime, CancellationToken cancellationToken = default);
}

/// <summary>Where a client connects: the WebSocket URL with its token, the bare URL (the token's audience) and when it expires.</summary>
public sealed record RealtimeConnection(string Url, string BaseUrl, string AccessToken, DateTimeOffset ExpiresAt);

public static class RealtimeGroups
{
    public static string Session(string sessionId) => "session-" + sessionId;

    /// <summary>A user's own group: ingestion progress of their clones' documents, and anything else addressed to them.</summary>
    public static string User(string userId) => "user-" + userId;
}
