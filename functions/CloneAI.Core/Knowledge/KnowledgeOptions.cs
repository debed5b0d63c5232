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
