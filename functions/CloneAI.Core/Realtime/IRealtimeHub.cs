namespace CloneAI.Core.Realtime;

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
