using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CloneAI.Core.Chat;
using CloneAI.Core.Errors;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

/// <summary>A session's messages as the API lists them: the clone's greeting first, then the exchanges.</summary>
public static class SessionMessages
{
    /// <summary>The questions and answers, without the greeting that opens the session.</summary>
    public static List<JsonElement> Exchanged(JsonElement messages) =>
        messages.EnumerateArray().Where(m => !(m.TryGetProperty("answerKind", out var k) && k.ValueKind == JsonValueKind.String && k.GetString() == AnswerKinds.Greeting)).ToList();
}

/// <summary>
/// Every session opens with the clone's greeting; the owner's sessions with their own clone (even a draft) are previews:
/// answered the same way, free, not counted in the clone's statistics and not rateable.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class PreviewTests(LocalHostFixture host)
{
    private const string Tides =
        "# Tides\n\nTides are caused mainly by the gravitational pull of the Moon on the oceans. The Sun adds a smaller pull.\n\n" +
        "Spring tides happen at new and full moon, when the Sun and the Moon line up and their pulls add together.\n";

    private async Task<(TestUser Owner, string CloneId)> CloneAsync(bool publish)
    {
        var owner = await host.NewUserAsync("creator", creator: true);
        var clone = await host.CreateCloneAsync(owner.AccessToken, "Preview Tides " + Guid.NewGuid().ToString("N")[..6], publish);
        var cloneId = clone.GetProperty("id").GetString()!;
        var doc = (await host.UploadAsync(owner.AccessToken, cloneId, ("tides.md", Encoding.UTF8.GetBytes(Tides))))[0];
        Assert.Equal("ready", (await host.WaitForDocumentAsync(owner.AccessToken, cloneId, doc.GetProperty("id").GetString()!)).GetProperty("status").GetString());
        return (owner, cloneId);
    }

    private static async Task<JsonElement> StartAsync(HttpClient client, string cloneId)
    {
        var response = await client.PostAsync($"/api/clones/{cloneId}/sessions", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<JsonElement> AskAsync(HttpClient client, string sessionId, string content)
    {
        var response = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/messages", new { content, clientMessageId = Guid.NewGuid().ToString("N") });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task AUsersSessionStartsWithTheClonesGreetingWhichIsFreeAndNotAnAnswer()
    {
        var (owner, cloneId) = await CloneAsync(publish: true);
        // Priced per message only: the clock's minutes (usage events of their own since billing) are not what this is about.
        using (var creator = host.Client(owner.AccessToken))
            (await creator.PatchAsJsonAsync($"/api/clones/{cloneId}", new { pricing = new { perMinute = (long?)null, perMessage = 10, freeMessages = 3 } })).EnsureSuccessStatusCode();
        var user = await host.NewUserAsync("asker");
        await host.FundAsync(user.Id);
        using var client = host.Client(user.AccessToken);
        var started = await StartAsync(client, cloneId);
        var sessionId = started.GetProperty("id").GetString()!;
        Assert.False(started.GetProperty("preview").GetBoolean());

        var session = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}");
        var greeting = Assert.Single(session.GetProperty("messages").EnumerateArray());
        Assert.Equal("assistant", greeting.GetProperty("role").GetString());
        Assert.Equal("greeting", greeting.GetProperty("answerKind").GetString());
        Assert.Equal("Hello!", greeting.GetProperty("content").GetString()); // the persona's greeting
        Assert.Equal(0, greeting.GetProperty("citations").GetArrayLength());
        Assert.Equal(0, greeting.GetProperty("cost").GetProperty("amount").GetInt64());
        Assert.Equal(JsonValueKind.Null, greeting.GetProperty("clientMessageId").ValueKind);
        Assert.Equal(0, session.GetProperty("session").GetProperty("messageCount").GetInt32());

        var answer = await AskAsync(client, sessionId, "What causes the tides?");
        Assert.Contains("Moon", answer.GetProperty("content").GetString(), StringComparison.Ordinal);
        session = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}");
        var messages = session.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["greeting", null, "extractive"], messages.Select(m => m.GetProperty("answerKind").GetString()));
        Assert.Equal(1, session.GetProperty("session").GetProperty("messageCount").GetInt32());
        // The greeting records no usage: the one event is the answered message's.
        Assert.Equal([UsageKinds.Message], (await host.App.Services.GetRequiredService<ISessionStore>().GetUsageAsync(sessionId)).Select(u => u.Kind));

        // The exports open with it too.
        var markdown = await client.GetStringAsync($"/api/sessions/{sessionId}/export?format=markdown");
        Assert.InRange(markdown.IndexOf("Hello!", StringComparison.Ordinal), 1, markdown.IndexOf("What causes the tides?", StringComparison.Ordinal));
        var json = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}/export?format=json");
        Assert.Equal("greeting", json.GetProperty("messages")[0].GetProperty("answerKind").GetString());
    }

    [Fact]
    public async Task StoringASessionAgainAddsNoSecondGreeting()
    {
        var (_, cloneId) = await CloneAsync(publish: true);
        var user = await host.NewUserAsync("asker");
        await host.FundAsync(user.Id);
        using var client = host.Client(user.AccessToken);
        var sessionId = (await StartAsync(client, cloneId)).GetProperty("id").GetString()!;
        var store = host.App.Services.GetRequiredService<ISessionStore>();
        var session = (await store.GetAsync(sessionId))!;
        var greeting = (await store.GetMessagesAsync(sessionId)).Single();

        // A retried creation of the same session (with its greeting) stores nothing.
        await Assert.ThrowsAsync<ConflictException>(() => store.CreateAsync(session, greeting));

        Assert.Single(await store.GetMessagesAsync(sessionId));
    }

    [Fact]
    public async Task TheOwnerPreviewsADraftCloneFreeAndUncountedAndCannotRateIt()
    {
        var (owner, cloneId) = await CloneAsync(publish: false);
        using var client = host.Client(owner.AccessToken);
        var statsBefore = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/sessions/stats");

        var started = await StartAsync(client, cloneId);
        var sessionId = started.GetProperty("id").GetString()!;
        Assert.True(started.GetProperty("preview").GetBoolean());
        var answer = await AskAsync(client, sessionId, "What causes the tides?");
        Assert.Equal("extractive", answer.GetProperty("answerKind").GetString()); // the same answer path as anyone's
        Assert.Contains("Moon", answer.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, answer.GetProperty("cost").GetProperty("amount").GetInt64());
        await AskAsync(client, sessionId, "When do spring tides happen?");
        await AskAsync(client, sessionId, "What adds a smaller pull?");
        await AskAsync(client, sessionId, "Why are spring tides large?"); // past the clone's 3 free messages: still free

        // Rating one's own preview is refused, with a problem.
        var rating = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/rating", new { stars = 5 });
        Assert.Equal(HttpStatusCode.Conflict, rating.StatusCode);
        Assert.Equal("application/problem+json", rating.Content.Headers.ContentType?.MediaType);
        Assert.Contains("preview", (await rating.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);

        var ended = await (await client.PostAsync($"/api/sessions/{sessionId}/end", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ended", ended.GetProperty("status").GetString());
        Assert.True(ended.GetProperty("preview").GetBoolean());
        Assert.Equal(4, ended.GetProperty("messageCount").GetInt32());
        Assert.Equal(0, ended.GetProperty("cost").GetProperty("amount").GetInt64());
        Assert.All(await host.App.Services.GetRequiredService<ISessionStore>().GetUsageAsync(sessionId), u => Assert.Equal(0, u.Amount));

        // The clone's statistics, session count and rating are as they were.
        var stats = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/sessions/stats");
        Assert.Equal(statsBefore.GetRawText(), stats.GetRawText());
        Assert.Equal(0, stats.GetProperty("sessions").GetInt32());
        Assert.Equal(0, stats.GetProperty("messages").GetInt32());
        Assert.Equal(0, stats.GetProperty("revenue").GetInt64());
        var clone = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}");
        Assert.Equal(0, clone.GetProperty("sessionCount").GetInt32());
        Assert.Equal(0, clone.GetProperty("ratingCount").GetInt32());

        // Published, a user's session is counted and billed; the owner's next session is still a preview.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/clones/{cloneId}/publish", null)).StatusCode);
        var user = await host.NewUserAsync("asker");
        await host.FundAsync(user.Id);
        using var userClient = host.Client(user.AccessToken);
        var userSession = await StartAsync(userClient, cloneId);
        Assert.False(userSession.GetProperty("preview").GetBoolean());
        await AskAsync(userClient, userSession.GetProperty("id").GetString()!, "What causes the tides?");
        Assert.True((await StartAsync(client, cloneId)).GetProperty("preview").GetBoolean());
        stats = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/sessions/stats");
        Assert.Equal(1, stats.GetProperty("sessions").GetInt32());
        Assert.Equal(1, stats.GetProperty("messages").GetInt32());
    }
}
