using System.Net;
using CloneAI.Core.Auth;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Accounts;

/// <summary>Built-in accounts: sign-up, verification, login with lockout, rotating refresh tokens, password reset.</summary>
public sealed class AccountService(
    IUserStore users,
    IAccountStore accounts,
    IEmailSender email,
    IAccessTokenIssuer issuer,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<AccountService> logger)
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 256;
    public const int MaxDisplayNameLength = User.MaxDisplayNameLength;

    private AuthOptions Options => options.Value;

    public async Task<User> SignUpAsync(string? emailAddress, string? password, string? displayName, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        if (!EmailAddress.IsValid(emailAddress)) v.Add("email", "Enter a valid email address.");
        ValidatePassword(v, "password", password);
        v.Require("displayName", displayName, MaxDisplayNameLength);
        v.ThrowIfInvalid();

        var normalized = EmailAddress.Normalize(emailAddress!);
        if (await users.FindByEmailAsync(normalized, cancellationToken) is not null)
            throw new ConflictException("An account with this email already exists.");

        var now = time.GetUtcNow();
        var user = await users.CreateAsync(new User
        {
            Id = NewId(),
            Email = normalized,
            DisplayName = displayName!.Trim(),
            CreatedAt = now,
            UpdatedAt = now,
        }, cancellationToken);
        await accounts.CreateCredentialAsync(new Credential { UserId = user.Id, PasswordHash = PasswordHashes.Hash(password!) }, cancellationToken);
        await SendVerificationAsync(user, cancellationToken);
        logger.LogInformation("User {UserId} signed up", user.Id);
        return user;
    }

    public async Task ResendVerificationAsync(string? emailAddress, CancellationToken cancellationToken = default)
    {
        if (!EmailAddress.IsValid(emailAddress)) throw new ValidationException("email", "Enter a valid email address.");
        var user = await users.FindByEmailAsync(EmailAddress.Normalize(emailAddress!), cancellationToken);
        if (user is { EmailVerified: false }) await SendVerificationAsync(user, cancellationToken);
    }

    public async Task<User> VerifyEmailAsync(string? token, CancellationToken cancellationToken = default)
    {
        var spent = await ConsumeAsync(token, TokenKinds.Verify, "This verification link is invalid or has expired.", cancellationToken);
        var user = await users.GetAsync(spent.UserId, cancellationToken) ?? throw new NotFoundException("The account no longer exists.");
        if (user.EmailVerified) return user;
        return await users.ReplaceAsync(user with { EmailVerified = true, UpdatedAt = time.GetUtcNow() }, cancellationToken);
    }

    public async Task<TokenPair> LoginAsync(string? emailAddress, string? password, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        if (string.IsNullOrWhiteSpace(emailAddress) || emailAddress.Length > EmailAddress.MaxLength) v.Add("email", "Enter your email address.");
        if (string.IsNullOrEmpty(password) || password.Length > MaxPasswordLength) v.Add("password", "Enter your password.");
        v.ThrowIfInvalid();

        const string wrong = "The email or password is not right.";
        var user = await users.FindByEmailAsync(EmailAddress.Normalize(emailAddress!), cancellationToken);
        var credential = user is null ? null : await accounts.GetCredentialAsync(user.Id, cancellationToken);
        if (user is null || credential is null)
        {
            PasswordHashes.Hash(password!); // spend the same time as a real check
            throw new UnauthorizedException(wrong);
        }

        var now = time.GetUtcNow();
        if (credential.LockedUntil is { } until && until > now)
            throw new LockedOutException($"Too many failed sign-ins. Try again after {until:u} or reset your password.");

        var check = PasswordHashes.Verify(credential.PasswordHash, password!);
        if (check == PasswordCheck.Failed)
        {
            var failed = credential.FailedLogins + 1;
            var locked = failed >= Options.LockoutThreshold;
            await accounts.UpdateCredentialAsync(credential with
            {
                FailedLogins = locked ? 0 : failed,
                LockedUntil = locked ? now.AddMinutes(Options.LockoutMinutes) : credential.LockedUntil,
            }, cancellationToken);
            if (locked) logger.LogWarning("User {UserId} locked out after {Count} failed sign-ins", user.Id, failed);
            throw new UnauthorizedException(wrong);
        }

        if (!user.EmailVerified) throw new ForbiddenException("Verify your email address first: open the link we sent you.");

        if (credential.FailedLogins != 0 || credential.LockedUntil is not null || check == PasswordCheck.SuccessRehashNeeded)
        {
            await accounts.UpdateCredentialAsync(credential with
            {
                FailedLogins = 0,
                LockedUntil = null,
                PasswordHash = check == PasswordCheck.SuccessRehashNeeded ? PasswordHashes.Hash(password!) : credential.PasswordHash,
            }, cancellationToken);
        }
        return await IssuePairAsync(user, family: NewId(), cancellationToken);
    }

    public async Task<TokenPair> RefreshAsync(string? refreshToken, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(refreshToken) || refreshToken.Length > 200) throw new ValidationException("refreshToken", "Required.");
        var now = time.GetUtcNow();
        var result = await accounts.ConsumeTokenAsync(Tokens.Hash(refreshToken), TokenKinds.Refresh, now, cancellationToken);
        if (result.Outcome == ConsumeOutcome.AlreadyUsed && result.Token?.Family is { } family)
        {
            // A spent refresh token came back: assume it was stolen and end every session of that login.
            await accounts.RevokeFamilyAsync(family, now, cancellationToken);
            logger.LogWarning("Refresh token reuse for user {UserId}; family revoked", result.Token.UserId);
        }
        if (result.Outcome != ConsumeOutcome.Consumed || result.Token is null) throw new UnauthorizedException("The session has ended. Sign in again.");
        var user = await users.GetAsync(result.Token.UserId, cancellationToken) ?? throw new UnauthorizedException("The session has ended. Sign in again.");
        return await IssuePairAsync(user, result.Token.Family ?? NewId(), cancellationToken);
    }

    public async Task LogoutAsync(string? refreshToken, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(refreshToken) || refreshToken.Length > 200) throw new ValidationException("refreshToken", "Required.");
        var now = time.GetUtcNow();
        var result = await accounts.ConsumeTokenAsync(Tokens.Hash(refreshToken), TokenKinds.Refresh, now, cancellationToken);
        if (result.Token?.Family is { } family) await accounts.RevokeFamilyAsync(family, now, cancellationToken);
    }

    /// <summary>Always succeeds, so that it does not tell who has an account.</summary>
    public async Task ForgotPasswordAsync(string? emailAddress, CancellationToken cancellationToken = default)
    {
        if (!EmailAddress.IsValid(emailAddress)) throw new ValidationException("email", "Enter a valid email address.");
        var user = await users.FindByEmailAsync(EmailAddress.Normalize(emailAddress!), cancellationToken);
        if (user is null) return;
        var secret = await NewTokenAsync(user.Id, TokenKinds.Reset, TimeSpan.FromMinutes(Options.ResetTokenMinutes), null, cancellationToken);
        var link = $"{Options.PublicBaseUrl.TrimEnd('/')}/reset-password?token={Uri.EscapeDataString(secret)}";
        await email.SendAsync(Mail(user, "Reset your CloneAI password",
            $"Someone asked to reset the password of your CloneAI account.\n\nReset it here (valid for {Options.ResetTokenMinutes} minutes):\n{link}\n\nIf it was not you, ignore this email.",
            link, "Reset password"), cancellationToken);
    }

    public async Task ResetPasswordAsync(string? token, string? newPassword, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        if (string.IsNullOrWhiteSpace(token)) v.Add("token", "Required.");
        ValidatePassword(v, "password", newPassword);
        v.ThrowIfInvalid();

        var spent = await ConsumeAsync(token, TokenKinds.Reset, "This reset link is invalid, used or expired. Ask for a new one.", cancellationToken);
        var credential = await accounts.GetCredentialAsync(spent.UserId, cancellationToken) ?? throw new NotFoundException("The account no longer exists.");
        await accounts.UpdateCredentialAsync(credential with
        {
            PasswordHash = PasswordHashes.Hash(newPassword!),
            FailedLogins = 0,
            LockedUntil = null,
        }, cancellationToken);
        await accounts.RevokeAllAsync(spent.UserId, TokenKinds.Refresh, time.GetUtcNow(), cancellationToken);

        // Whoever could read the reset email controls the address, so it counts as verified.
        var user = await users.GetAsync(spent.UserId, cancellationToken);
        if (user is { EmailVerified: false })
            await users.ReplaceAsync(user with { EmailVerified = true, UpdatedAt = time.GetUtcNow() }, cancellationToken);
    }

    private async Task SendVerificationAsync(User user, CancellationToken cancellationToken)
    {
        var secret = await NewTokenAsync(user.Id, TokenKinds.Verify, TimeSpan.FromHours(Options.VerificationTokenHours), null, cancellationToken);
        var link = $"{Options.PublicBaseUrl.TrimEnd('/')}/verify?token={Uri.EscapeDataString(secret)}";
        await email.SendAsync(Mail(user, "Verify your CloneAI email",
            $"Welcome to CloneAI, {user.DisplayName}.\n\nConfirm your email address here:\n{link}\n",
            link, "Verify email"), cancellationToken);
    }

    private static EmailMessage Mail(User user, string subject, string text, string link, string action)
    {
        var html = $"<p>Hello {WebUtility.HtmlEncode(user.DisplayName)},</p><p>{WebUtility.HtmlEncode(text.Split('\n')[0])}</p>" +
                   $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">{action}</a></p><p>{WebUtility.HtmlEncode(link)}</p>";
        return new EmailMessage(user.Email, subject, text, html);
    }

    private async Task<TokenPair> IssuePairAsync(User user, string family, CancellationToken cancellationToken)
    {
        var refresh = await NewTokenAsync(user.Id, TokenKinds.Refresh, TimeSpan.FromDays(Options.RefreshTokenDays), family, cancellationToken);
        var access = issuer.Issue(user);
        return new TokenPair(access.Token, refresh, access.ExpiresInSeconds);
    }

    private async Task<string> NewTokenAsync(string userId, string kind, TimeSpan lifetime, string? family, CancellationToken cancellationToken)
    {
        var secret = Tokens.NewSecret();
        await accounts.AddTokenAsync(new OneTimeToken
        {
            Hash = Tokens.Hash(secret),
            Kind = kind,
            UserId = userId,
            Family = family,
            ExpiresAt = time.GetUtcNow().Add(lifetime),
        }, cancellationToken);
        return secret;
    }

    private async Task<OneTimeToken> ConsumeAsync(string? token, string kind, string error, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200) throw new ValidationException("token", "Required.");
        var result = await accounts.ConsumeTokenAsync(Tokens.Hash(token), kind, time.GetUtcNow(), cancellationToken);
        return result.Outcome == ConsumeOutcome.Consumed && result.Token is not null ? result.Token : throw new ValidationException("token", error);
    }

    private static void ValidatePassword(Validator v, string field, string? password)
    {
        if (string.IsNullOrEmpty(password)) v.Add(field, "Required.");
        else if (password.Length < MinPasswordLength) v.Add(field, $"Use at least {MinPasswordLength} characters.");
        else if (password.Length > MaxPasswordLength) v.Add(field, $"At most {MaxPasswordLength} characters.");
    }

    internal static string NewId() => Guid.CreateVersion7().ToString("N");
}
