using System.Security.Cryptography;
using System.Text.Json;
using CloneAI.Core.Blobs;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Knowledge;

/// <summary>A file as received: its name as the client sent it, and its bytes.</summary>
public sealed record IncomingFile(string FileName, byte[] Data);

/// <summary>A stored document and whether it was already there (same SHA-256 in the same clone).</summary>
public sealed record AddedDocument(KnowledgeDocument Document, bool Duplicate);

public sealed record DocumentPatch(string? Title, IReadOnlyList<string>? Tags, string? Category, bool ClearCategory = false);

public sealed record DocumentTextSlice(string DocumentId, int Start, int End, int TotalLength, string Text, int? Page);

/// <summary>
/// A clone's knowledge base: adding documents (the blob write starts ingestion), managing them, reading their text and
/// searching. Callers have already checked that the caller may manage the clone.
/// </summary>
public sealed class KnowledgeService(
    IDocumentStore documents,
    IBlobStore blobs,
    IKnowledgeIndex index,
    IKnowledgeEmbedder embedder,
    IOptions<KnowledgeOptions> options,
    TimeProvider time,
    ILogger<KnowledgeService> logger,
    EmbeddingBudget? budget = null)
{
    public const int MaxTags = 20;
    public const int MaxTagLength = 40;
    public const int MaxTitle = 200;
    public const int MaxQuery = 500;
    public const int MaxTextSlice = 20_000;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Checks every file first; if one is unacceptable nothing is stored. Then stores each new one.</summary>
    public async Task<IReadOnlyList<AddedDocument>> AddFilesAsync(Clone clone, string ownerId, IReadOnlyList<IncomingFile> files, IReadOnlyList<string> tags, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        if (files.Count == 0) v.Add("files", "Attach at least one file.");
        if (files.Count > options.Value.MaxFilesPerUpload) v.Add("files", $"At most {options.Value.MaxFilesPerUpload} files at once.");
        ValidateTags(v, tags);
        var checkedFiles = new List<(string Name, string Kind, byte[] Data)>();
        for (var i = 0; i < files.Count; i++)
        {
            var name = FileTypes.SanitizeFileName(files[i].FileName);
            if (files[i].Data.LongLength > options.Value.MaxFileBytes)
                throw new PayloadTooLargeException($"'{name}' is larger than {options.Value.MaxFileBytes / 1024 / 1024} MB.");
            try
            {
                checkedFiles.Add((name, FileTypes.Detect(files[i].Data, name), files[i].Data));
            }
            catch (ExtractionException e)
            {
                v.Add($"files[{i}]", $"{name}: {e.Message}");
            }
        }
        v.ThrowIfInvalid();

        var added = new List<AddedDocument>();
        foreach (var (name, kind, data) in checkedFiles)
            added.Add(await AddOneAsync(clone, ownerId, name, kind, data, tags, null, cancellationToken));
        return added;
    }

    public async Task<AddedDocument> AddOneAsync(Clone clone, string ownerId, string fileName, string kind, byte[] data, IReadOnlyList<string> tags, string? sourceUrl, CancellationToken cancellationToken = default)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(data));
        if (await documents.FindByHashAsync(clone.Id, sha, cancellationToken) is { } existing) return new AddedDocument(existing, true);

        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7().ToString("N");
        var document = new KnowledgeDocument
        {
            Id = id,
            CloneId = clone.Id,
            OwnerId = ownerId,
            FileName = fileName,
            Title = Path.GetFileNameWithoutExtension(fileName),
            Kind = kind,
            Size = data.LongLength,
            Sha256 = sha,
            BlobPath = WorkFiles.Original(clone.Id, id, fileName),
            SourceUrl = sourceUrl,
            Tags = NormalizeTags(tags),
            CreatedAt = now,
            UpdatedAt = now,
        };
        try
        {
            document = await documents.CreateAsync(document, cancellationToken);
        }
        catch (ConflictException)
        {
            // The same file arrived twice at once: the other request stored it.
            var winner = await documents.FindByHashAsync(clone.Id, sha, cancellationToken);
            if (winner is not null) return new AddedDocument(winner, true);
            throw;
        }
        try
        {
            // The record exists before the blob, so the blob trigger always finds it.
            await blobs.PutAsync(document.BlobPath, data, document.ContentType, cancellationToken);
        }
        catch
        {
            await documents.DeleteAsync(clone.Id, id, CancellationToken.None);
            throw;
        }
        logger.LogInformation("Document {DocumentId} ({Kind}, {Bytes} bytes) added to clone {CloneId}", id, kind, data.Length, clone.Id);
        return new AddedDocument(document, false);
    }

    public async Task<KnowledgeDocument> GetAsync(string cloneId, string documentId, CancellationToken cancellationToken = default) =>
        await documents.GetAsync(cloneId, documentId, cancellationToken) ?? throw new NotFoundException("No such document in this clone.");

    public Task<Page<KnowledgeDocument>> ListAsync(string cloneId, DocumentFilter filter, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        if (filter.Status is not null && !DocumentStatus.All.Contains(filter.Status)) v.Add("status", $"Use one of: {string.Join(", ", DocumentStatus.All)}.");
        if (filter.Tag is { Length: > MaxTagLength }) v.Add("tag", $"At most {MaxTagLength} characters.");
        if (filter.PageSize is < 1 or > 200) v.Add("pageSize", "Must be between 1 and 200.");
        v.ThrowIfInvalid();
        return documents.ListAsync(cloneId, filter, cancellationToken);
    }

    public async Task<KnowledgeDocument> UpdateAsync(string cloneId, string documentId, DocumentPatch patch, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        if (patch.Title is not null) v.Require("title", patch.Title, MaxTitle);
        if (patch.Tags is not null) ValidateTags(v, patch.Tags);
        if (patch.Category is not null && !Categories.Exists(patch.Category)) v.Add("category", "Pick one of the listed categories.");
        v.ThrowIfInvalid();
        var doc = await GetAsync(cloneId, documentId, cancellationToken);
        return await documents.ReplaceAsync(doc with
        {
            Title = patch.Title?.Trim() ?? doc.Title,
            Tags = patch.Tags is null ? doc.Tags : NormalizeTags(patch.Tags),
            Category = patch.ClearCategory ? null : patch.Category ?? doc.Category,
            UpdatedAt = time.GetUtcNow(),
        }, cancellationToken);
    }

    /// <summary>Removes the record, the chunks, the original blob, the extracted text and any work files.</summary>
    public async Task DeleteAsync(string cloneId, string documentId, CancellationToken cancellationToken = default)
    {
        var doc = await GetAsync(cloneId, documentId, cancellationToken);
        await documents.DeleteAsync(cloneId, documentId, cancellationToken);
        await index.DeleteDocumentAsync(cloneId, documentId, cancellationToken);
        await blobs.DeleteAsync(doc.BlobPath, cancellationToken);
        await blobs.DeleteAsync(WorkFiles.Extracted(cloneId, documentId), cancellationToken);
        await blobs.DeletePrefixAsync(WorkFiles.Folder(cloneId, documentId) + "/", cancellationToken);
        logger.LogInformation("Document {DocumentId} deleted from clone {CloneId}", documentId, cloneId);
    }

    /// <summary>
    /// Starts a new ingestion generation; the caller starts its orchestration with the returned input. Refused while the
    /// document is processed, within the re-index cooldown, and when its owner's embedding budget is used up (<see cref="EmbeddingBudget"/>).
    /// </summary>
    public async Task<(KnowledgeDocument Document, IngestionInput Input)> PrepareReindexAsync(string cloneId, string documentId, CancellationToken cancellationToken = default)
    {
        var doc = await GetAsync(cloneId, documentId, cancellationToken);
        if (budget is not null) await budget.AdmitReindexAsync(doc, cancellationToken);
        // The replace is conditional on the version read: of two re-indexes at once, one starts and the other gets 409.
        var next = await documents.ReplaceAsync(doc with
        {
            ReindexedAt = time.GetUtcNow(),
            Generation = doc.Generation + 1,
            Status = DocumentStatus.Uploaded,
            Stage = IngestionStage.Queued,
            Progress = 0,
            Error = null,
            StageSeconds = new Dictionary<string, double>(),
            UpdatedAt = time.GetUtcNow(),
        }, cancellationToken);
        return (next, new IngestionInput(cloneId, documentId, next.Generation));
    }

    /// <summary>The input of the orchestration for the document's current generation, when it still needs one.</summary>
    public async Task<IngestionInput?> PendingIngestionAsync(string cloneId, string documentId, CancellationToken cancellationToken = default)
    {
        var doc = await documents.GetAsync(cloneId, documentId, cancellationToken);
        return doc is { IsFinished: false } ? new IngestionInput(cloneId, documentId, doc.Generation) : null;
    }

    public async Task<IReadOnlyList<IngestionInput>> UnfinishedAsync(CancellationToken cancellationToken = default) =>
        (await documents.ListUnfinishedAsync(cancellationToken)).Select(d => new IngestionInput(d.CloneId, d.Id, d.Generation)).ToList();

    public async Task<DocumentTextSlice> GetTextAsync(string cloneId, string documentId, int? start, int? end, CancellationToken cancellationToken = default) =>
        Slice(documentId, await ExtractedAsync(cloneId, documentId, cancellationToken), start, end);

    /// <summary>Like <see cref="GetTextAsync"/>, but a window reaching past either end of the text is cut to it rather than refused.</summary>
    public async Task<DocumentTextSlice> GetTextWindowAsync(string cloneId, string documentId, int start, int end, CancellationToken cancellationToken = default)
    {
        var text = await ExtractedAsync(cloneId, documentId, cancellationToken);
        var length = text.Text.Length;
        return Slice(documentId, text, Math.Clamp(start, 0, length), Math.Clamp(end, 0, length));
    }

    private async Task<ExtractedText> ExtractedAsync(string cloneId, string documentId, CancellationToken cancellationToken)
    {
        var doc = await GetAsync(cloneId, documentId, cancellationToken);
        var blob = await blobs.GetAsync(WorkFiles.Extracted(cloneId, documentId), cancellationToken)
            ?? throw new ConflictException(doc.Status == DocumentStatus.Failed
                ? "This document failed to process, so it has no text."
                : "The text of this document is not extracted yet. Try again when it is ready.");
        return JsonSerializer.Deserialize<ExtractedText>(blob.Data, JsonOptions)!;
    }

    private static DocumentTextSlice Slice(string documentId, ExtractedText text, int? start, int? end)
    {
        var length = text.Text.Length;
        var v = new Validator();
        if (start is < 0 || start > length) v.Add("start", $"Must be between 0 and {length}.");
        if (end is < 0 || end > length) v.Add("end", $"Must be between 0 and {length}.");
        v.ThrowIfInvalid();
        var from = start ?? 0;
        var to = end ?? Math.Min(length, from + MaxTextSlice);
        if (to < from) throw new ValidationException("end", "Must not be before start.");
        if (to - from > MaxTextSlice) throw new ValidationException("end", $"At most {MaxTextSlice} characters at once.");
        return new DocumentTextSlice(documentId, from, to, length, text.Text[from..to], text.PageAt(from));
    }

    public async Task<KnowledgeStatsView> GetStatsAsync(string cloneId, CancellationToken cancellationToken = default)
    {
        var stats = await documents.GetStatsAsync(cloneId, cancellationToken);
        var models = await index.GetModelsAsync(cloneId, cancellationToken);
        var current = embedder.Model;
        var stale = models.Any(m => m != current);
        return new KnowledgeStatsView(stats, current, models, stale);
    }

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string cloneId, string? q, int? top, string? mode, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        if (string.IsNullOrWhiteSpace(q)) v.Add("q", "Type something to search for.");
        else if (q.Length > MaxQuery) v.Add("q", $"At most {MaxQuery} characters.");
        if (top is < 1 or > 50) v.Add("top", "Must be between 1 and 50.");
        var m = mode ?? SearchModes.Hybrid;
        if (!SearchModes.All.Contains(m)) v.Add("mode", $"Use one of: {string.Join(", ", SearchModes.All)}.");
        v.ThrowIfInvalid();
        using var activity = Telemetry.Source.StartActivity("knowledge.search");
        activity?.SetTag("cloneai.clone_id", cloneId);
        activity?.SetTag("cloneai.search_mode", m);
        var vector = m == SearchModes.Keyword ? null : await embedder.EmbedQueryAsync(q!.Trim(), cancellationToken);
        return await index.SearchAsync(new KnowledgeQuery(cloneId, q!.Trim(), vector, m, top ?? options.Value.DefaultTop, 0, embedder.Model), cancellationToken);
    }

    private static void ValidateTags(Validator v, IReadOnlyList<string> tags)
    {
        if (tags.Count > MaxTags) v.Add("tags", $"At most {MaxTags} tags.");
        if (tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Trim().Length > MaxTagLength)) v.Add("tags", $"Each tag needs 1 to {MaxTagLength} characters.");
    }

    private static List<string> NormalizeTags(IReadOnlyList<string> tags) =>
        tags.Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
}

public sealed record KnowledgeStatsView(KnowledgeStats Stats, EmbeddingModelInfo CurrentModel, IReadOnlyList<EmbeddingModelInfo> IndexedModels, bool NeedsReindex);
