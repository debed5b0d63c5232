using System.Net.WebSockets;
using System.Threading.Channels;

namespace CloneAI.Local.Realtime;

/// <summary>What becomes of a connection when one of its sockets ends.</summary>
internal enum DropOutcome
{
    /// <summary>The connection is over: forget it.</summary>
    Forget,
    /// <summary>A reliable connection lost its socket: it waits (and keeps buffering) to be resumed.</summary>
    AwaitResume,
    /// <summary>The socket had already been replaced by a resumed one, or the connection was already forgotten.</summary>
    None,
}

/// <summary>A frame for one socket: a text message, or (with <see cref="Close"/>) the closing handshake.</summary>
internal readonly record struct OutFrame(byte[]? Payload, WebSocketCloseStatus? Close = null, string? Reason = null);

/// <summary>One WebSocket of a connection and the frames waiting to be written to it.</summary>
internal sealed class HubLink
{
    public HubLink(WebSocket socket, bool reliable, HubLimits limits)
    {
        Socket = socket;
        // A plain client too slow to read loses its oldest frames rather than holding the server's memory. A reliable one must not
        // lose a frame silently (its sequence would have a hole), so a full outbox drops the socket and the client resumes.
        Outbox = reliable
            ? Channel.CreateBounded<OutFrame>(new BoundedChannelOptions(limits.MaxUnacknowledged + limits.MaxQueuedFrames) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true })
            : Channel.CreateBounded<OutFrame>(new BoundedChannelOptions(limits.MaxQueuedFrames) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    }

    public WebSocket Socket { get; }
    public Channel<OutFrame> Outbox { get; }

    /// <summary>Queues a message; a reliable link that cannot take it is aborted (the client will resume and get a replay).</summary>
    public void Write(byte[] payload)
    {
        if (!Outbox.Writer.TryWrite(new OutFrame(payload))) Abort();
    }

    /// <summary>Queues a last message and the closing handshake; nothing is written after them.</summary>
    public void Close(WebSocketCloseStatus status, string reason, byte[]? lastMessage)
    {
        if ((lastMessage is null || Outbox.Writer.TryWrite(new OutFrame(lastMessage))) && Outbox.Writer.TryWrite(new OutFrame(null, status, reason)))
            Outbox.Writer.TryComplete();
        else
            Abort();
    }

    public void Complete() => Outbox.Writer.TryComplete();

    public void Abort()
    {
        Outbox.Writer.TryComplete();
        Socket.Abort();
    }
}
