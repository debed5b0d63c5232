using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests.Limits;

/// <summary>
/// Security finding 4 (gameable ratings): one rating per user per clone, the latest counting; no self-rating; "popular"
/// counts distinct users, not sessions; session starts are throttled per user.
/// </summary>
public sealed class RatingAndPopularityTests : IAsyncLifetime
{
    private OwnHost _host = null!;
    private User _creator = null!;

    public async Task InitializeAsync()
    {
        _host = await OwnHost.StartAsync(new() { ["Chat:ExtractiveWordDelayMs"] = "0" });
        _creator = await _host.UserAsync("creator", creator: true);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<Clone> FreeCloneAsync(string name) => _host.PublishedCloneAsync(_creator, name, new PricingInput(PerMinute: 1, Currency: "USD"));

    /// <summary>A signed-in client of a user with money in their wallet.</summary>
    private async Task<HttpClient> UserClientAsync(string id)
    {
        var user = await _host.UserAsync(id);
        await _host.FundAsync(user);
        return _host.Client(user);
    }

    /// <summary>Starts a session, asks one question, and returns its id.</summary>
    private static async Task<string> UsedSessionAsync(HttpClient http, string cloneId)
    {
        var started = await http.PostAsync($"/api/clones/{cloneId}/sessions", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var asked = await http.PostAsJsonAsync($"/api/sessions/{id}/messages", new { content = "What do you know?", clientMessageId = "q1" });
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        return id;
    }

    private async Task<Clone> StoredAsync(string cloneId) => (await _host.Services.GetRequiredService<ICloneStore>().GetAsync(cloneId))!;

    [Fact]
    public async Task OneUserRatingThreeSessionsOfACloneCountsOnceAndTheLatestRatingCounts()
    {
        var clone = await FreeCloneAsync("Rated once");
        using var rater = await UserClientAsync("rater");
        var sessions = new List<string>();
        for (var i = 0; i < 3; i++) sessions.Add(await UsedSessionAsync(rater, clone.Id));

        Assert.Equal(HttpStatusCode.OK, (await rater.PostAsJsonAsync($"/api/sessions/{sessions[0]}/rating", new { stars = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await rater.PostAsJsonAsync($"/api/sessions/{sessions[1]}/rating", new { stars = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await rater.PostAsJsonAsync($"/api/sessions/{sessions[2]}/rating", new { stars = 2 })).StatusCode);
        var stored = await StoredAsync(clone.Id);
        Assert.Equal(1, stored.RatingCount);
        Assert.Equal(2, stored.Rating);

        // Rating the first session again replaces the same (one) rating.
        Assert.Equal(HttpStatusCode.OK, (await rater.PostAsJsonAsync($"/api/sessions/{sessions[0]}/rating", new { stars = 4 })).StatusCode);
        using var second = await UserClientAsync("second-rater");
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsJsonAsync($"/api/sessions/{await UsedSessionAsync(second, clone.Id)}/rating", new { stars = 1 })).StatusCode);
        stored = await StoredAsync(clone.Id);
        Assert.Equal(2, stored.RatingCount);
        Assert.Equal(2.5, stored.Rating);
        var dto = await rater.GetFromJsonAsync<JsonElement>($"/api/clones/{clone.Id}");
        Assert.Equal(2, dto.GetProperty("ratingCount").GetInt32());
    }

    [Fact]
    public async Task TheOwnerCannotRateASessionWithTheirOwnCloneEvenOneThatIsNotAPreview()
    {
        var clone = await FreeCloneAsync("Self rated");
        // A session of the owner's stored before previews existed: not marked as a preview, with an answered question.
        var store = _host.Services.GetRequiredService<ISessionStore>();
        var now = DateTimeOffset.UtcNow;
        var legacy = await store.CreateAsync(new ChatSession
        {
            Id = Guid.NewGuid().ToString("N"), UserId = _creator.Id, CloneId = clone.Id, CloneName = clone.Name, CloneSlug = clone.Slug,
            OwnerId = clone.OwnerId, Pricing = clone.Pricing, StartedAt = now, LastActivityAt = now, MessageCount = 1,
        }, null);
        using var owner = _host.Client(_creator);
        var refused = await owner.PostAsJsonAsync($"/api/sessions/{legacy.Id}/rating", new { stars = 5 });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("your own clone", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var stored = await StoredAsync(clone.Id);
        Assert.Equal(0, stored.RatingCount);
        Assert.Null((await store.GetAsync(legacy.Id))!.Rating);

        // And a preview (today's owner session) stays a 409.
        var preview = await owner.PostAsync($"/api/clones/{clone.Id}/sessions", null);
        var previewId = (await preview.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Conflict, (await owner.PostAsJsonAsync($"/api/sessions/{previewId}/rating", new { stars = 5 })).StatusCode);
    }

    [Fact]
    public async Task PopularCountsDistinctUsersNotSessions()
    {
        var busy = await FreeCloneAsync("One busy user");
        var liked = await FreeCloneAsync("Two quiet users");
        using (var heavy = await UserClientAsync("heavy"))
        {
            for (var i = 0; i < 5; i++)
                Assert.Equal(HttpStatusCode.OK, (await heavy.PostAsync($"/api/sessions/{await UsedSessionAsync(heavy, busy.Id)}/end", null)).StatusCode);
        }
        foreach (var name in new[] { "quiet-1", "quiet-2" })
        {
            using var quiet = await UserClientAsync(name);
            Assert.Equal(HttpStatusCode.OK, (await quiet.PostAsync($"/api/sessions/{await UsedSessionAsync(quiet, liked.Id)}/end", null)).StatusCode);
        }

        Assert.Equal(1, (await StoredAsync(busy.Id)).SessionCount);
        Assert.Equal(2, (await StoredAsync(liked.Id)).SessionCount);
        using var anyone = await UserClientAsync("browser");
        var popular = await anyone.GetFromJsonAsync<JsonElement>("/api/clones?sort=popular");
        var order = popular.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.True(order.IndexOf(liked.Id) < order.IndexOf(busy.Id), string.Join(", ", order));
    }

    [Fact]
    public async Task TheEleventhSessionStartInAMinuteIsRefusedWithRetryAfter()
    {
        var clone = await FreeCloneAsync("Throttled");
        using var http = await UserClientAsync("starter");
        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.Created, (await http.PostAsync($"/api/clones/{clone.Id}/sessions", null)).StatusCode);
        var refused = await http.PostAsync($"/api/clones/{clone.Id}/sessions", null);
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        // Another user is not affected.
        using var other = await UserClientAsync("other-starter");
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsync($"/api/clones/{clone.Id}/sessions", null)).StatusCode);
    }
}
