using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Clones;

namespace CloneAI.Local.Tests.Limits;

/// <summary>Finding 12: a slug may not be (or look like) a clone id, which would make that clone unreachable; clone creation is throttled per user.</summary>
public sealed class CloneCreationLimitsTests : IAsyncLifetime
{
    private OwnHost _host = null!;

    public async Task InitializeAsync() => _host = await OwnHost.StartAsync(new() { ["RateLimits:ClonesPerHour"] = "4" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ASlugEqualToAnotherClonesIdIsRefusedAndThatCloneStaysReachable()
    {
        using var victimOwner = _host.Client(await _host.UserAsync("victim", creator: true));
        var victim = await (await victimOwner.PostAsJsonAsync("/api/clones", LocalHostFixture.PublishableClone("Victim"))).Content.ReadFromJsonAsync<JsonElement>();
        var victimId = victim.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await victimOwner.PostAsync($"/api/clones/{victimId}/publish", null)).StatusCode);

        using var squatter = _host.Client(await _host.UserAsync("squatter", creator: true));
        var create = await squatter.PostAsJsonAsync("/api/clones", new { name = "Squatter", category = "science", slug = victimId });
        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        var problem = await create.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("clone id", problem.GetProperty("errors").GetProperty("slug")[0].GetString(), StringComparison.Ordinal);

        // Nor by renaming a clone's slug later, nor with any other id-shaped slug.
        var own = await (await squatter.PostAsJsonAsync("/api/clones", new { name = "Squatter", category = "science" })).Content.ReadFromJsonAsync<JsonElement>();
        var ownId = own.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.BadRequest, (await squatter.PatchAsJsonAsync($"/api/clones/{ownId}", new { slug = victimId })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await squatter.PatchAsJsonAsync($"/api/clones/{ownId}", new { slug = new string('a', 32) })).StatusCode);

        var reached = await squatter.GetFromJsonAsync<JsonElement>($"/api/clones/{victimId}");
        Assert.Equal("Victim", reached.GetProperty("name").GetString());
    }

    [Fact]
    public void ANameThatLooksLikeAnIdGetsASlugThatDoesNot()
    {
        var slug = Slugs.FromName("0123456789abcdef0123456789ABCDEF");
        Assert.False(Slugs.LooksLikeId(slug));
        Assert.True(Slugs.IsValid(slug));
        Assert.True(Slugs.LooksLikeId(Guid.CreateVersion7().ToString("N")));
    }

    [Fact]
    public async Task CloneCreationIsThrottledPerUser()
    {
        using var http = _host.Client(await _host.UserAsync("prolific", creator: true));
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/clones", new { name = "Clone " + i, category = "science" })).StatusCode);
        var refused = await http.PostAsJsonAsync("/api/clones", new { name = "One too many", category = "science" });
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(50));
        Assert.Contains("4 new clones an hour", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var other = _host.Client(await _host.UserAsync("other-creator", creator: true));
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsJsonAsync("/api/clones", new { name = "Unaffected", category = "science" })).StatusCode);
    }
}
