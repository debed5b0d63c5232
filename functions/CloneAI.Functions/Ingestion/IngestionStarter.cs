using CloneAI.Core.Knowledge;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Ingestion;

/// <summary>Starts IngestDocument for one generation of a document; starting the same generation twice is harmless.</summary>
public static class IngestionStarter
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task StartAsync(DurableTaskClient client, IngestionInput input, ILogger logger, CancellationToken cancellationToken)
    {
        // Two starters of one generation in the same process (a blob event and a restart) must not both schedule it.
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var existing = await client.GetInstanceAsync(input.InstanceId, cancellationToken);
            if (existing is not null && existing.RuntimeStatus is not (OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated))
            {
                logger.LogInformation("{Instance} already exists ({Status})", input.InstanceId, existing.RuntimeStatus);
                return;
            }
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(IngestDocumentOrchestrator.IngestDocument), input,
                new StartOrchestrationOptions { InstanceId = input.InstanceId }, cancellationToken);
            logger.LogInformation("Started {Instance} for document {DocumentId}", input.InstanceId, input.DocumentId);
        }
        catch (Exception e) when (DurableStarts.IsAlreadyStarted(e))
        {
            logger.LogInformation("{Instance} is already running", input.InstanceId);
        }
        finally
        {
            Gate.Release();
        }
    }
}
