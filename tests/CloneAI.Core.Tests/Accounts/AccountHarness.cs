using System.Text.RegularExpressions;
using CloneAI.Core.Accounts;
using CloneAI.Core.Auth;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Core.Tests.Accounts;

/// <summary>
/// An <see cref="AccountService"/> over mocked ports. The mocks keep their records in dictionaries so that a test can
/// go through sign-up, verification, login and refresh like a client would, and still verify the calls made.
/// </summary>
internal sealed partial class AccountHarness
{
    public const string BaseUrl = "https://cloneai.example";
    public const string GoodPassword = "correct horse battery";

    /// <summary>Hashing is slow by design; accounts seeded by tests share one hash of <see cref="GoodPassword"/>.</summary>
    public static readonly string GoodPasswordHash = new PasswordHasher<string>().HashPassword("seed", GoodPassword);

    public Dictionary<string, User> UserRecords { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Credential> Credentials { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, OneTimeToken> TokenRecords { get; } = new(StringComparer.Ordinal);
    /// <summary>The emails sent; reading it first runs the queued account emails, as the host's worker would.</summary>
    public List<EmailMessage> Sent
    {
        get
        {
            Queue.RunPendingAsync().GetAwaiter().GetResult();
            return _sent;
        }
    }

    private readonly List<EmailMessage> _sent = [];
    /// <summary>Failed sign-ins per key, as the account store counts them (atomically, under a lock).</summary>
    public Dictionary<string, (int Failures, DateTimeOffset Last, DateTimeOffset BlockedUntil)> LoginFailures { get; } = new(StringComparer.Ordinal);

    public Mock<IUserStore> Users { get; } = new();
    public Mock<IAccountStore> Accounts { get; } = new();
    public Mock<IEmailSender> Email { get; } = new();
    public Mock<IAccessTokenIssuer> Issuer { get; } = new();
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));
    public AuthOptions Options { get; } = new() { Mode = "local", PublicBaseUrl = BaseUrl + "/" };
    public AuthThrottleOptions Throttle { get; } = new();
    public InMemoryAccountEmailJobs EmailJobs { get; } = new();

    /// <summary>Where the throttles count (what the hosts keep in SQLite or Cosmos).</summary>
    public Limits.MemoryRateWindowStore RateWindows { get; } = new();
    public AccountEmailQueue Queue { get; }
    public AccountService Service { get; }

    public SignInGuard Guard { get; }

    private int _issued;

    public AccountHarness()
    {
        Users.Setup(u => u.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => UserRecords.GetValueOrDefault(id));
        Users.Setup(u => u.FindByEmailAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string email, CancellationToken _) => UserRecords.Values.FirstOrDefault(u => u.Email == email));
        Users.Setup(u => u.CreateAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((User user, CancellationToken _) =>
            {
                if (UserRecords.ContainsKey(user.Id) || UserRecords.Values.Any(u => u.Email == user.Email)) throw new ConflictException("exists");
                return UserRecords[user.Id] = user with { ETag = "1" };
            });
        Users.Setup(u => u.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((User user, CancellationToken _) => UserRecords[user.Id] = user);

        Accounts.Setup(a => a.CreateCredentialAsync(It.IsAny<Credential>(), It.IsAny<CancellationToken>()))
            .Callback((Credential c, CancellationToken _) => Credentials.Add(c.UserId, c)).Returns(Task.CompletedTask);
        Accounts.Setup(a => a.GetCredentialAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => Credentials.GetValueOrDefault(id));
        Accounts.Setup(a => a.UpdateCredentialAsync(It.IsAny<Credential>(), It.IsAny<CancellationToken>()))
            .Callback((Credential c, CancellationToken _) => Credentials[c.UserId] = c).Returns(Task.CompletedTask);
        Accounts.Setup(a => a.AddTokenAsync(It.IsAny<OneTimeToken>(), It.IsAny<CancellationToken>()))
            .Callback((OneTimeToken t, CancellationToken _) => { lock (TokenRecords) TokenRecords.Add(t.Hash, t); }).Returns(Task.CompletedTask);
        Accounts.Setup(a => a.ConsumeTokenAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string hash, string kind, DateTimeOffset now, CancellationToken _) =>
            {
                if (!TokenRecords.TryGetValue(hash, out var token) || token.Kind != kind) return new ConsumeResult(ConsumeOutcome.NotFound, null);
                if (token.UsedAt is not null) return new ConsumeResult(ConsumeOutcome.AlreadyUsed, token);
                if (token.ExpiresAt <= now) return new ConsumeResult(ConsumeOutcome.Expired, token);
                return new ConsumeResult(ConsumeOutcome.Consumed, TokenRecords[hash] = token with { UsedAt = now });
            });
        Accounts.Setup(a => a.RevokeFamilyAsync(It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((string family, DateTimeOffset now, CancellationToken _) => Revoke(t => t.Family == family, now)).Returns(Task.CompletedTask);
        Accounts.Setup(a => a.RevokeAllAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((string userId, string kind, DateTimeOffset now, CancellationToken _) => Revoke(t => t.UserId == userId && t.Kind == kind, now))
            .Returns(Task.CompletedTask);

        Accounts.Setup(a => a.BeginLoginAttemptAsync(It.IsAny<string>(), It.IsAny<SlowDownPolicy>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string key, SlowDownPolicy policy, DateTimeOffset now, CancellationToken _) =>
            {
                lock (LoginFailures)
                {
                    var (failures, last, blockedUntil) = LoginFailures.GetValueOrDefault(key);
                    if (blockedUntil > now) return new LoginGate(false, blockedUntil - now);
                    var count = failures == 0 || last <= now - policy.Window ? 1 : failures + 1;
                    LoginFailures[key] = (count, now, now + policy.DelayAfter(count));
                    return new LoginGate(true, TimeSpan.Zero);
                }
            });
        Accounts.Setup(a => a.ForgiveLoginAttemptAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string key, CancellationToken _) =>
            {
                lock (LoginFailures)
                    if (LoginFailures.TryGetValue(key, out var f)) LoginFailures[key] = (Math.Max(0, f.Failures - 1), f.Last, f.BlockedUntil);
            }).Returns(Task.CompletedTask);
        Accounts.Setup(a => a.ClearLoginFailuresAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string prefix, CancellationToken _) =>
            {
                lock (LoginFailures)
                    foreach (var key in LoginFailures.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList()) LoginFailures.Remove(key);
            }).Returns(Task.CompletedTask);

        Email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((EmailMessage m, CancellationToken _) => _sent.Add(m)).Returns(Task.CompletedTask);
        Issuer.Setup(i => i.Issue(It.IsAny<User>())).Returns((User u) => new AccessToken($"access-{u.Id}-{++_issued}", 900));

        var options = Microsoft.Extensions.Options.Options.Create(Options);
        var throttle = Microsoft.Extensions.Options.Options.Create(Throttle);
        Guard = new SignInGuard(Accounts.Object, new AuthThrottle(RateWindows, throttle, Time), throttle, Time);
        var emails = new AccountEmails(Email.Object, options);
        Queue = new AccountEmailQueue(EmailJobs, Users.Object, Accounts.Object, emails, options, Time, NullLogger<AccountEmailQueue>.Instance);
        Service = new AccountService(Users.Object, Accounts.Object, emails, Queue, Guard, Issuer.Object,
            options, Time, NullLogger<AccountService>.Instance);
    }

    /// <summary>Stores a user with a credential for <see cref="GoodPassword"/> without the cost of hashing.</summary>
    public User Seed(string email = "alice@example.com", bool verified = true)
    {
        var user = new User { Id = Guid.NewGuid().ToString("N"), Email = email, DisplayName = "Alice", EmailVerified = verified, ETag = "1", SecurityStamp = "stamp-0" };
        UserRecords[user.Id] = user;
        Credentials[user.Id] = new Credential { UserId = user.Id, PasswordHash = GoodPasswordHash };
        return user;
    }

    public Credential CredentialOf(User user) => Credentials[user.Id];

    /// <summary>Signs up a new address with the terms accepted; the new user.</summary>
    public async Task<User> SignUpAsync(string? email, string? password, string? displayName, string client = "198.51.100.7") =>
        await Service.SignUpAsync(email, password, displayName, acceptTerms: true, client) ?? throw new InvalidOperationException("The address already had an account.");

    /// <summary>The token in the link of the last email sent, for a link ending in <paramref name="path"/>?token=.</summary>
    public string TokenFromLastEmail(string path)
    {
        var sent = Sent;
        var match = LinkPattern().Match(sent[^1].TextBody);
        Assert.True(match.Success, "The email has no link: " + sent[^1].TextBody);
        Assert.Equal(BaseUrl + path, match.Groups["path"].Value);
        return Uri.UnescapeDataString(match.Groups["token"].Value);
    }

    [GeneratedRegex(@"(?<path>https?://\S+?)\?token=(?<token>[^\s&]+)")]
    private static partial Regex LinkPattern();

    private void Revoke(Func<OneTimeToken, bool> which, DateTimeOffset now)
    {
        foreach (var token in TokenRecords.Values.Where(which).ToList())
            TokenRecords[token.Hash] = token with { UsedAt = token.UsedAt ?? now, RevokedAt = token.RevokedAt ?? now };
    }
}
