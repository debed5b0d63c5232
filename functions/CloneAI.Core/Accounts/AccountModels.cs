namespace CloneAI.Core.Accounts;

/// <summary>A local password credential. Only the local host stores these; Entra keeps its own.</summary>
public sealed record Credential
{
    public required string UserId { get; init; }
    public required string PasswordHash { get; init; }
    public int FailedLogins { get; init; }
    public DateTimeOffset? LockedUntil { get; init; }
}

public static class TokenKinds
{
    public const string Verify = "verify";
    public const string Reset = "reset";
    public const string Refresh = "refresh";
}

/// <summary>A single-use token. Only its SHA-256 hash is stored.</summary>
public sealed record OneTimeToken
{
    public required string Hash { get; init; }
    public required string Kind { get; init; }
    public required string UserId { get; init; }
    /// <summary>Refresh tokens of one login share a family; reuse of a spent one revokes the family.</summary>
    public string? Family { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; init; }
    /// <summary>Set when the token was revoked (logout, reuse, password reset), not merely spent by rotation.</summary>
    public DateTimeOffset? RevokedAt { get; init; }
}

public enum ConsumeOutcome
{
    Consumed,
    NotFound,
    AlreadyUsed,
    Expired,
}

public sealed record ConsumeResult(ConsumeOutcome Outcome, OneTimeToken? Token);

public sealed record AccessToken(string Token, int ExpiresInSeconds);

public sealed record TokenPair(string AccessToken, string RefreshToken, int ExpiresIn);
