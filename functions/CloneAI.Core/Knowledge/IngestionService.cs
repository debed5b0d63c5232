using System.Diagnostics;
using System.Runtime.InteropServices;
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
    IRealtimeHub? hub = null)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The SHA-256 of a document whose bytes have not been seen yet (a direct upload): <c>pending:{documentId}</c>.</summary>
    public const string PendingHashPrefix = "pending:";

    public async Task ExtractAsync(IngestionInput input, CancellationToken cancellationToken = default)
    {
        var doc = await CurrentAsync(input, cancellationToken);
        if (doc is null) return;
        var watch = Stopwatch.StartNew();
        doc = await UpdateAsync(input, d => d with { Status = DocumentStatus.Processing, Stage = IngestionStage.Extracting, Progress = Math.Max(d.Progress, 5), Error = null }, cancellationToken);
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
            doc = await UpdateAsync(input, d => d with { Sha256 = sha, Size = original.Data.LongLength }, cancellationToken);
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
        await UpdateAsync(input, d => d with
        {
            Stage = IngestionStage.Chunking,
            Progress = Math.Max(d.Progress, 20),
            PageCount = text.Pages.Count,
            Title = d.Title == defaultTitle && !string.IsNullOrWhiteSpace(text.Title) ? Truncate(text.Title.Trim(), 200) : d.Title,
            StageSeconds = With(d.StageSeconds, IngestionStage.Extracting, watch.Elapsed.TotalSeconds),
        }, cancellationToken);
    }

    public async Task<ChunkResult> ChunkAsync(IngestionInput input, CancellationToken cancellationToken = default)
    {
        var doc = await CurrentAsync(input, cancellationToken);
        if (doc is null) return new ChunkResult(0, 0, 0);
        var watch = Stopwatch.StartNew();
        var text = await ReadJsonAsync<ExtractedText>(WorkFiles.Extracted(doc.CloneId, doc.Id), cancellationToken);
        var chunks = chunker.Chunk(doc.Id, text);
        if (chunks.Count == 0) throw new PermanentIngestionException("The document has no text to learn from.");
        await blobs.PutAsync(WorkFiles.Chunks(doc.CloneId, doc.Id, input.Generation), JsonSerializer.SerializeToUtf8Bytes(chunks, JsonOptions), "application/json", cancellationToken);

        var batchSize = options.Value.EmbedBatchChunks;
        var result = new ChunkResult(chunks.Count, (chunks.Count + batchSize - 1) / batchSize, chunks.Sum(c => c.TokenCount));
        await UpdateAsync(input, d => d with
        {
            Stage = IngestionStage.Embedding,
            Progress = Math.Max(d.Progress, 30),
            ChunkCount = result.ChunkCount,
            TokenCount = result.TokenCount,
            StageSeconds = With(d.StageSeconds, IngestionStage.Chunking, watch.Elapsed.TotalSeconds),
        }, cancellationToken);
        return result;
    }

    public async Task<int> EmbedBatchAsync(EmbedBatchInput input, IngestionInput document, int batchCount, CancellationToken cancellationToken = default)
    {
        var doc = await CurrentAsync(document, cancellationToken);
        if (doc is null) return 0;
        var watch = Stopwatch.StartNew();
        var chunks = await ReadJsonAsync<List<TextChunk>>(WorkFiles.Chunks(doc.CloneId, doc.Id, input.Generation), cancellationToken);
        var size = options.Value.EmbedBatchChunks;
        var slice = chunks.Skip(input.Batch * size).Take(size).ToList();
        if (slice.Count == 0) return 0;
        var bytes = await EmbedChunksAsync(slice, cancellationToken);
        await blobs.PutAsync(WorkFiles.Vectors(doc.CloneId, doc.Id, input.Generation, input.Batch), bytes, "application/octet-stream", cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        await UpdateAsync(document, d => d with
        {
            Progress = Math.Max(d.Progress, 30 + (int)(55.0 * (input.Batch + 1) / Math.Max(1, batchCount))),
            StageSeconds = With(d.StageSeconds, IngestionStage.Embedding, seconds, add: true),
        }, cancellationToken);
        return slice.Count;
    }

    public async Task IndexAsync(IngestionInput input, CancellationToken cancellationToken = default)
    {
        var doc = await CurrentAsync(input, cancellationToken);
        if (doc is null) return;
        var watch = Stopwatch.StartNew();
        await UpdateAsync(input, d => d with { Stage = IngestionStage.Indexing, Progress = Math.Max(d.Progress, 85) }, cancellationToken);
        var chunks = await ReadJsonAsync<List<TextChunk>>(WorkFiles.Chunks(doc.CloneId, doc.Id, input.Generation), cancellationToken);
        var size = options.Value.EmbedBatchChunks;
        var indexed = new List<IndexedChunk>(chunks.Count);
        for (var batch = 0; batch * size < chunks.Count; batch++)
        {
            var blob = await blobs.GetAsync(WorkFiles.Vectors(doc.CloneId, doc.Id, input.Generation, batch), cancellationToken)
                ?? throw new InvalidOperationException($"Vectors of batch {batch} are missing.");
            var inBatch = Math.Min(size, chunks.Count - batch * size);
            var vectors = ReadVectors(blob.Data, inBatch, embedder.Model.Dimensions)
                ?? throw new InvalidOperationException($"Vectors of batch {batch} have the wrong size; embed again.");
            for (var i = 0; i < inBatch; i++)
            {
                var (vector, segments) = vectors[i];
                indexed.Add(new IndexedChunk(chunks[batch * size + i], doc.CloneId, doc.FileName, doc.Title, vector, segments));
            }
        }
        await index.UpsertDocumentAsync(doc.CloneId, doc.Id, embedder.Model, indexed, cancellationToken);
        await UpdateAsync(input, d => d with
        {
            Stage = IngestionStage.Summarizing,
            Progress = Math.Max(d.Progress, 92),
            EmbeddingModel = embedder.Model.Model,
            StageSeconds = With(d.StageSeconds, IngestionStage.Indexing, watch.Elapsed.TotalSeconds),
        }, cancellationToken);
    }

    /// <summary>
    /// Embeds a batch of chunks into the vectors work file: whole chunks, or (with <see cref="KnowledgeOptions.SegmentVectors"/>)
    /// their segments, each distinct span once (neighbouring chunks share their overlap). The file is self-describing, so the
    /// index step reads it whatever the setting is by then: int32 format (1 chunk vectors, 2 segment vectors), one int32 vector
    /// count per chunk, then the float32 vectors in chunk order.
    /// </summary>
    private async Task<byte[]> EmbedChunksAsync(List<TextChunk> slice, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var texts = new List<string>();
        var counts = new int[slice.Count];
        var rows = new List<int>(); // per vector of the file: its row in texts
        var seen = new Dictionary<(int, int), int>();
        for (var c = 0; c < slice.Count; c++)
        {
            var chunk = slice[c];
            var spans = settings.SegmentVectors ? PassageSegmenter.Segment(chunk.Text, settings.SegmentMinChars) : [];
            if (spans.Count == 0) spans.Add((0, chunk.Text.Length)); // the whole chunk
            foreach (var (start, end) in spans)
            {
                if (!seen.TryGetValue((chunk.Start + start, chunk.Start + end), out var row))
                {
                    seen[(chunk.Start + start, chunk.Start + end)] = row = texts.Count;
                    texts.Add(chunk.Text[start..end]);
                }
                rows.Add(row);
            }
            counts[c] = spans.Count;
        }

        var vectors = await embedder.EmbedPassagesAsync(texts, cancellationToken);
        if (vectors.Length != texts.Count) throw new InvalidOperationException($"The embedder returned {vectors.Length} vectors for {texts.Count} passages.");
        var dims = embedder.Model.Dimensions;
        var bytes = new byte[sizeof(int) * (1 + counts.Length) + rows.Count * dims * sizeof(float)];
        var header = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(0, sizeof(int) * (1 + counts.Length)));
        header[0] = settings.SegmentVectors ? 2 : 1;
        counts.CopyTo(header[1..]);
        var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(header.Length * sizeof(int)));
        for (var i = 0; i < rows.Count; i++)
        {
            var v = vectors[rows[i]];
            if (v.Length != dims) throw new InvalidOperationException($"The embedder returned {v.Length} dimensions, not {dims}.");
            v.CopyTo(floats.Slice(i * dims, dims));
        }
        return bytes;
    }

    /// <summary>Reads a vectors work file of <paramref name="chunks"/> chunks (see <see cref="EmbedChunksAsync"/>); null when malformed.</summary>
    internal static (float[] Vector, IReadOnlyList<float[]>? Segments)[]? ReadVectors(byte[] data, int chunks, int dims)
    {
        var headerBytes = sizeof(int) * (1 + chunks);
        if (data.Length < headerBytes) return null;
        var header = MemoryMarshal.Cast<byte, int>(data.AsSpan(0, headerBytes));
        if (header[0] is not (1 or 2)) return null;
        long total = 0;
        foreach (var n in header[1..])
        {
            if (n < 1 || (header[0] == 1 && n != 1)) return null;
            total += n;
        }
        if (data.Length - headerBytes != total * dims * sizeof(float)) return null;
        var floats = MemoryMarshal.Cast<byte, float>(data.AsSpan(headerBytes));
        var result = new (float[], IReadOnlyList<float[]>?)[chunks];
        var offset = 0;
        for (var c = 0; c < chunks; c++)
        {
            var n = header[1 + c];
            if (header[0] == 1)
            {
                result[c] = (floats.Slice(offset, dims).ToArray(), null);
            }
            else
            {
                var segments = new float[n][];
                var mean = new float[dims];
                for (var j = 0; j < n; j++)
                {
                    segments[j] = floats.Slice(offset + j * dims, dims).ToArray();
                    for (var d = 0; d < dims; d++) mean[d] += segments[j][d];
                }
                result[c] = (KnowledgeEmbedder.ToUnitVector(mean), segments);
            }
            offset += n * dims;
        }
        return result;
    }

    public async Task SummarizeAsync(IngestionInput input, CancellationToken cancellationToken = default)
    {
        var doc = await CurrentAsync(input, cancellationToken);
        if (doc is null) return;
        var watch = Stopwatch.StartNew();
        var text = await ReadJsonAsync<ExtractedText>(WorkFiles.Extracted(doc.CloneId, doc.Id), cancellationToken);
        var summary = ExtractiveSummarizer.Summarize(text);
        await UpdateAsync(input, d => d with
        {
            Summary = summary,
            Progress = Math.Max(d.Progress, 97),
            StageSeconds = With(d.StageSeconds, IngestionStage.Summarizing, watch.Elapsed.TotalSeconds),
        }, cancellationToken);
    }

    public async Task<IngestionResult> CompleteAsync(IngestionInput input, CancellationToken cancellationToken = default)
    {
        var doc = await UpdateAsync(input, d => d with
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
        var doc = await UpdateAsync(new IngestionInput(input.CloneId, input.DocumentId, input.Generation), d => d with
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

    private async Task<KnowledgeDocument?> CurrentAsync(IngestionInput input, CancellationToken cancellationToken)
    {
        var doc = await documents.GetAsync(input.CloneId, input.DocumentId, cancellationToken);
        return doc is not null && doc.Generation == input.Generation ? doc : null;
    }

    /// <summary>Applies a change to the current generation of the document, retrying when a parallel activity wrote first.</summary>
    private async Task<KnowledgeDocument?> UpdateAsync(IngestionInput input, Func<KnowledgeDocument, KnowledgeDocument> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var doc = await CurrentAsync(input, cancellationToken);
            if (doc is null) return null;
            try
            {
                var stored = await documents.ReplaceAsync(change(doc) with { UpdatedAt = time.GetUtcNow() }, cancellationToken);
                await PushProgressAsync(stored, cancellationToken);
                return stored;
            }
            catch (ConflictException) when (attempt < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5 * (attempt + 1)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Tells the creator's open pages (the realtime group <c>user-{ownerId}</c>) where the document is. Best effort: the stored
    /// document is the record, and pages that miss a frame still poll it.
    /// </summary>
    private async Task PushProgressAsync(KnowledgeDocument doc, CancellationToken cancellationToken)
    {
        if (hub is null) return;
        try
        {
            await hub.SendToGroupAsync(RealtimeGroups.User(doc.OwnerId), new
            {
                type = "document",
                cloneId = doc.CloneId,
                documentId = doc.Id,
                status = doc.Status,
                stage = doc.Stage,
                progress = doc.Progress,
                chunkCount = doc.ChunkCount,
                error = doc.Error,
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not push the progress of document {DocumentId}", doc.Id);
        }
    }

    private async Task<T> ReadJsonAsync<T>(string path, CancellationToken cancellationToken)
    {
        var blob = await blobs.GetAsync(path, cancellationToken) ?? throw new InvalidOperationException($"Work file {path} is missing.");
        return JsonSerializer.Deserialize<T>(blob.Data, JsonOptions) ?? throw new InvalidOperationException($"Work file {path} is empty.");
    }

    private static Dictionary<string, double> With(IReadOnlyDictionary<string, double> current, string stage, double seconds, bool add = false)
    {
        var copy = new Dictionary<string, double>(current, StringComparer.Ordinal);
        copy[stage] = Math.Round((add && copy.TryGetValue(stage, out var existing) ? existing : 0) + seconds, 3);
        return copy;
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
