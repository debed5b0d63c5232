using CloneAI.Core.Chat;

namespace CloneAI.Core.Summaries;

/// <summary>Writes the summary of an ended session from its messages (the model's, or the extractive one).</summary>
public interface ISessionSummarizer
{
    Task<SessionSummary> SummarizeAsync(ChatSession session, IReadOnlyList<SessionMessage> messages, CancellationToken cancellationToken = default);
}
