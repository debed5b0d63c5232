using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CloneAI.Local.Tests.Insights;

/// <summary>
/// The creator dashboard through the host's HTTP API: another user's sessions with a clone show up as counts, ratings, grouped
/// questions, a knowledge gap and the documents by citations; the owner's preview does not; no conversation is shown.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class DashboardTests(LocalHostFixture host)
{
    private const string Tides =
        "# Tides\n\nTides are caused mainly by the gravitational pull of the Moon on the oceans. The Sun adds a smaller pull.\n\n" +
        "Spring tides happen at new and full moon, when the Sun and the Moon line up and their pulls add together.\n";

    private const string Unused = "# Volcanoes\n\nVolcanoes erupt when magma rises through the crust of the Earth.\n";

    /// <summary>A published clone that costs nothing (so no wallet is needed), with two ready documents.</summary>
    private async Task<(TestUser Owner, string CloneId)> FreeCloneAsync()
    {
        var owner = await host.NewUserAsync("creator", creator: true);
        using var client = host.Client(owner.AccessToken);
        var name = "Dashboard Tides " + Guid.NewGuid().ToString("N")[..6];
        var created = await client.PostAsJsonAsync("/api/clones", new
        {
            name, category = "science", tagline = "Tides", description = "A clone that knows about tides.",
            persona = new { greeting = "Hello!", instructions = "Answer from my documents.", dontKnowMessage = "I don't know." },
            pricing = new { perMinute = 0, currency = "USD", freeMessages = 0 },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var cloneId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/clones/{cloneId}/publish", null)).StatusCode);
        foreach (var doc in await host.UploadAsync(owner.AccessToken, cloneId, ("tides.md", Encoding.UTF8.GetBytes(Tides)), ("volcanoes.md", Encoding.UTF8.GetBytes(Unused))))
            Assert.Equal("ready", (await host.WaitForDocumentAsync(owner.AccessToken, cloneId, doc.GetProperty("id").GetString()!)).GetProperty("status").GetString());
        return (owner, cloneId);
    }

    private static async Task<string> SessionAsync(HttpClient client, string cloneId, params string[] questions)
    {
        var started = await client.PostAsync($"/api/clones/{cloneId}/sessions", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        foreach (var q in questions)
        {
            var answered = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/messages", new { content = q, clientMessageId = Guid.NewGuid().ToString("N") });
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }
        return sessionId;
    }

    [Fact]
    public async Task ACreatorSeesAnotherUsersSessionsAsAggregatesWithTheGapAndTheDocuments()
    {
        var (owner, cloneId) = await FreeCloneAsync();
        var user = await host.NewUserAsync("asker");
        using var asker = host.Client(user.AccessToken);
        var sessionId = await SessionAsync(asker, cloneId, "What causes the tides?", "Why do we have tides?", "What is the capital of Peru?");
        Assert.Equal(HttpStatusCode.OK, (await asker.PostAsync($"/api/sessions/{sessionId}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asker.PostAsJsonAsync($"/api/sessions/{sessionId}/rating", new { stars = 4, comment = "Clear about the Moon" })).StatusCode);
        using var creator = host.Client(owner.AccessToken);
        var previewId = await SessionAsync(creator, cloneId, "Owner checking the preview question"); // not counted

        var response = await creator.GetAsync($"/api/clones/{cloneId}/dashboard");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var d = JsonDocument.Parse(body).RootElement;

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(today, d.GetProperty("to").GetString());
        Assert.Equal(30, d.GetProperty("days").GetArrayLength());
        Assert.Equal("USD", d.GetProperty("currency").GetString());
        var totals = d.GetProperty("totals");
        Assert.Equal(1, totals.GetProperty("sessions").GetInt32());
        Assert.Equal(3, totals.GetProperty("messages").GetInt32());
        Assert.Equal(0, totals.GetProperty("gross").GetProperty("amount").GetInt64());
        Assert.Equal(4, totals.GetProperty("averageRating").GetDouble());
        var lastDay = d.GetProperty("days")[29];
        Assert.Equal(today, lastDay.GetProperty("date").GetString());
        Assert.Equal(1, lastDay.GetProperty("sessions").GetInt32());
        Assert.Equal([0, 0, 0, 1, 0], d.GetProperty("ratings").EnumerateArray().Select(r => r.GetProperty("count").GetInt32()));
        var comment = Assert.Single(d.GetProperty("recentComments").EnumerateArray());
        Assert.Equal("Clear about the Moon", comment.GetProperty("comment").GetString());

        var questions = d.GetProperty("questions");
        Assert.Equal("meaning", questions.GetProperty("groupedBy").GetString());
        Assert.Equal(3, questions.GetProperty("analysed").GetInt32());
        var top = questions.GetProperty("top").EnumerateArray().ToList();
        Assert.Equal(2, top.Count); // the two tide questions are one group
        Assert.Equal(2, top[0].GetProperty("count").GetInt32());
        var gap = Assert.Single(questions.GetProperty("gaps").EnumerateArray());
        Assert.Equal("What is the capital of Peru?", gap.GetProperty("question").GetString());

        var documents = d.GetProperty("documents").EnumerateArray().ToList();
        Assert.Equal(["tides.md", "volcanoes.md"], documents.Select(x => x.GetProperty("fileName").GetString()));
        Assert.True(documents[0].GetProperty("citations").GetInt32() >= 1);
        Assert.Equal(0, documents[1].GetProperty("citations").GetInt32());

        // Aggregates only: no session, no user, no answer, and nothing of the owner's preview.
        foreach (var secret in new[] { sessionId, previewId, user.Id, owner.Id, user.Email, "gravitational", "Owner checking" })
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);

        // All of the creator's clones: the same figures, with the clone's part.
        var mine = await creator.GetFromJsonAsync<JsonElement>("/api/me/dashboard?from=" + DateTime.UtcNow.AddDays(-6).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(7, mine.GetProperty("days").GetArrayLength());
        var part = Assert.Single(mine.GetProperty("clones").EnumerateArray());
        Assert.Equal(cloneId, part.GetProperty("cloneId").GetString());
        Assert.Equal(1, part.GetProperty("sessions").GetInt32());
    }

    [Fact]
    public async Task ABadPeriodIsA400WithAnErrorPerField()
    {
        var owner = await host.NewUserAsync("creator", creator: true);
        var cloneId = (await host.CreateCloneAsync(owner.AccessToken, "Dashboard period " + Guid.NewGuid().ToString("N")[..6], publish: false)).GetProperty("id").GetString()!;
        using var client = host.Client(owner.AccessToken);
        var response = await client.GetAsync($"/api/clones/{cloneId}/dashboard?from=2026-02-30&to=soon");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("from", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("to", out _));
        response = await client.GetAsync("/api/me/dashboard?from=2026-12-02&to=2026-12-01");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        response = await client.GetAsync("/api/me/dashboard?from=2024-01-01&to=2026-12-01");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
