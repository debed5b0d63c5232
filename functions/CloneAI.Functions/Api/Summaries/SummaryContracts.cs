using CloneAI.Core.Chat;
using CloneAI.Core.Summaries;
using CloneAI.Functions.Http;

namespace CloneAI.Functions.Api.Summaries;

/// <summary>
/// An ended session's summary. <c>method</c>: <c>model</c> (written by the language model) or <c>extractive</c> (the most
/// central sentences of the answers, without a model: shown as "Extractive summary").
/// </summary>
public sealed record SessionSummaryDto(
    string SessionId, string CloneId, string CloneName, string Summary, IReadOnlyList<string> KeyInsights, IReadOnlyList<string> ActionItems,
    IReadOnlyList<string> NextTopics, IReadOnlyList<Citation> Citations, [property: ValuesFrom(typeof(SummaryMethods))] string Method, DateTimeOffset SessionEndedAt,
    DateTimeOffset CreatedAt)
{
    public static SessionSummaryDto From(SessionSummary s) =>
        new(s.SessionId, s.CloneId, s.CloneName, s.Summary, s.KeyInsights, s.ActionItems, s.NextTopics, s.Citations, s.Method, s.SessionEndedAt, s.CreatedAt);
}

/// <summary>The summary is still being written: ask again after <c>retryAfterSeconds</c> (also the Retry-After header).</summary>
public sealed record SummaryPendingDto(string SessionId, [property: ValuesFrom(typeof(SummaryPendingDto))] string Status, string Detail, int RetryAfterSeconds)
{
    public const string Writing = "writing";
}
