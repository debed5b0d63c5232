using CloneAI.Core.Summaries;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Summaries;

/// <summary>
/// Every minute: start SummarizeSession for every recently ended session without a summary whose orchestration is not there
/// (or failed). In Azure this is how summaries start; it also resumes any that a crash cut short.
/// </summary>
public sealed class SummaryTimer(SessionSummaries summaries, ILogger<SummaryTimer> logger)
{
    public const string Schedule = "0 */1 * * * *";

    [Function(nameof(StartPendingSummaries))]
    public async Task StartPendingSummaries([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        foreach (var sessionId in await summaries.UnfinishedAsync(cancellationToken))
            await SummaryStarter.StartAsync(client, sessionId, logger, cancellationToken);
    }
}
