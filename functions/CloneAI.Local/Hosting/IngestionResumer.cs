using CloneAI.Core.Knowledge;
using CloneAI.Functions.Ingestion;
using Microsoft.DurableTask.Client;

namespace CloneAI.Local.Hosting;

/// <summary>
/// The in-process Durable backend keeps its history in memory, so a process that died mid-ingestion forgot its orchestrations.
/// At start, every document that is neither ready nor failed gets its orchestration again; the activities are idempotent.
/// </summary>
public sealed class IngestionResumer(KnowledgeService knowledge, DurableTaskClient client, IHostApplicationLifetime lifetime, ILogger<IngestionResumer> logger) : IHostedService
{
    /// <summary>Runs before the host serves requests, so what it resumes is exactly what the last process left unfinished.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var unfinished = await knowledge.UnfinishedAsync(cancellationToken);
        if (unfinished.Count == 0) return;
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(() => ResumeAsync(unfinished)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ResumeAsync(IReadOnlyList<IngestionInput> unfinished)
    {
        try
        {
            if (unfinished.Count > 0) logger.LogWarning("Resuming {Count} unfinished ingestions", unfinished.Count);
            foreach (var input in unfinished) await IngestionStarter.StartAsync(client, input, logger, lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not resume unfinished ingestions");
        }
    }
}
