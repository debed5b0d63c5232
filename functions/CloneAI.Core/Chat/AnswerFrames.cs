using System.Diagnostics;
using CloneAI.Core.Realtime;
using Microsoft.Extensions.Logging;

namespace CloneAI.Core.Chat;

/// <summary>
/// Sends the frames of an answer to the session's realtime group and to the request's optional <see cref="FrameSink"/>.
/// Realtime delivery is best effort: the stored answer (and the HTTP response) is the record, so a hub outage is logged and
/// the answer goes on.
/// </summary>
public sealed class AnswerFrames(IRealtimeHub hub, SessionClock clock, ILogger<AnswerFrames> logger)
{
    /// <summary>The frames of one new answer.</summary>
    public AnswerStream Open(string sessionId, string messageId, FrameSink? sink, CancellationToken cancellationToken) =>
        new(this, sessionId, messageId, sink, cancellationToken);

    /// <summary>
    /// A stored answer, streamed again as it was: start (with its final citations, unless a model wrote it: a model's citations are
    /// known only at the end), its whole text as one delta, end (with its final citations).
    /// </summary>
    public async Task ReplayAsync(ChatSession session, SessionMessage stored, FrameSink? sink, CancellationToken cancellationToken = default)
    {
        var (cost, elapsed) = clock.Read(session);
        var kind = stored.AnswerKind ?? AnswerKinds.Extractive;
        ChatFrame[] frames =
        [
            new StartFrame(session.Id, stored.Id, kind == AnswerKinds.Model ? [] : stored.Citations, kind),
            new DeltaFrame(session.Id, stored.Id, stored.Content),
            new EndFrame(session.Id, stored.Id, stored.Usage ?? new TokenUsage(0, 0), cost, elapsed, stored.Citations),
        ];
        foreach (var frame in frames) await SendAsync(frame, sink, cancellationToken);
    }

    internal async Task SendAsync(ChatFrame frame, FrameSink? sink, CancellationToken cancellationToken)
    {
        await PushAsync(frame, cancellationToken);
        if (sink is not null) await sink(frame, cancellationToken);
    }

    /// <summary>The error frame that closes a failed answer; it never throws, whatever the hub or the sink do.</summary>
    internal async Task SendErrorAsync(ErrorFrame frame, FrameSink? sink)
    {
        await PushAsync(frame, CancellationToken.None);
        try
        {
            if (sink is not null) await sink(frame, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not send the error frame of session {SessionId}", frame.SessionId);
        }
    }

    internal (Domain.Money Cost, double ElapsedSeconds) Clock(ChatSession session) => clock.Read(session);

    private async Task PushAsync(ChatFrame frame, CancellationToken cancellationToken)
    {
        try
        {
            await hub.SendToGroupAsync(RealtimeGroups.Session(frame.SessionId), frame, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not push a {Type} frame of session {SessionId} to the realtime hub", frame.Type, frame.SessionId);
        }
    }
}

/// <summary>The frames of one answer as it is written; the first delta's delay is recorded as a metric.</summary>
public sealed class AnswerStream
{
    private readonly AnswerFrames _frames;
    private readonly FrameSink? _sink;
    private readonly CancellationToken _cancellationToken;
    private readonly long _started = Stopwatch.GetTimestamp();
    private bool _firstDelta = true;

    internal AnswerStream(AnswerFrames frames, string sessionId, string messageId, FrameSink? sink, CancellationToken cancellationToken)
    {
        _frames = frames;
        SessionId = sessionId;
        MessageId = messageId;
        _sink = sink;
        _cancellationToken = cancellationToken;
    }

    public string SessionId { get; }

    public string MessageId { get; }

    public Task StartAsync(IReadOnlyList<Citation> citations, string kind) =>
        _frames.SendAsync(new StartFrame(SessionId, MessageId, citations, kind), _sink, _cancellationToken);

    public Task DeltaAsync(string text)
    {
        if (_firstDelta)
        {
            _firstDelta = false;
            Telemetry.FirstDelta.Record(Stopwatch.GetElapsedTime(_started).TotalMilliseconds);
        }
        return _frames.SendAsync(new DeltaFrame(SessionId, MessageId, text), _sink, _cancellationToken);
    }

    /// <summary>The end frame, with the answer's usage, its final citations and the session's clock after it was stored.</summary>
    public Task EndAsync(ChatSession stored, SessionMessage answer)
    {
        var (cost, elapsed) = _frames.Clock(stored);
        return _frames.SendAsync(new EndFrame(SessionId, MessageId, answer.Usage ?? new TokenUsage(0, 0), cost, elapsed, answer.Citations), _sink, _cancellationToken);
    }

    /// <summary>
    /// The end frame of an answer stored after its requester hung up: to the session's realtime group only (the requester's own
    /// stream is gone), so the user's other tabs and devices show what was stored.
    /// </summary>
    public Task EndInterruptedAsync(ChatSession stored, SessionMessage answer)
    {
        var (cost, elapsed) = _frames.Clock(stored);
        return _frames.SendAsync(new EndFrame(SessionId, MessageId, answer.Usage ?? new TokenUsage(0, 0), cost, elapsed, answer.Citations), null, CancellationToken.None);
    }

    /// <summary>Closes the stream with the reason the answer failed (and its code, when a client acts on it).</summary>
    public Task ErrorAsync(string detail, string? code = null) => _frames.SendErrorAsync(new ErrorFrame(SessionId, MessageId, detail, code), _sink);
}
