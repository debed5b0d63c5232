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

/// <summary>
/// The last frame of an answer. <see cref="Citations"/> are the documents the stored answer cites, numbered 1..k in the order of
/// first use: they replace the start frame's list (a model's citations are known only at the end).
/// </summary>
public sealed record EndFrame(string SessionId, string MessageId, TokenUsage Usage, Money Cost, double ElapsedSeconds, IReadOnlyList<Citation>? Citations = null)
    : ChatFrame("end", SessionId, MessageId)
{
    public IReadOnlyList<Citation> Citations { get; init; } = Citations ?? [];
}

/// <summary>
/// Closes a failed answer with its reason. <see cref="Code"/> names a reason a client acts on: <c>out-of-credit</c> (the wallet
/// could not pay; the session has ended), else null.
/// </summary>
public sealed record ErrorFrame(
    string SessionId, string MessageId, string Detail,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Code = null)
    : ChatFrame("error", SessionId, MessageId);

/// <summary>Receives the frames of an answer as they are made (the SSE writer); the hub gets them as well.</summary>
public delegate Task FrameSink(ChatFrame frame, CancellationToken cancellationToken);
