using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CloneAI.Local.Tests;

/// <summary>The first user story, end to end over HTTP, reading the verification email from the outbox.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class StoryTests(LocalHostFixture host)
{
    [Fact]
    public async Task ANewUserSignsUpVerifiesLogsInBecomesACreatorPublishesAndFindsTheCloneInTheMarketplace()
    {
        var email = $"story-{Guid.NewGuid():N}@cloneai.test";
        using var anonymous = host.Client();

        var signup = await anonymous.PostAsJsonAsync("/api/auth/signup", new { email, password = LocalHostFixture.Password, displayName = "Ada Story", acceptTerms = true });
        Assert.Equal(HttpStatusCode.Accepted, signup.StatusCode);

        // Not verified yet: login is refused with a reason.
        var early = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = LocalHostFixture.Password });
        Assert.Equal(HttpStatusCode.Forbidden, early.StatusCode);

        var mail = host.LatestEmail(email);
        Assert.Contains("Verify", mail.Subject, StringComparison.Ordinal);
        Assert.Contains($"{host.BaseAddress.ToString().TrimEnd('/')}/verify?token=", mail.TextBody, StringComparison.Ordinal);
        var verify = await anonymous.PostAsJsonAsync("/api/auth/verify", new { token = host.LinkToken(email, "/verify") });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);

        var tokens = await host.LoginAsync(email);
        Assert.True(tokens.ExpiresIn > 0);
        using var me = host.Client(tokens.AccessToken);
        var profile = await me.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(new[] { "user" }, profile.GetProperty("roles").EnumerateArray().Select(r => r.GetString() ?? "").ToArray());

        var becomeCreator = await me.PostAsync("/api/me/creator", null);
        Assert.Equal(HttpStatusCode.OK, becomeCreator.StatusCode);
        Assert.Contains("creator", (await becomeCreator.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var unique = "Zephyrine" + Guid.NewGuid().ToString("N")[..6];
        var draft = await me.PostAsJsonAsync("/api/clones", new { name = $"Professor {unique}", category = "education" });
        Assert.Equal(HttpStatusCode.Created, draft.StatusCode);
        var id = (await draft.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        // Publishing a bare draft names every missing field.
        var refused = await me.PostAsync($"/api/clones/{id}/publish", null);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        var missing = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("description", missing);
        Assert.Contains("pricing", missing);

        var patch = await me.PatchAsJsonAsync($"/api/clones/{id}", new
        {
            tagline = "Makes calculus friendly",
            description = "Thirty years of teaching calculus, now on demand.",
            tags = new[] { "calculus", "math" },
            persona = new { greeting = "Ready to integrate?", instructions = "Explain step by step." },
            pricing = new { perMinute = 75, currency = "USD", freeMessages = 2 },
        });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var published = await me.PostAsync($"/api/clones/{id}/publish", null);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var clone = await published.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("published", clone.GetProperty("status").GetString());
        Assert.Equal(75, clone.GetProperty("pricing").GetProperty("perMinute").GetInt64());
        Assert.Equal("USD", clone.GetProperty("pricing").GetProperty("currency").GetString()); // prices are in the platform currency

        var found = await anonymous.GetFromJsonAsync<JsonElement>($"/api/clones?q={unique.ToLowerInvariant()[..8]}");
        var hit = Assert.Single(found.GetProperty("items").EnumerateArray());
        Assert.Equal(id, hit.GetProperty("id").GetString());
        var slug = hit.GetProperty("slug").GetString();
        var detail = await anonymous.GetFromJsonAsync<JsonElement>($"/api/clones/{slug}");
        Assert.Equal("Makes calculus friendly", detail.GetProperty("tagline").GetString());
        Assert.Equal("Ada Story", detail.GetProperty("ownerName").GetString());
    }

    [Fact]
    public async Task TheWebAppIsServedAtTheRootWithAnSpaFallbackButUnknownApiRoutesAreProblems()
    {
        using var client = host.Client();
        var root = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Contains("CloneAI test shell", await root.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var deepLink = await client.GetAsync("/studio/some-clone");
        Assert.Equal(HttpStatusCode.OK, deepLink.StatusCode);
        Assert.Contains("CloneAI test shell", await deepLink.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var unknown = await client.GetAsync("/api/nope/nothing");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        var wrongMethod = await client.DeleteAsync("/api/health");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("application/problem+json", wrongMethod.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task HealthReportsTheStoreAndConfigReportsLocalAuth()
    {
        using var client = host.Client();
        var health = await client.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("ok", health.GetProperty("store").GetString());
        Assert.False(string.IsNullOrEmpty(health.GetProperty("version").GetString()));
        var config = await client.GetFromJsonAsync<JsonElement>("/api/config");
        Assert.Equal("local", config.GetProperty("authMode").GetString());
    }
}
