using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary><c>local</c> (built-in accounts) or <c>entra</c> (Microsoft Entra External ID).</summary>
    [Required, RegularExpression("^(local|entra)$")]
    public string Mode { get; set; } = Names.AuthModeLocal;

    /// <summary>Emails that get the admin role.</summary>
    public IList<string> AdminEmails { get; init; } = [];

    /// <summary>Base URL used in links inside emails.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:7071";

    /// <summary>
    /// Entra mode: a delegated scope every access token must carry in <c>scp</c> (for example <c>access_as_user</c>, exposed by
    /// the API's app registration). Empty: not checked.
    /// </summary>
    public string? RequiredScope { get; set; }

    /// <summary>Local mode: HMAC key for access tokens (32+ bytes). Empty: a random key kept in the data folder.</summary>
    public string? SigningKey { get; set; }

    [Range(1, 1440)]
    public int AccessTokenMinutes { get; set; } = 15;

    [Range(1, 365)]
    public int RefreshTokenDays { get; set; } = 30;

    [Range(1, 168)]
    public int VerificationTokenHours { get; set; } = 48;

    [Range(1, 1440)]
    public int ResetTokenMinutes { get; set; } = 60;

    [Range(1, 100)]
    public int LockoutThreshold { get; set; } = 5;

    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

    public bool IsLocal => string.Equals(Mode, Names.AuthModeLocal, StringComparison.OrdinalIgnoreCase);

    public bool IsAdminEmail(string email) =>
        AdminEmails.Any(a => string.Equals(a.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase));
}
