using CloneAI.Core.Auth;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CloneAI.Core.UserData;

namespace CloneAI.Core.Accounts;

/// <summary>
/// Built-in accounts: sign-up, verification, login with a progressive slow-down, rotating refresh tokens, password reset.
/// Nothing here tells whether an address has an account: sign-up answers the same either way (and sends one email either way);
/// resend and forgot-password store one small job either way, and the lookup and the email happen off the request path; a failed sign-in is the same failure for an unknown address and a wrong password.
/// </summary>
public sealed class AccountService(
    IUserStore users,
    IAccountStore accounts,
    AccountEmails emails,
    AccountEmailQueue queue,
    SignInGuard guard,
    IAccessTokenIssuer issuer,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<AccountService> logger)
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 256;
    public const int MaxDisplayNameLength = User.MaxDisplayNameLength;
    public const string WrongCredentials = "The email or password is not right.";
    private const string SessionEnded = "The session has ended. Sign in again.";

    private AuthOptions Options => options.Value;

    /// <summary>
    /// Creates the account and emails its verification link; for an address that already has an account, emails its owner a note
    /// instead (one password hash and one email either way). Returns the new user, or null for an existing address: the caller
    /// must answer the same either way.
    /// </summary>
    public async Task<User?> SignUpAsync(string? emailAddress, string? password, string? displayName, bool acceptTerms, string client = "",
        CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        if (!EmailAddress.IsValid(emailAddress)) v.Add("email", "Enter a valid email address.");
        ValidatePassword(v, "password", password);
        var name = DisplayNames.Validate(v, "displayName", displayName);
        if (!acceptTerms) v.Add("acceptTerms", "Accept the terms and the privacy notice to create an account.");
        v.ThrowIfInvalid();

        var normalized = EmailAddress.Normalize(emailAddress!);
        await guard.AcquireAsync(AuthAction.SignUp, client, normalized, cancellationToken);
        var hash = PasswordHashes.Hash(password!); // hashed either way, so both answers take the same time
        if (await users.FindByEmailAsync(normalized, cancellationToken) is { } existing)
        {
            await emails.SendSignUpAttemptAsync(existing, cancellationToken);
            logger.LogInformation("Sign-up attempted for the existing user {UserId}", existing.Id);
            return null;
        }

        var now = time.GetUtcNow();
        User user;
        try
        {
            user = await users.CreateAsync(new User
            {
                Id = NewId(),
                Email = normalized,
                DisplayName = name,
                SecurityStamp = SecurityStamps.New(),
                TermsVersion = Terms.CurrentVersion,
                TermsAcceptedAt = now,
                CreatedAt = now,
                UpdatedAt = now,
            }, cancellationToken);
        }
        catch (ConflictException)
        {
            return null; // a concurrent sign-up for the same address won
        }
        await accounts.CreateCredentialAsync(new Credential { UserId = user.Id, PasswordHash = hash }, cancellationToken);
        await SendVerificationAsync(user, cancellationToken);
        logger.LogInformation("User {UserId} signed up", user.Id);
        return user;
    }

    /// <summary>Queues the verification email again when the address has an unverified account; answers the same either way.</summary>
    public async Task ResendVerificationAsync(string? emailAddress, string client = "", CancellationToken cancellationToken = default)
    {
        if (!EmailAddress.IsValid(emailAddress)) throw new ValidationException("email", "Enter a valid email address.");
        var normalized = EmailAddress.Normalize(emailAddress!);
        await guard.AcquireAsync(AuthAction.ResendVerification, client, normalized, cancellationToken);
        await queue.EnqueueAsync(AccountEmailKinds.Verification, normalized, cancellationToken);
    }

    public async Task<User> VerifyEmailAsync(string? token, CancellationToken cancellationToken = default)
    {
        var spent = await ConsumeAsync(token, TokenKinds.Verify, "This verification link is invalid or has expired.", cancellationToken);
        var user = await users.GetAsync(spent.UserId, cancellationToken) ?? throw new NotFoundException("The account no longer exists.");
        if (user.EmailVerified) return user;
        return await users.ReplaceAsync(user with { EmailVerified = true, UpdatedAt = time.GetUtcNow() }, cancellationToken);
    }

    /// <summary>
    /// Signs in. Each attempt is counted (atomically, before the password is checked) per address and client and per client; past
    /// a few failures each further attempt must wait longer (429 with Retry-After), whether or not the address has an account.
    /// Unknown addresses, wrong passwords and disabled accounts get the same 401, after one password hash each.
    /// </summary>
    public async Task<TokenPair> LoginAsync(string? emailAddress, string? password, string client = "", CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        if (string.IsNullOrWhiteSpace(emailAddress) || emailAddress.Length > EmailAddress.MaxLength) v.Add("email", "Enter your email address.");
        if (string.IsNullOrEmpty(password) || password.Length > MaxPasswordLength) v.Add("password", "Enter your password.");
        v.ThrowIfInvalid();

        var normalized = EmailAddress.Normalize(emailAddress!);
        await guard.BeginLoginAsync(normalized, client, cancellationToken);

        var user = await users.FindByEmailAsync(normalized, cancellationToken);
        var credential = user is null ? null : await accounts.GetCredentialAsync(user.Id, cancellationToken);
        if (user is null || credential is null)
        {
            PasswordHashes.Hash(password!); // spend the same time as a real check
            throw new UnauthorizedException(WrongCredentials);
        }

        var check = PasswordHashes.Verify(credential.PasswordHash, password!);
        if (check == PasswordCheck.Failed) throw new UnauthorizedException(WrongCredentials);
        await guard.SucceededAsync(normalized, client, cancellationToken);
        if (user.DisabledAt is not null)
        {
            logger.LogInformation("Sign-in refused: user {UserId} is disabled", user.Id);
            throw new UnauthorizedException(WrongCredentials);
        }
        if (!user.EmailVerified) throw new ForbiddenException("Verify your email address first: open the link we sent you.");

        if (check == PasswordCheck.SuccessRehashNeeded)
            await accounts.UpdateCredentialAsync(credential with { PasswordHash = PasswordHashes.Hash(password!) }, cancellationToken);
        return await IssuePairAsync(user, family: NewId(), cancellationToken);
    }

    /// <summary>
    /// Trades a refresh token for a new pair of the same login. A token rotated within the last
    /// <see cref="AuthOptions.RefreshReuseGraceSeconds"/> (another tab refreshed at the same moment) gets a fresh pair too; a spent
    /// token presented later is taken as stolen and ends every session of that login.
    /// </summary>
    public async Task<TokenPair> RefreshAsync(string? refreshToken, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(refreshToken) || refreshToken.Length > 200) throw new ValidationException("refreshToken", "Required.");
        var now = time.GetUtcNow();
        var result = await accounts.ConsumeTokenAsync(Tokens.Hash(refreshToken), TokenKinds.Refresh, now, cancellationToken);
        var token = result.Token;
        if (result.Outcome == ConsumeOutcome.AlreadyUsed && token?.Family is { } family)
        {
            var grace = TimeSpan.FromSeconds(Options.RefreshReuseGraceSeconds);
            var justRotated = token.RevokedAt is null && token.UsedAt is { } used && now - used <= grace && token.ExpiresAt > now;
            if (!justRotated)
            {
                // A spent refresh token came back: assume it was stolen and end every session of that login.
                await accounts.RevokeFamilyAsync(family, now, cancellationToken);
                logger.LogWarning("Refresh token reuse for user {UserId}; family revoked", token.UserId);
                throw new UnauthorizedException(SessionEnded);
            }
        }
        else if (result.Outcome != ConsumeOutcome.Consumed || token is null) throw new UnauthorizedException(SessionEnded);

        var user = await users.GetAsync(token!.UserId, cancellationToken);
        if (user is null || user.DisabledAt is not null) throw new UnauthorizedException(SessionEnded);
        return await IssuePairAsync(user, token.Family ?? NewId(), cancellationToken);
    }

    /// <summary>Ends this login (its refresh tokens) and, through a new security stamp, every access token issued so far.</summary>
    public async Task LogoutAsync(string? refreshToken, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(refreshToken) || refreshToken.Length > 200) throw new ValidationException("refreshToken", "Required.");
        var now = time.GetUtcNow();
        var result = await accounts.ConsumeTokenAsync(Tokens.Hash(refreshToken), TokenKinds.Refresh, now, cancellationToken);
        if (result.Token is not { } token) return;
        if (token.Family is { } family) await accounts.RevokeFamilyAsync(family, now, cancellationToken);
        await SecurityStamps.RotateAsync(users, token.UserId, time, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Answers after the same work for every address (one queued job), so that it does not tell who has an account: the lookup
    /// and the email happen later (<see cref="AccountEmailQueue"/>).
    /// </summary>
    public async Task ForgotPasswordAsync(string? emailAddress, string client = "", CancellationToken cancellationToken = default)
    {
        if (!EmailAddress.IsValid(emailAddress)) throw new ValidationException("email", "Enter a valid email address.");
        var normalized = EmailAddress.Normalize(emailAddress!);
        await guard.AcquireAsync(AuthAction.ForgotPassword, client, normalized, cancellationToken);
        await queue.EnqueueAsync(AccountEmailKinds.PasswordReset, normalized, cancellationToken);
    }

    /// <summary>Sets the new password; every other reset link, refresh token and access token of the account stops working.</summary>
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
        var now = time.GetUtcNow();
        await accounts.RevokeAllAsync(spent.UserId, TokenKinds.Reset, now, cancellationToken);
        await accounts.RevokeAllAsync(spent.UserId, TokenKinds.Refresh, now, cancellationToken);

        // Whoever could read the reset email controls the address, so it counts as verified.
        var user = await SecurityStamps.RotateAsync(users, spent.UserId, time, u => u with { EmailVerified = true }, cancellationToken);
        if (user is not null) await guard.ClearAccountAsync(user.Email, cancellationToken);
    }

    private async Task SendVerificationAsync(User user, CancellationToken cancellationToken)
    {
        var secret = await NewTokenAsync(user.Id, TokenKinds.Verify, TimeSpan.FromHours(Options.VerificationTokenHours), null, cancellationToken);
        await emails.SendVerificationAsync(user, secret, cancellationToken);
    }

    private async Task<TokenPair> IssuePairAsync(User user, string family, CancellationToken cancellationToken)
    {
        var refresh = await NewTokenAsync(user.Id, TokenKinds.Refresh, TimeSpan.FromDays(Options.RefreshTokenDays), family, cancellationToken);
        var access = issuer.Issue(user);
        return new TokenPair(access.Token, refresh, access.ExpiresInSeconds);
    }

    private Task<string> NewTokenAsync(string userId, string kind, TimeSpan lifetime, string? family, CancellationToken cancellationToken) =>
        NewTokenAsync(accounts, time, userId, kind, lifetime, family, cancellationToken);

    /// <summary>Stores a new one-time token (its hash) and returns its secret, for a link or a refresh.</summary>
    internal static async Task<string> NewTokenAsync(IAccountStore accounts, TimeProvider time, string userId, string kind, TimeSpan lifetime,
        string? family, CancellationToken cancellationToken)
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
