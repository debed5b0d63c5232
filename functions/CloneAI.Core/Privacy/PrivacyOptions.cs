using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Privacy;

/// <summary>The <c>Privacy</c> section: data exports and account deletion.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>How long an export's download link works; the zip is deleted after that.</summary>
    [Range(1, 24 * 30)]
    public int ExportLinkHours { get; set; } = 48;

    /// <summary>Entra mode: how recent the sign-in (the token's <c>auth_time</c>) must be to delete the account.</summary>
    [Range(1, 24 * 60)]
    public int RecentSignInMinutes { get; set; } = 10;

    /// <summary>Local mode: wrong passwords one account may send to <c>DELETE /api/me</c> per 15 minutes before it must wait.</summary>
    [Range(1, 1000)]
    public int DeletePasswordAttempts { get; set; } = 5;

    /// <summary>Testing: a pause after the first eraser of a deletion, so a test can kill the host mid-deletion. 0 in use.</summary>
    [Range(0, 600_000)]
    public int EraseDelayMs { get; set; }
}
