using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CloneAI.Local.Tests;

/// <summary>
/// Security finding 10 on the local host: the web app is served with a Content-Security-Policy and the usual security headers,
/// and every personal API response (signed in, or handing out tokens) carries <c>Cache-Control: no-store</c>.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class SecurityHeaderTests(LocalHostFixture host)
{
    private static string Directive(string csp, string name) =>
        csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..];

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/clones/some-clone")]
    [InlineData("/studio/abc/dashboard")]
    public async Task TheWebAppIsServedWithAContentSecurityPolicyAndTheSecurityHeaders(string path)
    {
        using var client = host.Client();
        var page = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal("'self'", Directive(csp, "default-src"));
        Assert.Equal("'self'", Directive(csp, "script-src"));
        Assert.Equal("'none'", Directive(csp, "frame-ancestors"));
        Assert.Equal("'none'", Directive(csp, "object-src"));
        Assert.Equal("'self'", Directive(csp, "base-uri"));
        // The API and the realtime WebSocket of this very origin, nothing else (local mode: no Entra).
        Assert.Equal($"'self' ws://{host.BaseAddress.Authority}", Directive(csp, "connect-src"));
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-inline'", Directive(csp, "script-src"), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("same-origin", page.Headers.GetValues("Referrer-Policy").Single());
        var permissions = page.Headers.GetValues("Permissions-Policy").Single();
        Assert.Contains("camera=()", permissions, StringComparison.Ordinal);
        Assert.Contains("microphone=()", permissions, StringComparison.Ordinal);
        Assert.Contains("geolocation=()", permissions, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDeployedWebAppSendsTheSameHeaders()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CloneAI.sln"))) dir = dir.Parent;
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir!.FullName, "static-web", "public", "staticwebapp.config.json"))).RootElement;
        var headers = config.GetProperty("globalHeaders");
        Assert.Equal("nosniff", headers.GetProperty("X-Content-Type-Options").GetString());
        Assert.Equal("DENY", headers.GetProperty("X-Frame-Options").GetString());
        Assert.Equal(CloneAI.Functions.Http.WebAppHeaders.PermissionsPolicy, headers.GetProperty("Permissions-Policy").GetString());
        Assert.False(string.IsNullOrEmpty(headers.GetProperty("Referrer-Policy").GetString()));
        var deployed = headers.GetProperty("Content-Security-Policy").GetString()!;
        var local = CloneAI.Functions.Http.WebAppHeaders.ContentSecurityPolicy(entra: false);
        // The same directives (the build adds the API's origin, Entra, Blob Storage and Web PubSub to connect-src in Azure).
        static Dictionary<string, string> Directives(string csp) => csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d, StringComparer.Ordinal);
        Assert.Equal(Directives(local), Directives(deployed));
    }

    [Fact]
    public async Task AHostHeaderThatCouldBreakThePolicyIsNotCopiedIntoIt()
    {
        using var client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "evil.example:1";
        var page = await client.SendAsync(request);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal("'none'", Directive(csp, "frame-ancestors"));
        Assert.DoesNotContain(";;", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryPersonalApiResponseIsNeverCached()
    {
        var user = await host.NewUserAsync("nostore-all", creator: true);
        await host.FundAsync(user.Id);
        var clone = await host.CreateCloneAsync(user.AccessToken, "No store " + Guid.NewGuid().ToString("N")[..8], publish: true);
        var cloneId = clone.GetProperty("id").GetString()!;
        using var client = host.Client(user.AccessToken);
        var session = (await (await client.PostAsync($"/api/clones/{cloneId}/sessions", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        string[] personal =
        [
            "/api/me", "/api/me/clones", "/api/me/dashboard", "/api/me/earnings", "/api/me/invoices", "/api/me/memories",
            "/api/me/progress", "/api/me/recommendations", "/api/wallet", "/api/wallet/transactions", "/api/sessions",
            $"/api/sessions/{session}", $"/api/clones/{cloneId}/documents", $"/api/clones/{cloneId}/dashboard",
            $"/api/clones/{cloneId}", "/api/clones", "/api/realtime/negotiate", "/api/me/no-such-route",
        ];
        foreach (var path in personal)
        {
            var response = await client.GetAsync(path);
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{path} ({(int)response.StatusCode}): Cache-Control: {response.Headers.CacheControl}");
        }

        // Writes too, and errors.
        var asked = await client.PostAsJsonAsync($"/api/sessions/{session}/messages", new { content = "Hello?", clientMessageId = "nostore-1" });
        Assert.True(asked.Headers.CacheControl?.NoStore, $"Cache-Control: {asked.Headers.CacheControl}");
        var refused = await client.PostAsJsonAsync($"/api/sessions/{session}/messages", new { content = "" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(refused.Headers.CacheControl?.NoStore, $"Cache-Control: {refused.Headers.CacheControl}");

        // A streamed answer.
        using var stream = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{session}/messages")
        {
            Content = JsonContent.Create(new { content = "Hello again?", clientMessageId = "nostore-2" }),
        };
        stream.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var streamed = await client.SendAsync(stream);
        Assert.Equal("text/event-stream", streamed.Content.Headers.ContentType?.MediaType);
        Assert.True(streamed.Headers.CacheControl?.NoStore, $"Cache-Control: {streamed.Headers.CacheControl}");
    }

    [Fact]
    public async Task ResponsesThatHandOutTokensAreNeverCached()
    {
        var email = $"nostore-{Guid.NewGuid():N}@cloneai.test";
        await host.SignUpVerifiedAsync(email);
        using var client = host.Client();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password = LocalHostFixture.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True(login.Headers.CacheControl?.NoStore, $"Cache-Control: {login.Headers.CacheControl}");
        var tokens = await login.Content.ReadFromJsonAsync<Tokens>();
        var refreshed = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens!.RefreshToken });
        Assert.True(refreshed.Headers.CacheControl?.NoStore, $"Cache-Control: {refreshed.Headers.CacheControl}");
    }

    [Fact]
    public async Task PublicResponsesKeepTheirOwnCaching()
    {
        var user = await host.NewUserAsync("public-avatar");
        using var client = host.Client(user.AccessToken);
        var png = new ByteArrayContent(TestImages.Png());
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/me/avatar", png)).StatusCode);
        using var anonymous = host.Client();
        var avatar = await anonymous.GetAsync($"/api/users/{user.Id}/avatar");
        Assert.Equal(HttpStatusCode.OK, avatar.StatusCode);
        Assert.True(avatar.Headers.CacheControl?.Public, $"Cache-Control: {avatar.Headers.CacheControl}");
        // The marketplace, asked anonymously, is nobody's in particular.
        var list = await anonymous.GetAsync("/api/clones");
        Assert.NotEqual(true, list.Headers.CacheControl?.NoStore);
    }
}
