using CloneAI.Core.Knowledge;
using Microsoft.Azure.Functions.Worker;

namespace CloneAI.Functions.Ingestion;

/// <summary>The activities of IngestDocument. Each hands off to <see cref="IngestionService"/>, whose steps are idempotent.</summary>
public sealed class IngestionActivities(IngestionService ingestion)
{
    [Function(nameof(ExtractText))]
    public Task ExtractText([ActivityTrigger] IngestionInput input, CancellationToken cancellationToken) =>
        ingestion.ExtractAsync(input, cancellationToken);

    [Function(nameof(ChunkText))]
    public Task<ChunkResult> ChunkText([ActivityTrigger] IngestionInput input, CancellationToken cancellationToken) =>
        ingestion.ChunkAsync(input, cancellationToken);

    [Function(nameof(EmbedBatch))]
    public Task<int> EmbedBatch([ActivityTrigger] EmbedBatchRequest request, CancellationToken cancellationToken) =>
        ingestion.EmbedBatchAsync(
            new EmbedBatchInput(request.Document.CloneId, request.Document.DocumentId, request.Document.Generation, request.Batch),
            request.Document, request.BatchCount, cancellationToken);

    [Function(nameof(IndexChunks))]
    public Task IndexChunks([ActivityTrigger] IngestionInput input, CancellationToken cancellationToken) =>
        ingestion.IndexAsync(input, cancellationToken);

    [Function(nameof(SummarizeDocument))]
    public Task SummarizeDocument([ActivityTrigger] IngestionInput input, CancellationToken cancellationToken) =>
        ingestion.SummarizeAsync(input, cancellationToken);

    [Function(nameof(CompleteIngestion))]
    public Task<IngestionResult> CompleteIngestion([ActivityTrigger] IngestionInput input, CancellationToken cancellationToken) =>
        ingestion.CompleteAsync(input, cancellationToken);

    [Function(nameof(FailIngestion))]
    public Task<IngestionResult> FailIngestion([ActivityTrigger] FailureInput input, CancellationToken cancellationToken) =>
        ingestion.FailAsync(input, cancellationToken);
}
