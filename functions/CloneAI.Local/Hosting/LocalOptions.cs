using System.ComponentModel.DataAnnotations;

namespace CloneAI.Local.Hosting;

/// <summary>Where the local host keeps its data and finds the web app.</summary>
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

/// <summary>How many Durable work items the in-process backend runs at once.</summary>
public sealed class LocalDurableOptions
{
    public const string Section = "Durable";

    /// <summary>
    /// Activities in flight at once (the in-process backend's own default is one per core). The backend sleeps 500 ms
    /// whenever the limit is reached, so a low limit stalls many short activities; embedding activities share one model,
    /// which takes turns, so more of them in flight costs no extra CPU.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentActivities { get; set; } = 32;

    /// <summary>Orchestration episodes in flight at once (each is a short replay).</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentOrchestrations { get; set; } = 64;
}

public sealed class EmailOptions
{
    public const string Section = "Email";

    [Required]
    public string From { get; set; } = "CloneAI <no-reply@cloneai.local>";

    /// <summary>Optional SMTP relay. Emails are always written to the outbox as well.</summary>
    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }
    public bool SmtpStartTls { get; set; } = true;
}
