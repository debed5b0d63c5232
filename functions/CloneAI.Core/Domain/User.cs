namespace CloneAI.Core.Domain;

public static class Roles
{
    public const string User = "user";
    public const string Creator = "creator";
    public const string Admin = "admin";
}

/// <summary>A person using CloneAI. Partition key in Cosmos: <c>/id</c>.</summary>
public sealed record User
{
    /// <summary>The longest display name a user may choose.</summary>
    public const int MaxDisplayNameLength = 80;

    public required string Id { get; init; }
    public required string Email { get; init; }
    public required string DisplayName { get; init; }
    public string Bio { get; init; } = "";
    public IReadOnlyList<string> Expertise { get; init; } = [];
    public string Timezone { get; init; } = "UTC";
    public bool IsCreator { get; init; }
    public bool EmailVerified { get; init; }
    public string? AvatarBlob { get; init; }
    /// <summary>How the user likes to be answered (null: no preference; a clone's own setting overrides it).</summary>
    public CommunicationStyle? Style { get; init; }
    /// <summary>Admin role granted in the admin console (besides <c>Auth:AdminEmails</c> locally and the Entra app role).</summary>
    public bool IsAdmin { get; init; }
    /// <summary>Set while an admin has disabled the account: its tokens are refused and it cannot sign in.</summary>
    public DateTimeOffset? DisabledAt { get; init; }
    public string? DisabledReason { get; init; }
    /// <summary>Set when an admin approved the creator's verification request: a verified expert.</summary>
    public DateTimeOffset? VerifiedAt { get; init; }
    /// <summary>
    /// Changes whenever existing sign-ins must end (logout everywhere, password reset, disabling, deletion). Access tokens
    /// carry it and are refused once it changed. Empty for records stored before it existed.
    /// </summary>
    public string SecurityStamp { get; init; } = "";
    /// <summary>
    /// When existing sign-ins were last ended (set with every new <see cref="SecurityStamp"/>). Entra issues its own tokens,
    /// which carry no stamp: in Entra mode a token issued (<c>iat</c>) before this is refused. Null: never.
    /// </summary>
    public DateTimeOffset? SessionsRevokedAt { get; init; }
    /// <summary>The version of the terms and privacy notice the user accepted at sign-up (null: before terms existed).</summary>
    public string? TermsVersion { get; init; }
    public DateTimeOffset? TermsAcceptedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Concurrency token set by the store; null for a record not yet stored.</summary>
    public string? ETag { get; init; }
}

/// <summary>Who is calling, after the bearer token has been checked.</summary>
public sealed record Caller(string UserId, string Email, string DisplayName, bool IsAdmin, bool IsCreator)
{
    public IReadOnlyList<string> Roles =>
        IsAdmin ? [Domain.Roles.User, Domain.Roles.Creator, Domain.Roles.Admin]
        : IsCreator ? [Domain.Roles.User, Domain.Roles.Creator]
        : [Domain.Roles.User];
}
