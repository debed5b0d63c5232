using System.ComponentModel.DataAnnotations;
using CloneAI.Core.Domain;

namespace CloneAI.Core.Chat;

/// <summary>The frames of one streamed answer, sent to the group <c>session-{id}</c> and, on request, as server-sent events.</summary>
public abstract record ChatFrame(string Type, string SessionId, string MessageId);

public sealed record StartFrame(
    string SessionId, string MessageId, IReadOnlyList<Citation> Citations,
    [property: AllowedValues(AnswerKinds.Extractive, AnswerKinds.Model, AnswerKinds.DontKnow)] string AnswerKind)
    : ChatFrame("start", SessionId, MessageId);

public sealed record DeltaFrame(string SessionId, string MessageId, string Text) : ChatFrame("delta", SessionId, MessageId);

public sealed record EndFrame(string SessionId, string MessageId, TokenUsage Usage, Money Cost, double ElapsedSeconds)
    : ChatFrame("end", SessionId, MessageId);

public sealed record ErrorFrame(string SessionId, string MessageId, string Detail) : ChatFrame("error", SessionId, MessageId);

/// <summary>Receives the frames of an answer as they are made (the SSE writer); the hub gets them as well.</summary>
public delegate Task FrameSink(ChatFrame frame, CancellationToken cancellationToken);
