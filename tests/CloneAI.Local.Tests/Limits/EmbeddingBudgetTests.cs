using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests.Limits;

/// <summary>Finding 5: re-indexing was not throttled (80 in a row were accepted, each re-embedding the document); a per-user embedding budget.</summary>
public sealed class EmbeddingBudgetTests
{
    private static readonly string Text = string.Join(" ", Enumerable.Repeat("Glaciers carve valleys as they move and leave moraines behind.", 20));

    private static async Task<JsonElement> WaitAsync(OwnHost host, User owner, string cloneId, string docId)
    {
        var documents = host.Services.GetRequiredService<IDocumentStore>();
        for (var i = 0; i < 300 && !(await documents.GetAsync(cloneId, docId))!.IsFinished; i++) await Task.Delay(100);
        using var http = host.Client(owner);
        return await http.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents/{docId}");
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient http, string cloneId, string name, string text)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(text)), "files", name } };
        return await http.PostAsync($"/api/clones/{cloneId}/documents", form);
    }

    [Fact]
    public async Task EightyReindexCallsInARowAreNotAllAccepted()
    {
        await using var host = await OwnHost.StartAsync();
        var owner = await host.UserAsync("indexer", creator: true);
        var clone = await host.PublishedCloneAsync(owner, "Glaciers", new Core.Clones.PricingInput(PerMinute: 1, Currency: "USD"));
        using var http = host.Client(owner);
        var upload = await UploadAsync(http, clone.Id, "glaciers.txt", Text);
        var docId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0].GetProperty("id").GetString()!;
        Assert.Equal("ready", (await WaitAsync(host, owner, clone.Id, docId)).GetProperty("status").GetString());

        var statuses = new List<int>();
        HttpResponseMessage? lastRefusal = null;
        for (var i = 0; i < 80; i++)
        {
            var response = await http.PostAsync($"/api/clones/{clone.Id}/documents/{docId}/reindex", null);
            statuses.Add((int)response.StatusCode);
            if ((int)response.StatusCode == 429) lastRefusal = response;
        }
        Assert.Equal(202, statuses[0]);
        Assert.Equal(1, statuses.Count(s => s == 202));
        // The rest: 409 while the first re-index runs, then 429 (the cooldown) with Retry-After.
        Assert.All(statuses.Skip(1), s => Assert.Contains(s, new[] { 409, 429 }));
        await WaitAsync(host, owner, clone.Id, docId);
        var cooled = await http.PostAsync($"/api/clones/{clone.Id}/documents/{docId}/reindex", null);
        Assert.Equal((HttpStatusCode)429, cooled.StatusCode);
        Assert.True(cooled.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(9));
        Assert.Contains("once every 10 minutes", (await cooled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await host.Services.GetRequiredService<IDocumentStore>().GetAsync(clone.Id, docId))!.Generation);
    }

    [Fact]
    public async Task TheDailyBudgetRefusesMoreWorkSaysWhenItResetsAndHoldsAcrossARestart()
    {
        var data = Path.Combine(Path.GetTempPath(), "cloneai-budget-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["RateLimits:EmbeddingCharactersPerDay"] = "1000",
            ["RateLimits:ReindexCooldownMinutes"] = "0",
        };
        try
        {
            string cloneId, docId;
            User owner;
            await using (var host = await StartAsync(data, settings))
            {
                owner = await host.UserAsync("budgeted", creator: true);
                cloneId = (await host.PublishedCloneAsync(owner, "Budget", new Core.Clones.PricingInput(PerMinute: 1, Currency: "USD"))).Id;
                using var http = host.Client(owner);
                // The first document (about 1,260 characters) is under way before the budget runs out, so it is processed whole.
                var first = await UploadAsync(http, cloneId, "first.txt", Text);
                Assert.Equal(HttpStatusCode.Created, first.StatusCode);
                docId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0].GetProperty("id").GetString()!;
                Assert.Equal("ready", (await WaitAsync(host, owner, cloneId, docId)).GetProperty("status").GetString());

                await AssertRefusedAsync(await UploadAsync(http, cloneId, "second.txt", "Another text about moraines."));
                await AssertRefusedAsync(await http.PostAsync($"/api/clones/{cloneId}/documents/{docId}/reindex", null));
                // Another user's budget is their own.
                var other = await host.UserAsync("unbudgeted", creator: true);
                var otherClone = await host.PublishedCloneAsync(other, "Other", new Core.Clones.PricingInput(PerMinute: 1, Currency: "USD"));
                using var otherHttp = host.Client(other);
                Assert.Equal(HttpStatusCode.Created, (await UploadAsync(otherHttp, otherClone.Id, "other.txt", "Short text about fjords.")).StatusCode);
            }

            await using (var restarted = await StartAsync(data, settings))
            {
                using var http = restarted.Client(owner);
                await AssertRefusedAsync(await UploadAsync(http, cloneId, "third.txt", "Yet another text about ice."));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        var untilMidnight = DateTime.UtcNow.Date.AddDays(1) - DateTime.UtcNow;
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, untilMidnight - TimeSpan.FromMinutes(2), untilMidnight + TimeSpan.FromMinutes(1));
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("1,000 characters", detail, StringComparison.Ordinal);
        Assert.Contains("resets at 00:00 UTC", detail, StringComparison.Ordinal);
    }

    private static Task<OwnHost> StartAsync(string data, Dictionary<string, string?> settings) => OwnHost.StartAsync(settings, dataDir: data);
}
