using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using CloneAI.Core.Knowledge;
using CloneAI.Functions.Http;

namespace CloneAI.Functions.Api.Knowledge;

/// <summary>A document of a clone's knowledge base and where its ingestion stands.</summary>
public sealed record DocumentDto(
    string Id, string FileName, string Title, string ContentType, long Size, [property: ValuesFrom(typeof(DocumentStatus))] string Status,
    string Stage, [property: Description("Percent of the current ingestion done, 0 to 100.")] int Progress,
    int ChunkCount, int TokenCount, int PageCount, IReadOnlyList<string> Tags, string? Category, string? Error, string Summary,
    string Sha256, string? SourceUrl, string? EmbeddingModel,
    [property: Description("Seconds spent in each stage of the last ingestion.")] IReadOnlyDictionary<string, double> StageSeconds,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ReadyAt,
    [property: Description("On upload and import: true when the clone already had this file (same SHA-256) and that document is returned.")] bool? Duplicate = null)
{
    public static DocumentDto From(KnowledgeDocument d, bool? duplicate = null) => new(
        d.Id, d.FileName, d.Title, d.ContentType, d.Size, d.Status, d.Stage, d.Progress, d.ChunkCount, d.TokenCount, d.PageCount,
        d.Tags, d.Category, d.Error, d.Summary, d.Sha256, d.SourceUrl, d.EmbeddingModel, d.StageSeconds, d.CreatedAt, d.UpdatedAt,
        d.ReadyAt, duplicate);
}

/// <summary>The documents one upload added (or found already there).</summary>
public sealed record DocumentList(IReadOnlyList<DocumentDto> Items);

public sealed record DocumentPage(IReadOnlyList<DocumentDto> Items, string? ContinuationToken);

public sealed record DocumentQuery([ValuesFrom(typeof(DocumentStatus))] string? Status, string? Tag, [Description("1 to 200, default 50.")] int? PageSize, string? ContinuationToken)
{
    public DocumentFilter ToFilter() => new(Status, Tag, PageSize ?? 50, ContinuationToken);
}

public sealed record ImportUrlRequest([Required, Description("An http(s) address.")] string? Url, IReadOnlyList<string>? Tags);

public sealed record UploadUrlRequest([Required] string? FileName, [Required, Description("Bytes.")] long? Size, IReadOnlyList<string>? Tags);

/// <summary>Where to PUT the file (a short-lived SAS URL) and the document record that waits for it.</summary>
public sealed record UploadUrlIssued(string DocumentId, Uri UploadUrl, DateTimeOffset ExpiresAt, DocumentDto Document);

/// <summary>A change of a document; absent fields stay as they are, and a null category clears it.</summary>
public sealed record UpdateDocumentRequest(string? Title, IReadOnlyList<string>? Tags, [NullClears] string? Category);

public static class BulkActions
{
    public const string Delete = "delete";
    public const string Reindex = "reindex";
    public const string Tag = "tag";
}

public sealed record BulkDocumentsRequest(
    [Required, ValuesFrom(typeof(BulkActions))] string? Action,
    [Required, Description("1 to 100 document ids.")] IReadOnlyList<string>? DocumentIds,
    [Description("The tags to set, with action tag.")] IReadOnlyList<string>? Tags);

public sealed record BulkFailure(string Id, string Error);

public sealed record BulkResult(IReadOnlyList<string> Succeeded, IReadOnlyList<BulkFailure> Failed);

/// <summary>A character range of a text; both ends optional.</summary>
public sealed record TextRangeQuery(int? Start, int? End);

public sealed record KnowledgeStatsDto(
    int Documents, int Ready, int Processing, int Failed, int Chunks, long Tokens, long Bytes,
    EmbeddingModelInfo CurrentModel, IReadOnlyList<EmbeddingModelInfo> IndexedModels, bool NeedsReindex)
{
    public static KnowledgeStatsDto From(KnowledgeStatsView view)
    {
        var s = view.Stats;
        return new(s.Documents, s.Ready, s.Processing, s.Failed, s.Chunks, s.Tokens, s.Bytes, view.CurrentModel, view.IndexedModels, view.NeedsReindex);
    }
}

public sealed record KnowledgeSearchQuery([Required] string? Q, [Description("How many passages, default 8.")] int? Top, [ValuesFrom(typeof(SearchModes))] string? Mode);

public sealed record KnowledgeSearchHit(
    string DocumentId, string FileName, string Title, string ChunkId, string Text, int Start, int End, int? Page, string HeadingPath, double Score)
{
    public static KnowledgeSearchHit From(KnowledgeHit h) =>
        new(h.DocumentId, h.FileName, h.Title, h.ChunkId, h.Text, h.Start, h.End, h.Page, h.HeadingPath, Math.Round(h.Score, 6));
}

public sealed record KnowledgeSearchResult(IReadOnlyList<KnowledgeSearchHit> Items, [property: ValuesFrom(typeof(SearchModes))] string Mode);
