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

    /// <summary>Largest request body Kestrel accepts, in bytes.</summary>
    [Range(1024, 1L << 31)]
    public long MaxRequestBodyBytes { get; set; } = 128L * 1024 * 1024;
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
