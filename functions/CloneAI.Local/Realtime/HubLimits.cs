namespace CloneAI.Local.Realtime;

/// <summary>How much the local hub keeps for one connection.</summary>
/// <param name="ReconnectGrace">How long a reliable connection whose socket dropped waits to be resumed before it is forgotten.</param>
/// <param name="MaxUnacknowledged">Messages a reliable connection keeps until the client acknowledges them; one more ends the connection.</param>
/// <param name="MaxUnacknowledgedBytes">The same bound in bytes.</param>
/// <param name="MaxQueuedFrames">Frames waiting to be written to one socket. A plain connection drops its oldest; a reliable one drops the socket and waits to be resumed.</param>
public sealed record HubLimits(TimeSpan ReconnectGrace, int MaxUnacknowledged, long MaxUnacknowledgedBytes, int MaxQueuedFrames)
{
    /// <summary>One minute to come back (the official client keeps trying for 30 s), and up to 1,000 messages or 4 MB unacknowledged.</summary>
    public static HubLimits Default { get; } = new(TimeSpan.FromMinutes(1), 1000, 4 * 1024 * 1024, 1000);
}
