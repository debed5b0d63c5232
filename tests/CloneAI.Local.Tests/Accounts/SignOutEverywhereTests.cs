using System.Net;
using System.Net.Http.Json;

namespace CloneAI.Local.Tests.Accounts;

/// <summary><c>POST /api/me/sign-out-everywhere</c> on the local host: every access and refresh token of the account stops working at once.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class SignOutEverywhereTests(LocalHostFixture host)
{
    [Fact]
    public async Task SigningOutEverywhereEndsEveryAccessAndRefreshTokenOfTheAccountAtOnce()
    {
        var user = await host.NewUserAsync("everywhere");
        var second = await host.LoginAsync(user.Email); // another device
        using var first = host.Client(user.AccessToken);
        using var other = host.Client(second.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await first.PostAsync("/api/me/sign-out-everywhere", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/me")).StatusCode);
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = second.RefreshToken })).StatusCode);
        // Asking again with a token it ended is a 401; a new sign-in works, and signing out everywhere again ends it too.
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.PostAsync("/api/me/sign-out-everywhere", null)).StatusCode);
        var fresh = await host.LoginAsync(user.Email);
        using var again = host.Client(fresh.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await again.PostAsync("/api/me/sign-out-everywhere", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.GetAsync("/api/me")).StatusCode);
    }
}
