using System.Diagnostics;
using System.Text.Json;
using CloneAI.Core.Blobs;
using CloneAI.Core.Errors;
using CloneAI.Core.Realtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// The work of each ingestion activity: extract → chunk → embed (per batch) → index → summarize → complete. Every step
/// reads its input from and writes its output to deterministic blob paths, so running a step again is harmless; and every
/// step checks that the document still exists at the same generation, so a stale run (after a delete or a re-index) changes nothing.
/// </summary>
public sealed class IngestionService(
    IDocumentStore documents,
    IBlobStore blobs,
    ITextExtractor extractor,
    IChunker chunker,
    IKnowledgeEmbedder embedder,
    IKnowledgeIndex index,
    IOptions<KnowledgeOptions> options,
    TimeProvider time,
    ILogger<IngestionService> logger,
    IRealtimeHub? hub = null,
    EmbeddingBudget? budget = null)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The document record of a run (stateless, so a second one made by a racing first call is harmless).</summary>
    private IngestionProgress Progress => field ??= new IngestionProgress(documents, time, logger, hub);

    /// <summary>The SHA-256 of a document whose bytes have not been seen yet (a direct upload): <c>pending:{documentId}</c>.</summary>
    public const string PendingHashPrefix = "pending:";

    public async Task ExtractAsync(IngestionInput input, CancellationToken cancellationToken = default)
    {
        var doc = await Progress.CurrentAsync(input, cancellationToken);
        if (doc is null) return;
        var watch = Stopwatch.StartNew();
        doc = await Progress.UpdateAsync(input, d => d with { Status = DocumentStatus.Processing, Stage = IngestionStage.Extracting, Progress = Math.Max(d.Progress, 5), Error = null }, cancellationToken);
        if (doc is null) return;

        var original = await blobs.GetAsync(doc.BlobPath, cancellationToken)
            ?? throw new PermanentIngestionException("The uploaded file is missing from storage. Upload it again.");
        if (original.Data.LongLength > options.Value.MaxFileBytes)
            throw new PermanentIngestionException($"The file is larger than {options.Value.MaxFileBytes / 1024 / 1024} MB.");
        if (doc.Sha256.StartsWith(PendingHashPrefix, StringComparison.Ordinal))
        {
            // A direct (SAS) upload: its bytes were not seen before; find duplicates now.
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(original.Data));
            if (await documents.FindByHashAsync(doc.CloneId, sha, cancellationToken) is { } twin && twin.Id != doc.Id)
                throw new PermanentIngestionException($"This file is already in the clone as '{twin.Title}'.");
            doc = await Progress.UpdateAsync(input, d => d with { Sha256 = sha, Size = original.Data.LongLength }, cancellationToken);
            if (doc is null) return;
        }
        ExtractedText text;
        try
        {
            // The bytes decide, whatever path the file took into storage (an upload checks this too; a SAS upload does not).
            if (FileTypes.Detect(original.Data, doc.FileName) != doc.Kind)
                throw new ExtractionException($"The file's content does not match its '{Path.GetExtension(doc.FileName)}' extension.");
            text = extractor.Extract(original.Data, doc.Kind);
        }
        catch (ExtractionException e)
        {
            throw new PermanentIngestionException(e.Message);
        }
        await blobs.PutAsync(WorkFiles.Extracted(doc.CloneId, doc.Id), JsonSerializer.SerializeToUtf8Bytes(text, JsonOptions), "application/json", cancellationToken);

        var defaultTitle = Path.GetFileNameWithoutExtension(doc.FileName);
        await Progress.UpdateAsync(input, d => d with
        {
            Stage = IngestionStage.Chunking,
            Progress = Math.Max(d.Progress, 20),
            PageCount = text.Pages.Count,
            Title = d.Title == defaultTitle && !string.IsNullOrWhiteSpace(text.Title) ? Truncate(text.Title.Trim(), 200) : d.Title,
            StageSeconds = IngestionProgress.WithStageSeconds(d.StageSeconds, IngestionStage.Extracting, watch.Elapsed.TotalSeconds),
        }, cancellationToken);
    }

    public async Task<ChunkResult> ChunkAsync(IngestionInput input, CancellationToken cancellationToken = default)
    {
        var doc = await Progress.CurrentAsync(input, cancellationToken);
        if (doc is null) return new ChunkResult(0, 0, 0);
        var watch = Stopwatch.StartNew();
        var text = await ReadJsonAsync<ExtractedText>(WorkFiles.Extracted(doc.CloneId, doc.Id), cancellationToken);
        var chunks = chunker.Chunk(doc.Id, text);
        if (chunks.Count == 0) throw new PermanentIngestionException("The document has no text to learn from.");
        // The text this run sends to the embedding model counts against its owner's daily budget (once per run).
        if (budget is not null) await budget.ChargeAsync(doc.OwnerId, $"{doc.Id}:{input.Generation}", chunks.Sum(c => (long)c.Text.Length), cancellationToken);
        await blobs.PutAsync(WorkFiles.Chunks(doc.CloneId, doc.Id, input.Generation), JsonSerializer.SerializeToUtf8Bytes(chunks, JsonOptions), "application/json", cancellationToken);

        var batchSize = options.Value.EmbedBatchChunks;
        var result = new ChunkResult(chunks.Count, (chunks.Count + batchSize - 1) / batchSize, chunks.Sum(c => c.TokenCount));
        await Progress.UpdateAsync(input, d => d with
        {
            Stage = IngestionStage.Embedding,
            Progress = Math.Max(d.Progress, 30),
            ChunkCount = result.ChunkCount,
            TokenCount = result.TokenCount,
            StageSeconds = IngestionProgress.WithStageSeconds(d.StageSeconds, IngestionStage.Chunking, watch.Elapsed.TotalSeconds),
        }, cancellationToken);
        return result;
    }

    public async Task<int> EmbedBatchAsync(EmbedBatchInput input, IngestionInput document, int batchCount, CancellationToken cancellationToken = default)
    {
        var doc = await Progress.CurrentAsync(document, cancellationToken);
        if (doc is null) return 0;
        var watch = Stopwatch.StartNew();
        var chunks = await ReadJsonAsync<List<TextChunk>>(WorkFiles.Chunks(doc.CloneId, doc.Id, input.Generation), cancellationToken);
        var size = options.Value.EmbedBatchChunks;
        var slice = chunks.Skip(input.Batch * size).Take(size).ToList();
        if (slice.Count == 0) return 0;
        var bytes = await VectorsWorkFile.EmbedAsync(embedder, options.Value, slice, cancellationToken);
        await blobs.PutAsync(WorkFiles.Vectors(doc.CloneId, doc.Id, input.Generation, input.Batch), bytes, "application/octet-stream", cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        await Progress.UpdateAsync(document, d => d with
        {
            Progress = Math.Max(d.Progress, 30 + (int)(55.0 * (input.Batch + 1) / Math.Max(1, batchCount))),
            StageSeconds = IngestionProgress.WithStageSeconds(d.StageSeconds, IngestionStage.Embedding, seconds, add: true),
        }, cancellationToken);
        return slice.Count;
    }

    public async Task IndexAsync(IngestionInput input, CancellationToken cancellationToken = default)
    {
        var doc = await Progress.CurrentAsync(input, cancellationToken);
        if (doc is null) return;
        var watch = Stopwatch.StartNew();
        await Progress.UpdateAsync(input, d => d with { Stage = IngestionStage.Indexing, Progress = Math.Max(d.Progress, 85) }, cancellationToken);
        var chunks = await ReadJsonAsync<List<TextChunk>>(WorkFiles.Chunks(doc.CloneId, doc.Id, input.Generation), cancellationToken);
        var size = options.Value.EmbedBatchChunks;
        var indexed = new List<IndexedChunk>(chunks.Count);
        for (var batch = 0; batch * size < chunks.Count; batch++)
        {
            var blob = await blobs.GetAsync(WorkFiles.Vectors(doc.CloneId, doc.Id, input.Generation, batch), cancellationToken)
                ?? throw new InvalidOperationException($"Vectors of batch {batch} are missing.");
            var inBatch = Math.Min(size, chunks.Count - batch * size);
            var vectors = VectorsWorkFile.Read(blob.Data, inBatch, embedder.Model.Dimensions)
                ?? throw new InvalidOperationException($"Vectors of batch {batch} have the wrong size; embed again.");
            for (var i = 0; i < inBatch; i++)
            {
                var (vector, segments) = vectors[i];
                indexed.Add(new IndexedChunk(chunks[batch * size + i], doc.CloneId, doc.FileName, doc.Title, vector, segments));
            }
        }
        await index.UpsertDocumentAsync(doc.CloneId, doc.Id, embedder.Model, indexed, cancellationToken);
        await Progress.UpdateAsync(input, d => d with
        {
            Stage = IngestionStage.Summarizing,
            Progress = Math.Max(d.Progress, 92),
            EmbeddingModel = embedder.Model.Model,
            StageSeconds = IngestionProgress.WithStageSeconds(d.StageSeconds, IngestionStage.Indexing, watch.Elapsed.TotalSeconds),
        }, cancellationToken);
    }

    public async Task SummarizeAsync(IngestionInput input, CancellationToken cancellationToken = default)
    {
        var doc = await Progress.CurrentAsync(input, cancellationToken);
        if (doc is null) return;
        var watch = Stopwatch.StartNew();
        var text = await ReadJsonAsync<ExtractedText>(WorkFiles.Extracted(doc.CloneId, doc.Id), cancellationToken);
        var summary = ExtractiveSummarizer.Summarize(text);
        await Progress.UpdateAsync(input, d => d with
        {
            Summary = summary,
            Progress = Math.Max(d.Progress, 97),
            StageSeconds = IngestionProgress.WithStageSeconds(d.StageSeconds, IngestionStage.Summarizing, watch.Elapsed.TotalSeconds),
        }, cancellationToken);
    }

    public async Task<IngestionResult> CompleteAsync(IngestionInput input, CancellationToken cancellationToken = default)
    {
        var doc = await Progress.UpdateAsync(input, d => d with
        {
            Status = DocumentStatus.Ready,
            Stage = IngestionStage.Done,
            Progress = 100,
            Error = null,
            ReadyAt = time.GetUtcNow(),
        }, cancellationToken);
        await blobs.DeletePrefixAsync(WorkFiles.Folder(input.CloneId, input.DocumentId) + "/", cancellationToken);
        if (doc is not null)
        {
            logger.LogInformation("Document {DocumentId} of clone {CloneId} is ready: {Chunks} chunks", doc.Id, doc.CloneId, doc.ChunkCount);
            Telemetry.DocumentsIngested.Add(1, new KeyValuePair<string, object?>("status", doc.Status));
        }
        return new IngestionResult(doc?.Status ?? "gone", doc?.ChunkCount ?? 0, null);
    }

    public async Task<IngestionResult> FailAsync(FailureInput input, CancellationToken cancellationToken = default)
    {
        var reason = string.IsNullOrWhiteSpace(input.Reason) ? "Processing failed." : Truncate(input.Reason, 500);
        var doc = await Progress.UpdateAsync(new IngestionInput(input.CloneId, input.DocumentId, input.Generation), d => d with
        {
            Status = DocumentStatus.Failed,
            Error = reason,
            ChunkCount = 0,
        }, cancellationToken);
        if (doc is null) return new IngestionResult("gone", 0, reason);
        // A failed document must not leave half an index behind (nor the chunks of an earlier generation).
        await index.DeleteDocumentAsync(input.CloneId, input.DocumentId, cancellationToken);
        await blobs.DeletePrefixAsync(WorkFiles.Folder(input.CloneId, input.DocumentId) + "/", cancellationToken);
        logger.LogWarning("Document {DocumentId} of clone {CloneId} failed: {Reason}", input.DocumentId, input.CloneId, reason);
        Telemetry.DocumentsIngested.Add(1, new KeyValuePair<string, object?>("status", DocumentStatus.Failed));
        return new IngestionResult(DocumentStatus.Failed, 0, reason);
    }

    private async Task<T> ReadJsonAsync<T>(string path, CancellationToken cancellationToken)
    {
        var blob = await blobs.GetAsync(path, cancellationToken) ?? throw new InvalidOperationException($"Work file {path} is missing.");
        return JsonSerializer.Deserialize<T>(blob.Data, JsonOptions) ?? throw new InvalidOperationException($"Work file {path} is empty.");
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
