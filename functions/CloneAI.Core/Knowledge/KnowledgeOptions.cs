using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Knowledge;

public sealed class KnowledgeOptions
{
    public const string Section = "Knowledge";

    /// <summary>Largest uploaded file, in bytes.</summary>
    [Range(1024, 1L << 31)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    [Range(1, 100)]
    public int MaxFilesPerUpload { get; set; } = 20;

    /// <summary>Chunks per embedding activity (the orchestration fans out over these batches).</summary>
    [Range(1, 4096)]
    public int EmbedBatchChunks { get; set; } = 128;

    /// <summary>
    /// Embed each chunk's sentences (<see cref="PassageSegmenter"/>) instead of the whole chunk, and rank a chunk by its best
    /// sentence. On COVID-QA dev with the local ArcticXs model, vector search goes from recall@5 0.641 / MRR@10 0.512 (one vector
    /// per chunk) to 0.795 / 0.649, in less embedding time (short inputs pad less). The local index keeps every sentence vector;
    /// indexes that hold one vector per chunk (Azure AI Search) get their normalised mean, so the Azure host turns this off and
    /// embeds whole chunks, which large hosted models do well.
    /// </summary>
    public bool SegmentVectors { get; set; } = true;

    /// <summary>Shortest segment, in characters: shorter sentences (headings, labels) are joined to a neighbour.</summary>
    [Range(1, 2000)]
    public int SegmentMinChars { get; set; } = 40;

    /// <summary>Largest page <c>import-url</c> downloads, in bytes.</summary>
    [Range(1024, 1L << 30)]
    public long MaxImportBytes { get; set; } = 10L * 1024 * 1024;

    [Range(1, 300)]
    public int ImportTimeoutSeconds { get; set; } = 20;

    /// <summary>Let <c>import-url</c> fetch loopback and private-network addresses (tests, a local intranet). Off by default.</summary>
    public bool ImportAllowPrivateNetworks { get; set; }

    [Range(1, 50)]
    public int DefaultTop { get; set; } = 8;

    /// <summary>Lifetime of an Azure upload SAS URL.</summary>
    [Range(1, 120)]
    public int UploadUrlMinutes { get; set; } = 15;
}
