using CloneAI.Core.Auth;
using CloneAI.Core.Blobs;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Images;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Users;

/// <summary>The identity a validated bearer token carries.</summary>
public sealed record TokenIdentity(string Subject, string? Email, string? DisplayName)
{
    /// <summary>Local tokens: the user's security stamp when the token was issued (null: the token carries none).</summary>
    public string? SecurityStamp { get; init; }

    /// <summary>Entra tokens: the app roles in the <c>roles</c> claim.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>When the token was issued (<c>iat</c>), if it says.</summary>
    public DateTimeOffset? IssuedAt { get; init; }
}

/// <summary>
/// A change of profile; null fields stay as they are. <see cref="Style"/>, when given, replaces the communication style
/// (its null parts clear those preferences).
/// </summary>
public sealed record ProfileUpdate(string? DisplayName, string? Bio, IReadOnlyList<string>? Expertise, string? Timezone)
{
    public CommunicationStyle? Style { get; init; }
}

public sealed class UserService(IUserStore users, IBlobStore blobs, IOptions<AuthOptions> options, TimeProvider time, ILogger<UserService> logger,
    IRefreshTokenRevoker? refreshTokens = null, IDeletedAccounts? deletedAccounts = null)
{
    public const string DisabledMessage = "This account has been disabled. Contact support if you think this is a mistake.";

    public const int MaxBio = 2000;
    public const int MaxExpertise = 20;
    public const int MaxExpertiseLength = 40;

    public const string SessionEndedMessage = "The session has ended. Sign in again.";

    /// <summary>
    /// Turns a validated token into a caller. Local tokens name an existing user and carry its current security stamp (a token
    /// issued before a logout, password reset or disabling is refused); Entra users get a record on their first call, and an
    /// Entra token issued before the user's sessions were revoked (<see cref="User.SessionsRevokedAt"/>) is refused. A disabled
    /// account is refused (403).
    /// </summary>
    public async Task<Caller> ResolveCallerAsync(TokenIdentity identity, CancellationToken cancellationToken = default)
    {
        var user = await users.GetAsync(identity.Subject, cancellationToken);
        if (user is null)
        {
            if (options.Value.IsLocal) throw new UnauthorizedException("This account no longer exists.");
            // A token from before the account was deleted does not bring it back; a new sign-in starts a new account.
            if (deletedAccounts is not null && await deletedAccounts.DeletedAtAsync(identity.Subject, cancellationToken) is { } deletedAt
                && (identity.IssuedAt is not { } issued || issued <= deletedAt))
                throw new UnauthorizedException("This account was deleted. Sign in again to start a new one.");
            user = await ProvisionAsync(identity, cancellationToken);
        }
        if (options.Value.IsLocal && !string.Equals(identity.SecurityStamp ?? "", user.SecurityStamp, StringComparison.Ordinal))
            throw new UnauthorizedException(SessionEndedMessage);
        if (!options.Value.IsLocal && IssuedBeforeRevocation(identity.IssuedAt, user.SessionsRevokedAt))
            throw new UnauthorizedException(SessionEndedMessage);
        if (user.DisabledAt is not null) throw new ForbiddenException(DisabledMessage);
        return ToCaller(user, identity.Roles);
    }

    /// <summary>
    /// Whether a token issued at <paramref name="issuedAt"/> predates the revocation at <paramref name="revokedAt"/>. <c>iat</c> is
    /// in whole seconds, so a token of the revocation's own second counts as before it (it may have been, and the user only signs
    /// in again); a token that does not say when it was issued counts as before any revocation.
    /// </summary>
    public static bool IssuedBeforeRevocation(DateTimeOffset? issuedAt, DateTimeOffset? revokedAt) =>
        revokedAt is { } revoked && (issuedAt is not { } issued || issued.ToUnixTimeSeconds() <= revoked.ToUnixTimeSeconds());

    /// <summary>
    /// The caller for <paramref name="user"/>. Admin: granted in the admin console (<see cref="User.IsAdmin"/>), or, locally, an
    /// address in <c>Auth:AdminEmails</c>, or, with Entra, the app role <c>Auth:AdminAppRole</c> in the token's <c>roles</c> claim
    /// (never the email claim: an Entra user can choose their own email).
    /// </summary>
    public Caller ToCaller(User user, IReadOnlyList<string>? roles = null)
    {
        var o = options.Value;
        var admin = user.IsAdmin || (o.IsLocal
            ? o.IsAdminEmail(user.Email)
            : roles?.Contains(o.AdminAppRole, StringComparer.Ordinal) == true);
        return new(user.Id, user.Email, user.DisplayName, admin, user.IsCreator);
    }

    /// <summary>
    /// Ends every sign-in of the user at once: a new security stamp and the time of it (their access tokens, local or Entra, are
    /// refused from the next request) and, with built-in accounts, every refresh token revoked. For "sign out everywhere";
    /// doing it again ends whatever sign-ins came since.
    /// </summary>
    public async Task RevokeSessionsAsync(string userId, CancellationToken cancellationToken = default)
    {
        await SecurityStamps.RotateAsync(users, userId, time, cancellationToken: cancellationToken);
        if (refreshTokens is not null) await refreshTokens.RevokeAllAsync(userId, time.GetUtcNow(), cancellationToken);
        logger.LogInformation("Revoked every session of user {UserId}", userId);
    }

    /// <summary>Disables the account (sign-in, refresh and every request refused) and ends its sessions; the admin console's action.</summary>
    public async Task<User> DisableAsync(string userId, string reason, CancellationToken cancellationToken = default)
    {
        var user = await SecurityStamps.RotateAsync(users, userId, time,
            u => u with { DisabledAt = u.DisabledAt ?? time.GetUtcNow(), DisabledReason = reason }, cancellationToken)
            ?? throw new NotFoundException("No such user.");
        if (refreshTokens is not null) await refreshTokens.RevokeAllAsync(userId, time.GetUtcNow(), cancellationToken);
        logger.LogInformation("Disabled user {UserId}", userId);
        return user;
    }

    /// <summary>Enables a disabled account again; it signs in afresh (its old tokens stay invalid).</summary>
    public async Task<User> EnableAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await SecurityStamps.RotateAsync(users, userId, time, u => u with { DisabledAt = null, DisabledReason = null }, cancellationToken)
            ?? throw new NotFoundException("No such user.");
        logger.LogInformation("Enabled user {UserId}", userId);
        return user;
    }

    public async Task<User> GetAsync(string userId, CancellationToken cancellationToken = default) =>
        await users.GetAsync(userId, cancellationToken) ?? throw new NotFoundException("No such user.");

    public async Task<User> UpdateProfileAsync(Caller caller, ProfileUpdate update, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        var displayName = update.DisplayName is null ? null : DisplayNames.Validate(v, "displayName", update.DisplayName);
        v.Optional("bio", update.Bio, MaxBio);
        if (update.Expertise is { } expertise)
        {
            if (expertise.Count > MaxExpertise) v.Add("expertise", $"At most {MaxExpertise} entries.");
            if (expertise.Any(e => string.IsNullOrWhiteSpace(e) || e.Length > MaxExpertiseLength))
                v.Add("expertise", $"Each entry needs 1 to {MaxExpertiseLength} characters.");
        }
        if (update.Timezone is not null && !IsTimezone(update.Timezone)) v.Add("timezone", "Use an IANA time zone such as Europe/Paris.");
        if (update.Style is { } style) ValidateStyle(v, "style", style);
        v.ThrowIfInvalid();

        var user = await GetAsync(caller.UserId, cancellationToken);
        return await users.ReplaceAsync(user with
        {
            DisplayName = displayName ?? user.DisplayName,
            Bio = update.Bio ?? user.Bio,
            Expertise = update.Expertise?.Select(e => e.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList() ?? user.Expertise,
            Timezone = update.Timezone ?? user.Timezone,
            Style = update.Style is { } s ? (s.Length is null && s.Tone is null ? null : s) : user.Style,
            UpdatedAt = time.GetUtcNow(),
        }, cancellationToken);
    }

    public async Task<User> BecomeCreatorAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var user = await GetAsync(caller.UserId, cancellationToken);
        if (user.IsCreator) return user;
        logger.LogInformation("User {UserId} became a creator", user.Id);
        return await users.ReplaceAsync(user with { IsCreator = true, UpdatedAt = time.GetUtcNow() }, cancellationToken);
    }

    public async Task<User> SetAvatarAsync(Caller caller, byte[] data, CancellationToken cancellationToken = default)
    {
        var image = ImageValidator.Validate(data);
        var user = await GetAsync(caller.UserId, cancellationToken);
        var path = $"{Names.AvatarsPrefix}/users/{user.Id}.png";
        await blobs.PutAsync(path, image.Png, "image/png", cancellationToken);
        return await users.ReplaceAsync(user with { AvatarBlob = path, UpdatedAt = time.GetUtcNow() }, cancellationToken);
    }

    public async Task<BlobContent> GetAvatarAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await users.GetAsync(userId, cancellationToken);
        if (user?.AvatarBlob is null) throw new NotFoundException("No avatar has been uploaded.");
        return await blobs.GetAsync(user.AvatarBlob, cancellationToken) ?? throw new NotFoundException("No avatar has been uploaded.");
    }

    private async Task<User> ProvisionAsync(TokenIdentity identity, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var email = identity.Email is { } e && EmailAddress.IsValid(e) ? EmailAddress.Normalize(e) : $"{identity.Subject}@users.invalid";
        var cleaned = DisplayNames.Clean(identity.DisplayName);
        var name = cleaned.Length == 0 ? email.Split('@')[0] : cleaned;
        try
        {
            var created = await users.CreateAsync(new User
            {
                Id = identity.Subject,
                Email = email,
                DisplayName = name.Length > User.MaxDisplayNameLength ? name[..User.MaxDisplayNameLength] : name,
                EmailVerified = true,
                SecurityStamp = SecurityStamps.New(),
                CreatedAt = now,
                UpdatedAt = now,
            }, cancellationToken);
            logger.LogInformation("Provisioned user {UserId} on first call", created.Id);
            return created;
        }
        catch (ConflictException)
        {
            // Another request provisioned the same user first.
            return await GetAsync(identity.Subject, cancellationToken);
        }
    }

    /// <summary>A communication style's parts: length concise|detailed or none, tone casual|formal or none (errors per part).</summary>
    public static void ValidateStyle(Validator v, string field, CommunicationStyle style)
    {
        if (style.Length is not null && !CommunicationStyle.Lengths.Contains(style.Length))
            v.Add($"{field}.length", $"Use {string.Join(" or ", CommunicationStyle.Lengths)}, or null for no preference.");
        if (style.Tone is not null && !CommunicationStyle.Tones.Contains(style.Tone))
            v.Add($"{field}.tone", $"Use {string.Join(" or ", CommunicationStyle.Tones)}, or null for no preference.");
    }

    private static bool IsTimezone(string id) => id.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
