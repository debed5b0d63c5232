using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CloneAI.Local.Tests;

[Collection(LocalHostCollection.Name)]
public sealed class MarketplaceTests(LocalHostFixture host)
{
    private static string Word() => "mk" + Guid.NewGuid().ToString("N")[..10];

    private async Task<(TestUser Creator, string Word, List<string> Ids)> SeedAsync(int count)
    {
        var creator = await host.NewUserAsync("market", creator: true);
        var word = Word();
        using var client = host.Client(creator.AccessToken);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var created = await client.PostAsJsonAsync("/api/clones", new
            {
                name = $"Expert {i} {word}",
                category = i % 2 == 0 ? "finance" : "law",
                tagline = $"Number {i}",
                description = "Seeded for the marketplace tests.",
                tags = new[] { "seed", $"n{i}" },
                persona = new { greeting = "Hi", instructions = "Answer." },
                pricing = new { perMinute = 100 * (i + 1), currency = "USD" },
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/clones/{id}/publish", null)).StatusCode);
            ids.Add(id);
        }
        return (creator, word, ids);
    }

    private async Task<List<JsonElement>> ItemsAsync(string query)
    {
        using var client = host.Client();
        var page = await client.GetFromJsonAsync<JsonElement>("/api/clones?" + query);
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    [Fact]
    public async Task SearchFiltersByCategoryAndPriceRange()
    {
        var (_, word, _) = await SeedAsync(5);
        var finance = await ItemsAsync($"q={word}&category=finance");
        Assert.Equal(3, finance.Count);
        Assert.All(finance, c => Assert.Equal("finance", c.GetProperty("category").GetString()));

        var midPriced = await ItemsAsync($"q={word}&minPrice=200&maxPrice=400");
        Assert.Equal([200L, 300L, 400L], midPriced.Select(c => c.GetProperty("pricing").GetProperty("perMinute").GetInt64()).Order().ToArray());

        Assert.Empty(await ItemsAsync($"q={word}&minRating=4.5"));
    }

    [Fact]
    public async Task SortByPriceAndNewestOrderTheResults()
    {
        var (_, word, ids) = await SeedAsync(4);
        var byPrice = await ItemsAsync($"q={word}&sort=price");
        Assert.Equal([100L, 200L, 300L, 400L], byPrice.Select(c => c.GetProperty("pricing").GetProperty("perMinute").GetInt64()).ToArray());
        var newest = await ItemsAsync($"q={word}&sort=newest");
        Assert.Equal(ids.AsEnumerable().Reverse().ToArray(), newest.Select(c => c.GetProperty("id").GetString()).ToArray());
    }

    [Fact]
    public async Task PagesFollowTheContinuationTokenWithoutRepeats()
    {
        var (_, word, ids) = await SeedAsync(5);
        using var client = host.Client();
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = $"/api/clones?q={word}&sort=price&pageSize=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await client.GetFromJsonAsync<JsonElement>(url);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
            token = page.GetProperty("continuationToken").GetString();
            pages++;
        } while (token is not null && pages < 10);
        Assert.Equal(3, pages);
        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task DraftsUnpublishedAndDeletedClonesStayOutOfTheMarketplaceButDraftsShowInMyList()
    {
        var (creator, word, ids) = await SeedAsync(3);
        using var client = host.Client(creator.AccessToken);
        var draft = await host.CreateCloneAsync(creator.AccessToken, $"Draft {word}", publish: false);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/clones/{ids[0]}/unpublish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/clones/{ids[1]}")).StatusCode);

        var listed = (await ItemsAsync($"q={word}")).Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal([ids[2]], listed);

        var mine = await client.GetFromJsonAsync<JsonElement>("/api/me/clones");
        var mineIds = mine.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Contains(draft.GetProperty("id").GetString(), mineIds);
        Assert.Contains(ids[0], mineIds);
        Assert.DoesNotContain(ids[1], mineIds);
        // A deleted clone is gone for its owner too, but a later issue's sessions keep their reference to it.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/clones/{ids[1]}")).StatusCode);
    }

    [Fact]
    public async Task SlugsAreUniqueAndAnExplicitTakenSlugIsAConflict()
    {
        var creator = await host.NewUserAsync("slugs", creator: true);
        using var client = host.Client(creator.AccessToken);
        var word = Word();
        var first = await client.PostAsJsonAsync("/api/clones", new { name = $"Same Name {word}", category = "law" });
        var second = await client.PostAsJsonAsync("/api/clones", new { name = $"Same Name {word}", category = "law" });
        var a = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString();
        var b = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString();
        Assert.NotEqual(a, b);
        var taken = await client.PostAsJsonAsync("/api/clones", new { name = "Other", slug = a, category = "law" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal("application/problem+json", taken.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PatchingWithNullClearsAPriceAndAPublishedCloneMustKeepOne()
    {
        var creator = await host.NewUserAsync("prices", creator: true);
        var clone = await host.CreateCloneAsync(creator.AccessToken, "Pricing " + Word(), publish: true);
        var id = clone.GetProperty("id").GetString();
        using var client = host.Client(creator.AccessToken);
        var both = await client.PatchAsJsonAsync($"/api/clones/{id}", new { pricing = new { perMessage = 10 } });
        Assert.Equal(HttpStatusCode.OK, both.StatusCode);
        var cleared = await client.PatchAsync($"/api/clones/{id}", JsonContent.Create(JsonDocument.Parse("{\"pricing\":{\"perMinute\":null}}").RootElement));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        var pricing = (await cleared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pricing");
        Assert.Equal(JsonValueKind.Null, pricing.GetProperty("perMinute").ValueKind);
        Assert.Equal(10, pricing.GetProperty("perMessage").GetInt64());
        var none = await client.PatchAsync($"/api/clones/{id}", JsonContent.Create(JsonDocument.Parse("{\"pricing\":{\"perMessage\":null}}").RootElement));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        var after = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{id}");
        Assert.Equal(10, after.GetProperty("pricing").GetProperty("perMessage").GetInt64());
    }

    [Fact]
    public async Task TheCreatorsInstructionsAreShownOnlyToTheOwnerAndAdmins()
    {
        var creator = await host.NewUserAsync("prompt", creator: true);
        var word = Word();
        var clone = await host.CreateCloneAsync(creator.AccessToken, "Secretive " + word, publish: true);
        var id = clone.GetProperty("id").GetString();
        Assert.Equal("Answer from my documents.", clone.GetProperty("persona").GetProperty("instructions").GetString());

        using var anonymous = host.Client();
        var publicView = await anonymous.GetFromJsonAsync<JsonElement>($"/api/clones/{id}");
        Assert.Equal("", publicView.GetProperty("persona").GetProperty("instructions").GetString());
        Assert.Equal("Hello!", publicView.GetProperty("persona").GetProperty("greeting").GetString());
        var listed = Assert.Single(await ItemsAsync($"q={word}"));
        Assert.Equal("", listed.GetProperty("persona").GetProperty("instructions").GetString());

        using var owner = host.Client(creator.AccessToken);
        var ownerView = await owner.GetFromJsonAsync<JsonElement>($"/api/clones/{id}");
        Assert.Equal("Answer from my documents.", ownerView.GetProperty("persona").GetProperty("instructions").GetString());
    }
}
