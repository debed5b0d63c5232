using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;

namespace CloneAI.Local.Tests;

/// <summary>
/// The issue's continuity scenario end to end in the local host, every part together: a user says "My goal is to run a
/// marathon in April. I prefer short answers." in session 1 and ends it. Its summary has insights, action items and next
/// topics; the memory list holds the goal; the checklist holds the goal and the action items; session 2's greeting mentions
/// the last session, the goal and the open items. Another user's memory is empty and their greeting and answers never carry
/// it. Deleting the memory removes it from the next greeting, and deleting the session removes what came from it.
/// </summary>
public sealed class ContinuityScenarioTests : IAsyncLifetime
{
    private OwnHost _host = null!;
    private string _cloneId = null!;

    public async Task InitializeAsync()
    {
        _host = await OwnHost.StartAsync(new() { ["Chat:ExtractiveWordDelayMs"] = "0" });
        var maker = await _host.UserAsync("continuity-coach", creator: true);
        _cloneId = (await _host.PublishedCloneAsync(maker, "Marathon Mentor", new PricingInput(PerMinute: 10, Currency: "USD"))).Id;
        using var creator = _host.Client(maker);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(SessionSummaryTests.Plan)), "files", "plan.md" } };
        var uploaded = await creator.PostAsync($"/api/clones/{_cloneId}/documents", form);
        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        var docId = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement.GetProperty("items")[0].GetProperty("id").GetString();
        for (var i = 0; ; i++)
        {
            var doc = await creator.GetFromJsonAsync<JsonElement>($"/api/clones/{_cloneId}/documents/{docId}");
            if (doc.GetProperty("status").GetString() == "ready") break;
            Assert.True(i < 600, "the plan was not indexed");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<HttpClient> RunnerAsync(string name)
    {
        var user = await _host.UserAsync(name);
        await _host.FundAsync(user);
        return _host.Client(user);
    }

    private static async Task<JsonElement> SummaryAsync(HttpClient client, string sessionId)
    {
        for (var i = 0; i < 300; i++)
        {
            var response = await client.GetAsync($"/api/sessions/{sessionId}/summary");
            if (response.StatusCode == HttpStatusCode.OK) return await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await Task.Delay(100);
        }
        throw new TimeoutException("the summary was not written");
    }

    private async Task<JsonElement> ProgressAsync(HttpClient client) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/me/progress?cloneId={_cloneId}");

    [Fact]
    public async Task TheMarathonGoalIsSummarizedRememberedGreetedTrackedAndForgottenOnRequest()
    {
        using var alice = await RunnerAsync("marathon-alice");

        // Session 1: the goal and the preference, a question, then the end.
        var (first, firstGreeting) = await MemoryTests.StartAsync(alice, _cloneId);
        Assert.DoesNotContain("Welcome back", firstGreeting, StringComparison.Ordinal);
        await MemoryTests.AskAsync(alice, first, MemoryTests.Marathon);
        await MemoryTests.AskAsync(alice, first, "How should I do my long runs for the marathon?");
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAsync($"/api/sessions/{first}/end", null)).StatusCode);

        // The summary has insights, action items and next topics.
        var summary = await SummaryAsync(alice, first);
        Assert.Equal("extractive", summary.GetProperty("method").GetString());
        Assert.True(summary.GetProperty("keyInsights").GetArrayLength() > 0, summary.ToString());
        Assert.True(summary.GetProperty("actionItems").GetArrayLength() > 0, summary.ToString());
        Assert.True(summary.GetProperty("nextTopics").GetArrayLength() > 0, summary.ToString());

        // The memory list holds the goal, taken from session 1.
        var items = await MemoryTests.MemoriesAsync(alice, _cloneId);
        var goal = Assert.Single(items, i => i.GetProperty("kind").GetString() == "goal");
        Assert.Contains("marathon in April", goal.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(first, goal.GetProperty("source").GetProperty("sessionId").GetString());

        // The checklist: the goal and the summary's action items, all open; one is ticked.
        var progress = await ProgressAsync(alice);
        var checklist = progress.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(checklist, i => i.GetProperty("origin").GetString() == "goal" && i.GetProperty("text").GetString()!.Contains("marathon in April"));
        var actions = checklist.Where(i => i.GetProperty("origin").GetString() == "action-item").ToList();
        Assert.Equal(summary.GetProperty("actionItems").GetArrayLength(), actions.Count);
        Assert.All(checklist, i => Assert.False(i.GetProperty("done").GetBoolean()));
        var ticked = actions[0].GetProperty("id").GetString()!;
        var tick = await alice.PutAsJsonAsync($"/api/me/progress/{Uri.EscapeDataString(ticked)}", new { cloneId = _cloneId, done = true });
        Assert.Equal(HttpStatusCode.OK, tick.StatusCode);
        Assert.Equal(1, (await ProgressAsync(alice)).GetProperty("done").GetInt32());

        // Session 2's greeting: the last session, the goal and what is still open.
        var (second, welcome) = await MemoryTests.StartAsync(alice, _cloneId);
        Assert.StartsWith("Welcome back — last time: ", welcome, StringComparison.Ordinal);
        Assert.Contains("your goal: run a marathon in April", welcome, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAsync($"/api/sessions/{second}/end", null)).StatusCode);

        // Another user: an empty memory list and checklist; neither their greeting nor their answers carry Alice's goal.
        using var bob = await RunnerAsync("marathon-bob");
        Assert.Empty(await MemoryTests.MemoriesAsync(bob));
        Assert.Equal(0, (await ProgressAsync(bob)).GetProperty("items").GetArrayLength());
        var (bobs, bobsGreeting) = await MemoryTests.StartAsync(bob, _cloneId);
        Assert.DoesNotContain("Welcome back", bobsGreeting, StringComparison.Ordinal);
        Assert.DoesNotContain("marathon in April", bobsGreeting, StringComparison.OrdinalIgnoreCase);
        foreach (var question in new[] { "What is my goal?", "When is my marathon?", "How should I do my long runs?" })
            Assert.DoesNotContain("April", await MemoryTests.AskAsync(bob, bobs, question), StringComparison.OrdinalIgnoreCase);

        // Deleting the memory removes it from the next greeting and from the checklist.
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/me/memories/{goal.GetProperty("id").GetString()}")).StatusCode);
        var (_, afterDelete) = await MemoryTests.StartAsync(alice, _cloneId);
        Assert.StartsWith("Welcome back", afterDelete, StringComparison.Ordinal);
        Assert.DoesNotContain("your goal", afterDelete, StringComparison.Ordinal);
        Assert.DoesNotContain((await ProgressAsync(alice)).GetProperty("items").EnumerateArray(), i => i.GetProperty("origin").GetString() == "goal");

        // Deleting session 1 deletes what came from it: its summary, its action items and the memory it gave.
        Assert.Contains(await MemoryTests.MemoriesAsync(alice), i => i.GetProperty("source").ValueKind == JsonValueKind.Object
            && i.GetProperty("source").GetProperty("sessionId").GetString() == first);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/sessions/{first}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync($"/api/sessions/{first}/summary")).StatusCode);
        Assert.DoesNotContain(await MemoryTests.MemoriesAsync(alice), i => i.GetProperty("source").ValueKind == JsonValueKind.Object
            && i.GetProperty("source").GetProperty("sessionId").GetString() == first);
        Assert.DoesNotContain((await ProgressAsync(alice)).GetProperty("items").EnumerateArray(), i => i.GetProperty("sessionId").GetString() == first);
    }
}
