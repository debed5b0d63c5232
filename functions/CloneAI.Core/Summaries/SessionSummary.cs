using CloneAI.Core.Chat;

namespace CloneAI.Core.Summaries;

/// <summary>How a summary was written: by the language model (structured output), or extractively without one.</summary>
public static class SummaryMethods
{
    public const string Model = "model";
    public const string Extractive = "extractive";
}

/// <summary>
/// What an ended session came to: a short summary, its key insights, the action items it gave the user, next topics from the
/// clone's knowledge that it came near but did not cover, and the passages it cited. Written once per session by the
/// SummarizeSession orchestration. Only the session's user reads it. Partition key in Cosmos: <c>/userId</c>.
/// </summary>
public sealed record SessionSummary
{
    public required string SessionId { get; init; }
    public required string UserId { get; init; }
    public required string CloneId { get; init; }
    public string CloneName { get; init; } = "";
    public required string Summary { get; init; }
    public IReadOnlyList<string> KeyInsights { get; init; } = [];
    public IReadOnlyList<string> ActionItems { get; init; } = [];
    public IReadOnlyList<string> NextTopics { get; init; } = [];
    public IReadOnlyList<Citation> Citations { get; init; } = [];
    /// <summary><see cref="SummaryMethods.Model"/> or <see cref="SummaryMethods.Extractive"/> (shown as a label).</summary>
    public required string Method { get; init; }
    /// <summary>When the session ended (summaries of a user are listed by it, newest first).</summary>
    public DateTimeOffset SessionEndedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the receipt with this summary's highlights was sent (null: not yet, so a restart sends it).</summary>
    public DateTimeOffset? ReceiptSentAt { get; init; }
}
