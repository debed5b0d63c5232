using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

[Collection(LocalHostCollection.Name)]
public sealed class AccountTests(LocalHostFixture host)
{
    [Fact]
    public async Task RefreshTokensRotateAndASpentOneEndsTheWholeLogin()
    {
        var user = await host.NewUserAsync("rotate");
        using var client = host.Client();

        var first = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var rotated = (await first.Content.ReadFromJsonAsync<Tokens>())!;
        Assert.NotEqual(user.RefreshToken, rotated.RefreshToken);

        // The old token again: refused, and the rotated one dies with it.
        var replay = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        var afterReplay = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = rotated.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, afterReplay.StatusCode);
    }

    [Fact]
    public async Task LogoutRevokesTheRefreshToken()
    {
        var user = await host.NewUserAsync("logout");
        using var client = host.Client();
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = user.RefreshToken })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken })).StatusCode);
    }

    [Fact]
    public async Task RepeatedFailedLoginsSlowTheAccountDownFromThatClientEvenForTheRightPassword()
    {
        var user = await host.NewUserAsync("lockout");
        using var client = host.Client();
        for (var i = 0; i < 3; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "definitely wrong" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        var slowed = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = LocalHostFixture.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, slowed.StatusCode);
        Assert.Equal("application/problem+json", slowed.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(slowed.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task ForgotAndResetPasswordUseASingleUseLinkFromTheEmail()
    {
        var user = await host.NewUserAsync("reset");
        using var client = host.Client();
        var token = await host.NewLinkTokenAsync(user.Email, "/reset-password", async () =>
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/auth/password/forgot", new { email = user.Email })).StatusCode));
        var mail = host.LatestEmail(user.Email);
        Assert.Contains("/reset-password?token=", mail.TextBody, StringComparison.Ordinal);

        var reset = await client.PostAsJsonAsync("/api/auth/password/reset", new { token, password = "a brand new passphrase" });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        var again = await client.PostAsJsonAsync("/api/auth/password/reset", new { token, password = "yet another passphrase" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = LocalHostFixture.Password })).StatusCode);
        await host.LoginAsync(user.Email, "a brand new passphrase");
        // The reset ended the sessions that existed before it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken })).StatusCode);
    }

    [Fact]
    public async Task ForgotPasswordForAnUnknownEmailLooksTheSameAndSendsNothing()
    {
        var email = $"nobody-{Guid.NewGuid():N}@cloneai.test";
        using var client = host.Client();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/auth/password/forgot", new { email })).StatusCode);
        Assert.Throws<InvalidOperationException>(() => host.LatestEmail(email, wait: TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task SigningUpTwiceWithTheSameEmailAnswersLikeANewAccountChangesNothingAndTellsTheOwner()
    {
        var user = await host.NewUserAsync("twice");
        using var client = host.Client();
        var fresh = await client.PostAsJsonAsync("/api/auth/signup",
            new { email = $"fresh-{Guid.NewGuid():N}@cloneai.test", password = "another long password", displayName = "Impostor", acceptTerms = true });

        var again = await client.PostAsJsonAsync("/api/auth/signup",
            new { email = user.Email.ToUpperInvariant(), password = "another long password", displayName = "Impostor", acceptTerms = true });

        Assert.Equal(fresh.StatusCode, again.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var freshBody = await fresh.Content.ReadFromJsonAsync<JsonElement>();
        var againBody = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(freshBody.GetProperty("message").GetString(), againBody.GetProperty("message").GetString());
        Assert.Equal(["email", "message"], againBody.EnumerateObject().Select(p => p.Name).Order());
        var notice = host.LatestEmail(user.Email, m => (m.Subject ?? "").Contains("tried to sign up", StringComparison.Ordinal));
        Assert.DoesNotContain("Impostor", notice.TextBody + notice.HtmlBody, StringComparison.Ordinal);
        using var me = host.Client(user.AccessToken);
        var profile = await me.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("twice", profile.GetProperty("displayName").GetString());
        await host.LoginAsync(user.Email); // the original password still works
    }

    [Fact]
    public async Task AForgedOrExpiredAccessTokenIsUnauthorized()
    {
        using var forged = host.Client("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bm90LWEtc2lnbmF0dXJl");
        var response = await forged.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ProfileUpdatesAreValidatedPerField()
    {
        var user = await host.NewUserAsync("profile");
        using var client = host.Client(user.AccessToken);
        var bad = await client.PatchAsJsonAsync("/api/me", new { displayName = new string('x', 200), timezone = "Mars/Olympus", expertise = new[] { "" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("displayName", out _));
        Assert.True(errors.TryGetProperty("timezone", out _));
        Assert.True(errors.TryGetProperty("expertise", out _));

        var good = await client.PatchAsJsonAsync("/api/me", new { bio = "I teach.", expertise = new[] { "math", "physics" }, timezone = "Europe/Paris" });
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var profile = await good.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Europe/Paris", profile.GetProperty("timezone").GetString());
        Assert.Equal(2, profile.GetProperty("expertise").GetArrayLength());
    }

    [Fact]
    public async Task LoggingOutEndsTheAccessTokenAtOnce()
    {
        var user = await host.NewUserAsync("stamp-logout");
        using var me = host.Client(user.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await me.GetAsync("/api/me")).StatusCode);
        using var client = host.Client();

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = user.RefreshToken })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await me.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task AResetEndsTheAccessTokensAndEveryOlderResetLink()
    {
        var user = await host.NewUserAsync("stamp-reset");
        using var me = host.Client(user.AccessToken);
        using var client = host.Client();
        Task Forgot() => client.PostAsJsonAsync("/api/auth/password/forgot", new { email = user.Email });
        var older = await host.NewLinkTokenAsync(user.Email, "/reset-password", Forgot);
        var newer = await host.NewLinkTokenAsync(user.Email, "/reset-password", Forgot);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/auth/password/reset", new { token = newer, password = "a brand new passphrase" })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await me.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/auth/password/reset", new { token = older, password = "an attacker's passphrase" })).StatusCode);
        await host.LoginAsync(user.Email, "a brand new passphrase");
    }

    [Fact]
    public async Task ADisabledAccountIsRefusedAtSignInRefreshAndOnEveryRequest()
    {
        var user = await host.NewUserAsync("disabled");
        var users = host.App.Services.GetRequiredService<CloneAI.Core.Users.UserService>();
        var disabled = await users.DisableAsync(user.Id, "Spam");
        using var client = host.Client();

        using var old = host.Client(user.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/me")).StatusCode); // its stamp changed
        using var fresh = host.Client(host.App.Services.GetRequiredService<CloneAI.Core.Accounts.IAccessTokenIssuer>().Issue(disabled).Token);
        var forbidden = await fresh.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("disabled", (await forbidden.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken })).StatusCode);
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = LocalHostFixture.Password });
        var unknown = await client.PostAsJsonAsync("/api/auth/login", new { email = $"nobody-{Guid.NewGuid():N}@cloneai.test", password = LocalHostFixture.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Equal((await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(),
            (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        await users.EnableAsync(user.Id);
        await host.LoginAsync(user.Email);
    }

    [Fact]
    public async Task SigningUpRequiresAcceptingTheTermsAndRecordsTheirVersion()
    {
        var email = $"terms-{Guid.NewGuid():N}@cloneai.test";
        using var client = host.Client();

        var refused = await client.PostAsJsonAsync("/api/auth/signup", new { email, password = LocalHostFixture.Password, displayName = "Terms" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("acceptTerms", out _));

        var id = await host.SignUpVerifiedAsync(email, "Terms");
        var user = await host.App.Services.GetRequiredService<CloneAI.Core.Users.IUserStore>().GetAsync(id);
        Assert.Equal(CloneAI.Core.UserData.Terms.CurrentVersion, user!.TermsVersion);
        Assert.NotNull(user.TermsAcceptedAt);
    }

    [Fact]
    public async Task NoEmailPutsTheDisplayNameOrACloneNameWhereItReadsAsTheServicesOwnWords()
    {
        const string evil = "Visit https://evil.example now";
        var email = $"evil-{Guid.NewGuid():N}@cloneai.test";
        using var client = host.Client();
        // Sign-up (verification), sign-up again (the note to the owner), resend, forgot-password (reset).
        await host.SignUpVerifiedAsync(email, evil);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/auth/signup",
            new { email, password = "another long password", displayName = evil, acceptTerms = true })).StatusCode);
        host.LatestEmail(email, m => (m.Subject ?? "").Contains("tried to sign up", StringComparison.Ordinal));
        await host.NewLinkTokenAsync(email, "/reset-password", () => client.PostAsJsonAsync("/api/auth/password/forgot", new { email }));
        // A session receipt: another user talks to the clone whose name is the same text.
        var tokens = await host.LoginAsync(email);
        using (var creator = host.Client(tokens.AccessToken))
            Assert.Equal(HttpStatusCode.OK, (await creator.PostAsync("/api/me/creator", null)).StatusCode);
        var clone = await host.CreateCloneAsync(tokens.AccessToken, evil, publish: true);
        var buyer = await host.NewUserAsync(evil);
        await host.FundAsync(buyer.Id);
        using (var http = host.Client(buyer.AccessToken))
        {
            var session = (await (await http.PostAsync($"/api/clones/{clone.GetProperty("id").GetString()}/sessions", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/sessions/{session}/messages", new { content = "Hello?", clientMessageId = Guid.NewGuid().ToString("N") })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/api/sessions/{session}/end", null)).StatusCode);
        }
        host.LatestEmail(buyer.Email, m => (m.Subject ?? "").StartsWith("Your session with", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        var mails = host.EmailsTo(email).Concat(host.EmailsTo(buyer.Email)).ToList();
        Assert.True(mails.Count >= 5, $"{mails.Count} emails");
        foreach (var mail in mails)
        {
            foreach (var part in new[] { mail.Subject ?? "", mail.TextBody ?? "", System.Net.WebUtility.HtmlDecode(mail.HtmlBody ?? "") })
            {
                // Outside quotes “…” nothing of it may appear; inside, only after a label ("Clone: “…”", "Your session with “…”").
                var unquoted = System.Text.RegularExpressions.Regex.Replace(part, "“[^”]*”", "");
                Assert.DoesNotContain("evil.example", unquoted, StringComparison.Ordinal);
            }
        }
    }
}
