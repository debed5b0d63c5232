using CloneAI.Core.Chat;

namespace CloneAI.Core.Summaries;

/// <summary>
/// Where the Durable client is only a function binding (Azure Functions): an ended session that wants a summary is left to the
/// SummaryTimer function, which starts SummarizeSession for it within a minute; that orchestration sends the receipt.
/// </summary>
public sealed class DeferredSessionEndObserver : ISessionEndObserver
{
    public Task<bool> SessionEndedAsync(ChatSession ended, CancellationToken cancellationToken = default) => Task.FromResult(SessionSummaries.Wanted(ended));
}
