using CloneAI.Core.Knowledge;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Ingestion;

/// <summary>
/// IngestDocument: extract → chunk → embed (fan-out over batches) → index → summarize → complete. Every activity does I/O and
/// has a retry policy; a failure that retrying cannot fix (a corrupt file) stops at once. Any failure ends the document Failed
/// with a human reason.
/// </summary>
public static class IngestDocumentOrchestrator
{
    /// <summary>Three tries, 1 s then 2 s apart; permanent failures (bad files) are not retried.</summary>
    public static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 3,
        firstRetryInterval: TimeSpan.FromSeconds(1),
        backoffCoefficient: 2.0)
    {
        HandleFailure = IsRetryable,
    });

    /// <summary>Whether retrying could help: not for a <see cref="PermanentIngestionException"/> (a bad file).</summary>
    public static bool IsRetryable(TaskFailureDetails failure) => !failure.IsCausedBy<PermanentIngestionException>();

    [Function(nameof(IngestDocument))]
    public static async Task<IngestionResult> IngestDocument([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<IngestionInput>() ?? throw new InvalidOperationException("IngestDocument needs an IngestionInput.");
        var logger = context.CreateReplaySafeLogger(nameof(IngestDocument));
        try
        {
            await context.CallActivityAsync(nameof(IngestionActivities.ExtractText), input, Retry);
            var chunks = await context.CallActivityAsync<ChunkResult>(nameof(IngestionActivities.ChunkText), input, Retry);
            var batches = Enumerable.Range(0, chunks.BatchCount)
                .Select(b => context.CallActivityAsync<int>(nameof(IngestionActivities.EmbedBatch),
                    new EmbedBatchRequest(input, b, chunks.BatchCount), Retry))
                .ToList();
            await Task.WhenAll(batches);
            await context.CallActivityAsync(nameof(IngestionActivities.IndexChunks), input, Retry);
            await context.CallActivityAsync(nameof(IngestionActivities.SummarizeDocument), input, Retry);
            var result = await context.CallActivityAsync<IngestionResult>(nameof(IngestionActivities.CompleteIngestion), input, Retry);
            logger.LogInformation("Ingested document {DocumentId}: {Chunks} chunks", input.DocumentId, result.ChunkCount);
            return result;
        }
        catch (TaskFailedException e)
        {
            var reason = HumanReason(e.FailureDetails);
            logger.LogWarning("Ingestion of document {DocumentId} failed: {Reason}", input.DocumentId, reason);
            return await context.CallActivityAsync<IngestionResult>(nameof(IngestionActivities.FailIngestion),
                new FailureInput(input.CloneId, input.DocumentId, input.Generation, reason), Retry);
        }
    }

    /// <summary>The innermost failure's message when it is one of ours, else a generic sentence (no stack traces for users).</summary>
    public static string HumanReason(TaskFailureDetails? details)
    {
        for (var d = details; d is not null; d = d.InnerFailure)
        {
            if (d.IsCausedBy<PermanentIngestionException>()) return d.ErrorMessage;
            if (d.InnerFailure is null)
                return $"Processing failed after several attempts ({d.ErrorType.Split('.')[^1]}). Try re-indexing the document.";
        }
        return "Processing failed. Try re-indexing the document.";
    }
}

/// <summary>An embedding batch of one ingestion generation.</summary>
public sealed record EmbedBatchRequest(IngestionInput Document, int Batch, int BatchCount);
