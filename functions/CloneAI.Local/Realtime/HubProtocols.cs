using CloneAI.Core.Realtime;

namespace CloneAI.Local.Realtime;

/// <summary>
/// The Web PubSub client subprotocols the local hub speaks, and the query parameters of a reliable client's reconnect
/// (<c>/client/hubs/{hub}?awps_connection_id=…&amp;awps_reconnection_token=…</c>).
/// </summary>
public static class HubProtocols
{
    /// <summary><c>json.webpubsub.azure.v1</c>: join and leave groups, receive messages; a dropped socket is a new connection.</summary>
    public const string Json = RealtimeNames.Subprotocol;

    /// <summary>
    /// <c>json.reliable.webpubsub.azure.v1</c> (the official client's default): messages carry a <c>sequenceId</c> the client
    /// acknowledges with <c>sequenceAck</c>, and a dropped socket can resume the same connection, which replays what was not acknowledged.
    /// </summary>
    public const string ReliableJson = "json.reliable.webpubsub.azure.v1";

    public const string ConnectionIdParameter = "awps_connection_id";
    public const string ReconnectionTokenParameter = "awps_reconnection_token";

    /// <summary>The first of the client's requested subprotocols that the hub speaks, or null.</summary>
    public static string? Choose(IEnumerable<string> requested) =>
        requested.FirstOrDefault(p => p is Json or ReliableJson);
}
