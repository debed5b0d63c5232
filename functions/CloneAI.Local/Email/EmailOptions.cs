using System.ComponentModel.DataAnnotations;

namespace CloneAI.Local.Email;

/// <summary>The <c>Email</c> section: the sender, and an optional SMTP relay next to the outbox.</summary>
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
