using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Accounts;
using CloneAI.Core.Email;
using CloneAI.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

/// <summary>
/// The security probe's account findings, on hosts of their own with the default throttles: the sign-in race, a stranger who
/// cannot lock the owner out, the throttles per client and per address, forgot-password off the request path, and two tabs
/// refreshing at once.
/// </summary>
public sealed class AuthSecurityTests
{
    private const string Password = LocalHostFixture.Password;

    /// <summary>A verified account made through the host's own service (no email round trip).</summary>
    private static async Task<string> AccountAsync(OwnHost host, string email)
    {
        var user = await host.Services.GetRequiredService<AccountService>().SignUpAsync(email, Password, "Probe", acceptTerms: true, "setup");
        var users = host.Services.GetRequiredService<IUserStore>();
        await users.ReplaceAsync((await users.GetAsync(user!.Id))! with { EmailVerified = true });
        return user.Id;
    }

    private static HttpClient Anonymous(OwnHost host, string? forwardedFor = null)
    {
        var http = Contract.ContractClient.Create(new Uri(host.Url), TimeSpan.FromSeconds(30));
        if (forwardedFor is not null) http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return http;
    }

    [Fact]
    public async Task ABurstOfConcurrentWrongPasswordsChecksNoMoreThanTheAllowedNumberAndTheRightOneThenWaits()
    {
        await using var host = await OwnHost.StartAsync();
        await AccountAsync(host, "burst@cloneai.test");
        using var http = Anonymous(host);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
            (int)(await http.PostAsJsonAsync("/api/auth/login", new { email = "burst@cloneai.test", password = "definitely wrong" })).StatusCode));

        Assert.Equal(new AuthThrottleOptions().LoginFailuresBeforeSlowDown, statuses.Count(s => s == 401));
        Assert.All(statuses, s => Assert.Contains(s, new[] { 401, 429 }));
        var right = await http.PostAsJsonAsync("/api/auth/login", new { email = "burst@cloneai.test", password = Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.True(right.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task AStrangerGuessingFromAnotherClientCannotLockTheOwnerOut()
    {
        await using var host = await OwnHost.StartAsync(new() { ["AuthThrottle:TrustForwardedFor"] = "true" });
        await AccountAsync(host, "owner@cloneai.test");
        using var stranger = Anonymous(host, "203.0.113.66");
        using var owner = Anonymous(host, "198.51.100.7, 10.0.0.1");

        for (var i = 0; i < 12; i++)
            await stranger.PostAsJsonAsync("/api/auth/login", new { email = "owner@cloneai.test", password = "guess number " + i });
        Assert.Equal(HttpStatusCode.TooManyRequests,
            (await stranger.PostAsJsonAsync("/api/auth/login", new { email = "owner@cloneai.test", password = Password })).StatusCode);

        var response = await owner.PostAsJsonAsync("/api/auth/login", new { email = "owner@cloneai.test", password = Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task FailedSignInsLookTheSameForAnUnknownAddressAWrongPasswordAndASlowedDownAccount()
    {
        await using var host = await OwnHost.StartAsync();
        await AccountAsync(host, "known@cloneai.test");
        using var http = Anonymous(host);

        var wrong = await http.PostAsJsonAsync("/api/auth/login", new { email = "known@cloneai.test", password = "definitely wrong" });
        var unknown = await http.PostAsJsonAsync("/api/auth/login", new { email = "unknown@cloneai.test", password = "definitely wrong" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(wrong.StatusCode, unknown.StatusCode);
        Assert.Equal(await Detail(wrong), await Detail(unknown));

        for (var i = 0; i < 10; i++)
        {
            await http.PostAsJsonAsync("/api/auth/login", new { email = "known@cloneai.test", password = "definitely wrong" });
            await http.PostAsJsonAsync("/api/auth/login", new { email = "unknown@cloneai.test", password = "definitely wrong" });
        }
        var slowKnown = await http.PostAsJsonAsync("/api/auth/login", new { email = "known@cloneai.test", password = "definitely wrong" });
        var slowUnknown = await http.PostAsJsonAsync("/api/auth/login", new { email = "unknown@cloneai.test", password = "definitely wrong" });
        Assert.Equal(HttpStatusCode.TooManyRequests, slowKnown.StatusCode);
        Assert.Equal(slowKnown.StatusCode, slowUnknown.StatusCode);
        Assert.Equal(await Detail(slowKnown), await Detail(slowUnknown));
    }

    [Fact]
    public async Task ForgotPasswordAnswersBeforeItsEmailIsSentWhetherOrNotTheAddressHasAnAccount()
    {
        var sender = new GatedSender();
        await using var host = await OwnHost.StartAsync(services: s => s.AddSingleton<IEmailSender>(sender));
        await AccountAsync(host, "real@cloneai.test");
        using var http = Anonymous(host);
        http.Timeout = TimeSpan.FromSeconds(10); // a request that waited for the held email would fail here

        var real = await http.PostAsJsonAsync("/api/auth/password/forgot", new { email = "real@cloneai.test" });
        var unknown = await http.PostAsJsonAsync("/api/auth/password/forgot", new { email = "nobody@cloneai.test" });

        Assert.Equal(HttpStatusCode.Accepted, real.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal(0, sender.Delivered);
        sender.Release();
        for (var i = 0; i < 100 && sender.Delivered == 0; i++) await Task.Delay(50);
        Assert.Equal(1, sender.Delivered); // the reset email, to the real address only
        Assert.Equal("real@cloneai.test", Assert.Single(sender.Messages).To);
    }

    [Fact]
    public async Task EmailsToOneAddressAreCappedPerHourWhicheverClientAsksAndWithRetryAfter()
    {
        await using var host = await OwnHost.StartAsync(new() { ["AuthThrottle:TrustForwardedFor"] = "true" });
        var limit = new AuthThrottleOptions().EmailsPerAddressPerHour;
        for (var i = 0; i < limit; i++)
        {
            using var client = Anonymous(host, $"203.0.113.{i + 1}");
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/auth/password/forgot", new { email = "target@cloneai.test" })).StatusCode);
        }
        using var another = Anonymous(host, "198.51.100.200");

        var refused = await another.PostAsJsonAsync("/api/auth/password/forgot", new { email = "target@cloneai.test" });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(50));
        Assert.Equal(HttpStatusCode.Accepted, (await another.PostAsJsonAsync("/api/auth/verify/resend", new { email = "other@cloneai.test" })).StatusCode);
    }

    [Fact]
    public async Task OneClientIsCappedPerMinuteOnSignUpResendAndForgotPassword()
    {
        await using var host = await OwnHost.StartAsync();
        using var http = Anonymous(host);
        var limit = new AuthThrottleOptions().ClientRequestsPerMinute;

        foreach (var (route, body) in new (string, Func<int, object>)[]
        {
            ("/api/auth/signup", i => new { email = $"new{i}@cloneai.test", password = Password, displayName = "New", acceptTerms = true }),
            ("/api/auth/verify/resend", i => new { email = $"new{i}@cloneai.test" }),
            ("/api/auth/password/forgot", i => new { email = $"x{i}@cloneai.test" }),
        })
        {
            for (var i = 0; i < limit; i++) Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync(route, body(i))).StatusCode);
            var refused = await http.PostAsJsonAsync(route, body(limit));
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task TwoTabsRefreshingAtOnceBothStaySignedInButAReuseAfterTheGraceWindowEndsTheLogin()
    {
        var time = new ShiftedTime();
        await using var host = await OwnHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        await AccountAsync(host, "tabs@cloneai.test");
        using var http = Anonymous(host);
        var login = (await (await http.PostAsJsonAsync("/api/auth/login", new { email = "tabs@cloneai.test", password = Password })).Content.ReadFromJsonAsync<Tokens>())!;

        var both = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = login.RefreshToken })));

        Assert.All(both, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var tabs = await Task.WhenAll(both.Select(async r => (await r.Content.ReadFromJsonAsync<Tokens>())!));
        foreach (var tab in tabs)
        {
            using var me = Anonymous(host);
            me.DefaultRequestHeaders.Authorization = new("Bearer", tab.AccessToken);
            Assert.Equal(HttpStatusCode.OK, (await me.GetAsync("/api/me")).StatusCode);
        }

        time.Offset += TimeSpan.FromSeconds(new CloneAI.Core.Auth.AuthOptions().RefreshReuseGraceSeconds + 5);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = login.RefreshToken })).StatusCode);
        foreach (var tab in tabs)
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tab.RefreshToken })).StatusCode);
    }

    private static async Task<string?> Detail(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();

    /// <summary>Delivers verification emails at once and holds every other email until released.</summary>
    private sealed class GatedSender : IEmailSender
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _delivered;

        public List<EmailMessage> Messages { get; } = [];
        public int Delivered => Volatile.Read(ref _delivered);

        public void Release() => _gate.TrySetResult();

        public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
        {
            if (message.Subject.Contains("Verify", StringComparison.Ordinal)) return;
            await _gate.Task.WaitAsync(cancellationToken);
            lock (Messages) Messages.Add(message);
            Interlocked.Increment(ref _delivered);
        }
    }
}
