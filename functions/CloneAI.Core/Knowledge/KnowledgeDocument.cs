namespace CloneAI.Core.Knowledge;

public static class DocumentStatus
{
    public const string Uploaded = "uploaded";
    public const string Processing = "processing";
    public const string Ready = "ready";
    public const string Failed = "failed";
    public static readonly IReadOnlyList<string> All = [Uploaded, Processing, Ready, Failed];
}

/// <summary>Where an ingestion is; each stage owns a range of the progress percentage.</summary>
public static class IngestionStage
{
    public const string Queued = "queued";
    public const string Extracting = "extracting";
    public const string Chunking = "chunking";
    public const string Embedding = "embedding";
    public const string Indexing = "indexing";
    public const string Summarizing = "summarizing";
    public const string Done = "done";
}

/// <summary>The formats a knowledge base takes, decided by the file's bytes and its extension together.</summary>
public static class DocumentKinds
{
    public const string Pdf = "pdf";
    public const string Docx = "docx";
    public const string Txt = "txt";
    public const string Md = "md";
    public const string Html = "html";

    public static readonly IReadOnlyDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [Pdf] = "application/pdf",
        [Docx] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [Txt] = "text/plain",
        [Md] = "text/markdown",
        [Html] = "text/html",
    };
}

/// <summary>
/// One uploaded document of a clone's knowledge base. Partition key in Cosmos: <c>/cloneId</c>.
/// The original is at <see cref="BlobPath"/> = <c>knowledge/{cloneId}/{documentId}/{fileName}</c>.
/// </summary>
public sealed record KnowledgeDocument
{
    public required string Id { get; init; }
    public required string CloneId { get; init; }
    public required string OwnerId { get; init; }
    public required string FileName { get; init; }
    public required string Title { get; init; }
    public required string Kind { get; init; }
    public long Size { get; init; }
    public required string Sha256 { get; init; }
    public required string BlobPath { get; init; }
    public string? SourceUrl { get; init; }
    public string Status { get; init; } = DocumentStatus.Uploaded;
    public string Stage { get; init; } = IngestionStage.Queued;
    public int Progress { get; init; }
    public int ChunkCount { get; init; }
    public int TokenCount { get; init; }
    public int PageCount { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Category { get; init; }
    public string Summary { get; init; } = "";
    public string? Error { get; init; }
    /// <summary>The embedding model whose vectors index this document (null until indexed).</summary>
    public string? EmbeddingModel { get; init; }
    /// <summary>Bumped by every (re)ingestion; work files and the orchestration instance carry it so a stale run changes nothing.</summary>
    public int Generation { get; init; } = 1;
    /// <summary>Seconds spent in each stage of the last ingestion (embedding sums its parallel batches).</summary>
    public IReadOnlyDictionary<string, double> StageSeconds { get; init; } = new Dictionary<string, double>();
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }
    /// <summary>When the document was last re-indexed by request (the re-index cooldown counts from here).</summary>
    public DateTimeOffset? ReindexedAt { get; init; }
    public string? ETag { get; init; }

    public string ContentType => DocumentKinds.ContentTypes.GetValueOrDefault(Kind, "application/octet-stream");

    public bool IsFinished => Status is DocumentStatus.Ready or DocumentStatus.Failed;
}

public sealed record KnowledgeStats(
    int Documents, int Ready, int Processing, int Failed, int Chunks, long Tokens, long Bytes, IReadOnlyList<string> EmbeddingModels);
