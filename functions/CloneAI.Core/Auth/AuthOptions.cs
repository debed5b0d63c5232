using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary><c>local</c> (built-in accounts) or <c>entra</c> (Microsoft Entra External ID).</summary>
    [Required, RegularExpression("^(local|entra)$")]
    public string Mode { get; set; } = Names.AuthModeLocal;

    /// <summary>Local mode: emails that get the admin role (never used in Entra mode, where the app role decides).</summary>
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

    /// <summary>
    /// Seconds during which a refresh token that was just rotated may be presented again (two tabs refreshing at once) and get a
    /// fresh pair of the same login; a reuse after that revokes the login's tokens.
    /// </summary>
    [Range(0, 600)]
    public int RefreshReuseGraceSeconds { get; set; } = 30;

    /// <summary>Entra mode: the app role (in the token's <c>roles</c> claim) that makes a caller an admin.</summary>
    [Required]
    public string AdminAppRole { get; set; } = "Admin";

    public bool IsLocal => string.Equals(Mode, Names.AuthModeLocal, StringComparison.OrdinalIgnoreCase);

    public bool IsAdminEmail(string email) =>
        AdminEmails.Any(a => string.Equals(a.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase));
}
