using CloneAI.Core.Summaries;
using CloneAI.Functions.Summaries;
using Microsoft.DurableTask.Client;

namespace CloneAI.Local.Hosting;

/// <summary>
/// The in-process Durable backend keeps its history in memory, so a process that died while writing a summary forgot its
/// orchestration. At start, every recently ended session without its summary, or whose receipt was not recorded as sent, gets
/// SummarizeSession again (writing is once per session, and the receipt is keyed).
/// </summary>
public sealed class SummaryResumer(SessionSummaries summaries, DurableTaskClient client, IHostApplicationLifetime lifetime, ILogger<SummaryResumer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var unfinished = await summaries.UnfinishedAsync(cancellationToken);
        if (unfinished.Count == 0) return;
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(() => ResumeAsync(unfinished)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ResumeAsync(IReadOnlyList<string> unfinished)
    {
        try
        {
            logger.LogWarning("Resuming {Count} unfinished session summaries", unfinished.Count);
            foreach (var sessionId in unfinished) await SummaryStarter.StartAsync(client, sessionId, logger, lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not resume unfinished session summaries");
        }
    }
}
