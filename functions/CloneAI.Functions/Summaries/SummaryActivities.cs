using CloneAI.Core.Summaries;
using Microsoft.Azure.Functions.Worker;

namespace CloneAI.Functions.Summaries;

/// <summary>The activities of SummarizeSession; each hands off to <see cref="SessionSummaries"/>, whose steps are idempotent.</summary>
public sealed class SummaryActivities(SessionSummaries summaries)
{
    [Function(nameof(WriteSessionSummary))]
    public Task<bool> WriteSessionSummary([ActivityTrigger] SummarizeSessionInput input, CancellationToken cancellationToken) =>
        summaries.WriteAsync(input.SessionId, cancellationToken);

    [Function(nameof(SendSessionReceipt))]
    public Task SendSessionReceipt([ActivityTrigger] SummarizeSessionInput input, CancellationToken cancellationToken) =>
        summaries.SendReceiptAsync(input.SessionId, cancellationToken);
}
