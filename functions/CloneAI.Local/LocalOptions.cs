using System.ComponentModel.DataAnnotations;

namespace CloneAI.Local;

/// <summary>The <c>Local</c> section: where the local adapters keep their data, and where the local host finds the web app.</summary>
public sealed class LocalOptions
{
    public const string Section = "Local";

    /// <summary>Data folder: SQLite database, blobs, email outbox, signing key. <c>--data</c> or <c>CLONEAI_DATA</c>.</summary>
    [Required]
    public string DataDir { get; set; } = ".cloneai-data";

    /// <summary>The built web app. Empty: the nearest <c>static-web/dist</c> above the working folder or the executable.</summary>
    public string? WebRoot { get; set; }

    /// <summary>Seed the demo creator and clone into a data folder that has never been seeded (<c>./run</c> sets it; <c>--no-demo</c> clears it).</summary>
    public bool Demo { get; set; }

    /// <summary>Largest request body Kestrel accepts, in bytes.</summary>
    [Range(1024, 1L << 31)]
    public long MaxRequestBodyBytes { get; set; } = 128L * 1024 * 1024;
}
