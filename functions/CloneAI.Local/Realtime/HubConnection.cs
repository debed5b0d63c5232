using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace CloneAI.Local.Realtime;

/// <summary>
/// One client connection of <see cref="LocalRealtimeHub"/>: who it is, the groups it may join and has joined, and its socket.
/// A reliable connection (<see cref="HubProtocols.ReliableJson"/>) also numbers its messages, keeps each until the client
/// acknowledges it, and outlives a dropped socket for the grace period, so that a resumed socket gets what was not acknowledged.
/// All members are thread-safe: messages arrive from answer streams concurrently with the client's acks and reconnects.
/// </summary>
internal sealed class HubConnection
{
    private const int RememberedAckIds = 1000;

    private readonly Lock _gate = new();
    private readonly HubLimits _limits;
    private readonly TimeProvider _time;
    private readonly Action<HubConnection> _expired;
    private readonly Queue<(long SequenceId, byte[] Frame)> _unacknowledged = new();
    private readonly HashSet<long> _doneAckIds = [];
    private readonly Queue<long> _doneAckOrder = new();
    private long _unacknowledgedBytes;
    private long _lastSequenceId;
    private long _generation;
    private HubLink? _link;
    private DateTimeOffset _droppedAt;
    private ITimer? _expiry;
    private bool _closed;

    public HubConnection(string userId, HashSet<string> allowed, bool reliable, HubLimits limits, TimeProvider time, Action<HubConnection> expired)
    {
        UserId = userId;
        Allowed = allowed;
        Reliable = reliable;
        _limits = limits;
        _time = time;
        _expired = expired;
        if (reliable) ReconnectionToken = Base64Url(RandomNumberGenerator.GetBytes(32));
    }

    public string Id { get; } = Guid.NewGuid().ToString("N");
    public string UserId { get; }
    public HashSet<string> Allowed { get; }
    public bool Reliable { get; }
    public string? ReconnectionToken { get; }
    public ConcurrentDictionary<string, byte> Groups { get; } = new(StringComparer.Ordinal);

    /// <summary>Forgotten: closed for good, or its grace period ran out.</summary>
    public bool IsClosed { get { lock (_gate) return _closed; } }

    /// <summary>The last sequence id given to a message (tests and diagnostics).</summary>
    public long LastSequenceId { get { lock (_gate) return _lastSequenceId; } }

    /// <summary>Messages kept until the client acknowledges them (tests and diagnostics).</summary>
    public int UnacknowledgedCount { get { lock (_gate) return _unacknowledged.Count; } }

    /// <summary>Attaches the connection's first socket; <paramref name="connected"/> is its first frame.</summary>
    public HubLink Open(WebSocket socket, byte[] connected)
    {
        lock (_gate)
        {
            var link = new HubLink(socket, Reliable, _limits);
            _link = link;
            _generation++;
            link.Write(connected);
            return link;
        }
    }

    /// <summary>
    /// Sends a message to the client: as it is on a plain connection; numbered and kept until acknowledged on a reliable one.
    /// False when a reliable connection has gone over its bound of unacknowledged messages: it is closed and must be forgotten.
    /// </summary>
    public bool Send(byte[] message)
    {
        lock (_gate)
        {
            if (_closed) return true;
            if (!Reliable)
            {
                _link?.Write(message);
                return true;
            }
            var sequenceId = ++_lastSequenceId;
            var frame = WithSequenceId(sequenceId, message);
            _unacknowledged.Enqueue((sequenceId, frame));
            _unacknowledgedBytes += frame.Length;
            if (_unacknowledged.Count > _limits.MaxUnacknowledged || _unacknowledgedBytes > _limits.MaxUnacknowledgedBytes)
            {
                CloseLocked("The client did not acknowledge messages in time; the connection was closed.");
                return false;
            }
            _link?.Write(frame);
            return true;
        }
    }

    /// <summary>The client has every message up to <paramref name="sequenceId"/>: they are no longer kept. False if it was never sent.</summary>
    public bool Acknowledge(long sequenceId)
    {
        lock (_gate)
        {
            if (sequenceId < 0 || sequenceId > _lastSequenceId) return false;
            while (_unacknowledged.TryPeek(out var head) && head.SequenceId <= sequenceId)
            {
                _unacknowledged.Dequeue();
                _unacknowledgedBytes -= head.Frame.Length;
            }
            return true;
        }
    }

    /// <summary>Whether a request with this ack id has already succeeded on this connection (a reliable client resends after a drop).</summary>
    public bool IsDuplicate(long ackId)
    {
        lock (_gate) return _doneAckIds.Contains(ackId);
    }

    public void Succeeded(long ackId)
    {
        lock (_gate)
        {
            if (!Reliable || !_doneAckIds.Add(ackId)) return;
            _doneAckOrder.Enqueue(ackId);
            if (_doneAckOrder.Count > RememberedAckIds) _doneAckIds.Remove(_doneAckOrder.Dequeue());
        }
    }

    /// <summary>
    /// Attaches a new socket to a reliable connection whose token matches and whose grace period has not run out (a socket still
    /// attached is replaced): the <c>connected</c> frame, then every unacknowledged message in order. Null when refused.
    /// </summary>
    public HubLink? Resume(WebSocket socket, string? reconnectionToken, Func<byte[]> connected, out HubLink? replaced)
    {
        replaced = null;
        lock (_gate)
        {
            if (_closed || !Reliable || !TokenMatches(reconnectionToken)) return null;
            if (_link is null && _time.GetUtcNow() - _droppedAt > _limits.ReconnectGrace)
            {
                CloseLocked(null);
                return null;
            }
            _expiry?.Dispose();
            _expiry = null;
            replaced = _link;
            var link = new HubLink(socket, Reliable, _limits);
            _link = link;
            _generation++;
            link.Write(connected());
            foreach (var (_, frame) in _unacknowledged) link.Write(frame);
            return link;
        }
    }

    /// <summary>One of the connection's sockets has ended, closed by the client (<paramref name="closedByClient"/>) or dropped.</summary>
    public DropOutcome Drop(HubLink link, bool closedByClient)
    {
        lock (_gate)
        {
            if (_closed) return DropOutcome.None;
            if (!ReferenceEquals(_link, link)) return DropOutcome.None;
            _link = null;
            if (!Reliable || closedByClient)
            {
                CloseLocked(null);
                return DropOutcome.Forget;
            }
            _droppedAt = _time.GetUtcNow();
            var generation = _generation;
            _expiry = _time.CreateTimer(_ => Expire(generation), null, _limits.ReconnectGrace, Timeout.InfiniteTimeSpan);
            return DropOutcome.AwaitResume;
        }
    }

    /// <summary>Ends the connection for good: its socket (if any) is closed and no resume is accepted.</summary>
    public void Close(string? reason)
    {
        lock (_gate) CloseLocked(reason);
    }

    private void Expire(long generation)
    {
        lock (_gate)
        {
            if (_closed || _link is not null || generation != _generation) return;
            CloseLocked(null);
        }
        _expired(this);
    }

    private void CloseLocked(string? reason)
    {
        _closed = true;
        _expiry?.Dispose();
        _expiry = null;
        _unacknowledged.Clear();
        _unacknowledgedBytes = 0;
        var link = _link;
        _link = null;
        link?.Close(WebSocketCloseStatus.PolicyViolation, "Closed by the hub.", reason is null ? null : HubFrames.Disconnected(reason));
    }

    private bool TokenMatches(string? token) =>
        token is not null && ReconnectionToken is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(ReconnectionToken));

    /// <summary>The message (a JSON object) with <c>"sequenceId":n</c> as its first property.</summary>
    private static byte[] WithSequenceId(long sequenceId, byte[] message)
    {
        var prefix = Encoding.UTF8.GetBytes("{\"sequenceId\":" + sequenceId.ToString(CultureInfo.InvariantCulture) + (message.Length > 2 ? "," : ""));
        var frame = new byte[prefix.Length + message.Length - 1];
        prefix.CopyTo(frame, 0);
        message.AsSpan(1).CopyTo(frame.AsSpan(prefix.Length));
        return frame;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
