using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

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
    public async Task RepeatedFailedLoginsLockTheAccountEvenForTheRightPassword()
    {
        var user = await host.NewUserAsync("lockout");
        using var client = host.Client();
        for (var i = 0; i < 3; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "definitely wrong" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        var locked = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = LocalHostFixture.Password });
        Assert.Equal((HttpStatusCode)423, locked.StatusCode);
        Assert.Equal("application/problem+json", locked.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ForgotAndResetPasswordUseASingleUseLinkFromTheEmail()
    {
        var user = await host.NewUserAsync("reset");
        using var client = host.Client();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/auth/password/forgot", new { email = user.Email })).StatusCode);
        var mail = host.LatestEmail(user.Email);
        Assert.Contains("/reset-password?token=", mail.TextBody, StringComparison.Ordinal);
        var token = host.LinkToken(user.Email, "/reset-password");

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
        Assert.Throws<InvalidOperationException>(() => host.LatestEmail(email));
    }

    [Fact]
    public async Task SigningUpTwiceWithTheSameEmailIsAConflictThatChangesNothing()
    {
        var user = await host.NewUserAsync("twice");
        using var client = host.Client();
        var again = await client.PostAsJsonAsync("/api/auth/signup", new { email = user.Email.ToUpperInvariant(), password = "another long password", displayName = "Impostor" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
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
}
