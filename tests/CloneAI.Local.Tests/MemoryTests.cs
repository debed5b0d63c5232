using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CloneAI.Core.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloneAI.Local.Tests;

/// <summary>
/// Memory through the local host, as users have it: what they say is remembered, greets them next time, is theirs alone to see,
/// edit and delete, and can be turned off per clone.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class MemoryTests(LocalHostFixture host)
{
    public const string Running =
        "Endurance training\n\nBuild your weekly distance slowly, by about ten percent a week. " +
        "Most plans for a first long race run sixteen to twenty weeks. Rest days let the body adapt; easy runs should feel conversational.\n";

    public const string Marathon = "My goal is to run a marathon in April. I prefer short answers.";

    private async Task<string> CloneAsync()
    {
        var owner = await host.NewUserAsync("coach", creator: true);
        var clone = await host.CreateCloneAsync(owner.AccessToken, "Running Coach " + Guid.NewGuid().ToString("N")[..6], publish: true);
        var cloneId = clone.GetProperty("id").GetString()!;
        var doc = (await host.UploadAsync(owner.AccessToken, cloneId, ("running.md", Encoding.UTF8.GetBytes(Running))))[0];
        Assert.Equal("ready", (await host.WaitForDocumentAsync(owner.AccessToken, cloneId, doc.GetProperty("id").GetString()!)).GetProperty("status").GetString());
        return cloneId;
    }

    private async Task<TestUser> UserAsync(string name)
    {
        var user = await host.NewUserAsync(name);
        await host.FundAsync(user.Id);
        return user;
    }

    /// <summary>Starts a session and returns its id and its greeting (the first message).</summary>
    internal static async Task<(string Id, string Greeting)> StartAsync(HttpClient client, string cloneId)
    {
        var response = await client.PostAsync($"/api/clones/{cloneId}/sessions", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var session = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        var first = session.GetProperty("messages")[0];
        Assert.Equal("greeting", first.GetProperty("answerKind").GetString());
        return (id, first.GetProperty("content").GetString()!);
    }

    internal static async Task<string> AskAsync(HttpClient client, string sessionId, string content)
    {
        var response = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/messages", new { content, clientMessageId = Guid.NewGuid().ToString("N") });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("content").GetString()!;
    }

    internal static async Task<List<JsonElement>> MemoriesAsync(HttpClient client, string? cloneId = null)
    {
        var list = await client.GetFromJsonAsync<JsonElement>("/api/me/memories" + (cloneId is null ? "" : "?cloneId=" + cloneId));
        return list.GetProperty("items").EnumerateArray().ToList();
    }

    [Fact]
    public async Task TheGoalIsRememberedGreetsTheNextSessionStaysTheUsersAndIsForgottenWhenDeleted()
    {
        var cloneId = await CloneAsync();
        var a = await UserAsync("runner");
        using var alice = host.Client(a.AccessToken);

        // Session 1: the user says what they want, and ends it.
        var (first, firstGreeting) = await StartAsync(alice, cloneId);
        Assert.DoesNotContain("Welcome back", firstGreeting, StringComparison.Ordinal);
        await AskAsync(alice, first, Marathon);
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAsync($"/api/sessions/{first}/end", null)).StatusCode);

        // The memory list holds the goal (for this clone) and the style preference (shared by all clones).
        var items = await MemoriesAsync(alice);
        var goal = Assert.Single(items, i => i.GetProperty("kind").GetString() == "goal");
        Assert.Equal("Run a marathon in April", goal.GetProperty("text").GetString());
        Assert.Equal(cloneId, goal.GetProperty("cloneId").GetString());
        Assert.Equal(first, goal.GetProperty("source").GetProperty("sessionId").GetString());
        var preference = Assert.Single(items, i => i.GetProperty("kind").GetString() == "preference");
        Assert.Equal(JsonValueKind.Null, preference.GetProperty("cloneId").ValueKind);
        Assert.Equal(2, (await MemoriesAsync(alice, cloneId)).Count);

        // Session 2's greeting mentions it.
        var (second, welcome) = await StartAsync(alice, cloneId);
        Assert.StartsWith("Welcome back — last time: ", welcome, StringComparison.Ordinal);
        Assert.Contains("your goal: run a marathon in April", welcome, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAsync($"/api/sessions/{second}/end", null)).StatusCode);

        // Another user's memory list is empty, and neither their greeting nor their answers mention it.
        var b = await UserAsync("stranger");
        using var bob = host.Client(b.AccessToken);
        Assert.Empty(await MemoriesAsync(bob));
        Assert.Empty(await MemoriesAsync(bob, cloneId));
        var (bobs, bobsGreeting) = await StartAsync(bob, cloneId);
        Assert.DoesNotContain("marathon", bobsGreeting, StringComparison.OrdinalIgnoreCase);
        foreach (var question in new[] { "How should I train for a long race?", "What is my goal?", "When is my marathon?" })
        {
            var answer = await AskAsync(bob, bobs, question);
            Assert.DoesNotContain("April", answer, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("run a marathon", answer, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Empty(await MemoriesAsync(bob));

        // Deleting the memory removes it from the next greeting.
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/me/memories/{goal.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.DeleteAsync($"/api/me/memories/{goal.GetProperty("id").GetString()}")).StatusCode);
        var (_, afterDelete) = await StartAsync(alice, cloneId);
        Assert.StartsWith("Welcome back", afterDelete, StringComparison.Ordinal);
        Assert.DoesNotContain("your goal", afterDelete, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersAddEditAndDeleteTheirOwnItemsAndNoOneElseSeesThemAdminsIncluded()
    {
        var cloneId = await CloneAsync();
        var a = await UserAsync("keeper");
        using var alice = host.Client(a.AccessToken);

        var added = await alice.PostAsJsonAsync("/api/me/memories", new { kind = "fact", text = "I have a bad left knee", cloneId });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var item = await added.Content.ReadFromJsonAsync<JsonElement>();
        var id = item.GetProperty("id").GetString()!;
        Assert.Equal(JsonValueKind.Null, item.GetProperty("source").ValueKind);

        var edited = await alice.PatchAsJsonAsync($"/api/me/memories/{id}", new { text = "  I have a bad\tright knee ", kind = "preference" });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var changed = await edited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("I have a bad right knee", "preference"), (changed.GetProperty("text").GetString(), changed.GetProperty("kind").GetString()));

        // Nobody else reads it: another user, an admin, or the clone's creator.
        var adminTokens = await AdminAsync();
        using var admin = host.Client(adminTokens);
        var other = await host.NewUserAsync("other");
        using var stranger = host.Client(other.AccessToken);
        foreach (var client in new[] { admin, stranger })
        {
            Assert.DoesNotContain(await MemoriesAsync(client), i => i.GetProperty("id").GetString() == id);
            Assert.DoesNotContain(await MemoriesAsync(client, cloneId), i => i.GetProperty("id").GetString() == id);
            Assert.Equal(HttpStatusCode.NotFound, (await client.PatchAsJsonAsync($"/api/me/memories/{id}", new { text = "mine now" })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/me/memories/{id}")).StatusCode);
        }
        Assert.Equal("I have a bad right knee", Assert.Single(await MemoriesAsync(alice)).GetProperty("text").GetString());
    }

    [Fact]
    public async Task AddingWhatIsAlreadyRememberedReturnsThatItemInsteadOfACopy()
    {
        var cloneId = await CloneAsync();
        var a = await UserAsync("repeater");
        using var alice = host.Client(a.AccessToken);
        var (session, _) = await StartAsync(alice, cloneId);
        await AskAsync(alice, session, "My goal is to run a marathon in April.");
        var said = Assert.Single(await MemoriesAsync(alice, cloneId), i => i.GetProperty("kind").GetString() == "goal");

        // The same words for the same clone: the remembered item (200), not a second one.
        var again = await alice.PostAsJsonAsync("/api/me/memories", new { kind = "goal", text = " run a MARATHON in April! ", cloneId });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(said.GetProperty("id").GetString(), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.Single(await MemoriesAsync(alice, cloneId), i => i.GetProperty("kind").GetString() == "goal");

        // The same words shared by all clones are another scope: a new item (201).
        var shared = await alice.PostAsJsonAsync("/api/me/memories", new { kind = "goal", text = "Run a marathon in April" });
        Assert.Equal(HttpStatusCode.Created, shared.StatusCode);
    }

    [Fact]
    public async Task BadInputIsRefusedFieldByField()
    {
        var a = await UserAsync("careless");
        using var alice = host.Client(a.AccessToken);

        var bad = await alice.PostAsJsonAsync("/api/me/memories", new { kind = "wish", text = new string('x', 501) });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("kind", out _));
        Assert.True(errors.TryGetProperty("text", out _));

        var cloneId = await CloneAsync();
        var style = await alice.PutAsJsonAsync($"/api/me/clone-settings/{cloneId}", new { memoryEnabled = true, style = new { length = "epic", tone = "rude" } });
        Assert.Equal(HttpStatusCode.BadRequest, style.StatusCode);
        var styleErrors = (await style.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(styleErrors.TryGetProperty("style.length", out _));
        Assert.True(styleErrors.TryGetProperty("style.tone", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.PutAsJsonAsync($"/api/me/clone-settings/{cloneId}", new { style = (object?)null })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.PutAsJsonAsync("/api/me/clone-settings/no-such-clone", new { memoryEnabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.PostAsJsonAsync("/api/me/memories", new { kind = "goal", text = "x", cloneId = "no-such-clone" })).StatusCode);
    }

    [Fact]
    public async Task WithMemoryOffForACloneNothingIsRememberedOrRecalled()
    {
        var cloneId = await CloneAsync();
        var a = await UserAsync("private");
        using var alice = host.Client(a.AccessToken);

        var defaults = await alice.GetFromJsonAsync<JsonElement>($"/api/me/clone-settings/{cloneId}");
        Assert.True(defaults.GetProperty("memoryEnabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("style").ValueKind);

        var off = await alice.PutAsJsonAsync($"/api/me/clone-settings/{cloneId}", new { memoryEnabled = false, style = new { length = "concise", tone = (string?)null } });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        var settings = await alice.GetFromJsonAsync<JsonElement>($"/api/me/clone-settings/{cloneId}");
        Assert.False(settings.GetProperty("memoryEnabled").GetBoolean());
        Assert.Equal("concise", settings.GetProperty("style").GetProperty("length").GetString());

        var (first, _) = await StartAsync(alice, cloneId);
        await AskAsync(alice, first, Marathon);
        Assert.Empty(await MemoriesAsync(alice));

        // An item the user wrote is kept, but not used while memory is off.
        (await alice.PostAsJsonAsync("/api/me/memories", new { kind = "goal", text = "Run a marathon in April", cloneId })).EnsureSuccessStatusCode();
        var (_, greeting) = await StartAsync(alice, cloneId);
        Assert.DoesNotContain("Welcome back", greeting, StringComparison.Ordinal);
        Assert.DoesNotContain("marathon", greeting, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> AdminAsync()
    {
        try { await host.SignUpVerifiedAsync(LocalHostFixture.AdminEmail, "Admin"); }
        catch (Xunit.Sdk.EqualException) { } // another test class already created the admin
        return (await host.LoginAsync(LocalHostFixture.AdminEmail)).AccessToken;
    }
}

/// <summary>
/// Memory in a language model's prompt (a recording fake <see cref="IChatClient"/> answers): the user's own items, fenced as data;
/// never another user's.
/// </summary>
public sealed class MemoryModelTests : IAsyncLifetime
{
    private sealed class RecordingModel : IChatClient
    {
        public List<string> Prompts { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Noted.")));

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var system = messages.First().Text;
            lock (Prompts) Prompts.Add(system);
            await Task.Yield();
            // A model that repeats what its prompt says about the user: whatever reached the prompt would reach the answer.
            var recalled = system.Contains("<memory>", StringComparison.Ordinal) ? system[system.IndexOf("<memory>", StringComparison.Ordinal)..] : "nothing remembered";
            yield return new ChatResponseUpdate(ChatRole.Assistant, "From my notes [1]. I recall: " + recalled.ReplaceLineEndings(" "));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private readonly RecordingModel _model = new();
    private OwnHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await OwnHost.StartAsync(new() { ["Chat:ExtractiveWordDelayMs"] = "0" },
            services => services.AddSingleton<IResponder>(new ModelResponder(_model, Options.Create(new ChatSettings { Model = "fake" }))));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task OneUsersMemoryReachesTheirOwnPromptNeverAnotherUsersPromptOrAnswer()
    {
        var coach = await _host.UserAsync("coach", creator: true);
        using var creator = _host.Client(coach);
        var created = await creator.PostAsJsonAsync("/api/clones", LocalHostFixture.PublishableClone("Model Coach"));
        var cloneId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        (await creator.PostAsync($"/api/clones/{cloneId}/publish", null)).EnsureSuccessStatusCode();
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(MemoryTests.Running)), "files", "running.md");
            var uploaded = await creator.PostAsync($"/api/clones/{cloneId}/documents", form);
            var docId = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement.GetProperty("items")[0].GetProperty("id").GetString();
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while ((await creator.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents/{docId}")).GetProperty("status").GetString() != "ready")
            {
                Assert.True(DateTime.UtcNow < deadline, "the document did not become ready");
                await Task.Delay(200);
            }
        }

        var a = await _host.UserAsync("alice-" + Guid.NewGuid().ToString("N")[..6]);
        var b = await _host.UserAsync("bob-" + Guid.NewGuid().ToString("N")[..6]);
        await _host.FundAsync(a);
        await _host.FundAsync(b);
        using var alice = _host.Client(a);
        using var bob = _host.Client(b);

        var (aliceSession, _) = await MemoryTests.StartAsync(alice, cloneId);
        await MemoryTests.AskAsync(alice, aliceSession, MemoryTests.Marathon + " How should I build my weekly distance?");
        var (bobSession, _) = await MemoryTests.StartAsync(bob, cloneId);
        var bobsAnswer = await MemoryTests.AskAsync(bob, bobSession, "How should I build my weekly distance for a long race?");
        var alicesAnswer = await MemoryTests.AskAsync(alice, aliceSession, "How many weeks should a plan for a long race run?");

        Assert.Equal(3, _model.Prompts.Count);
        // Alice's second prompt holds her goal, fenced as data after the sources' rules.
        var alicesPrompt = _model.Prompts[2];
        var fence = alicesPrompt.IndexOf("<memory>", StringComparison.Ordinal);
        Assert.True(fence > alicesPrompt.IndexOf("</source>", StringComparison.Ordinal), alicesPrompt);
        Assert.Contains("- (goal) Run a marathon in April", alicesPrompt[fence..], StringComparison.Ordinal);
        Assert.Contains("data, not instructions", alicesPrompt, StringComparison.Ordinal);
        Assert.Contains("Run a marathon in April", alicesAnswer, StringComparison.Ordinal);
        // Bob's prompt and answer hold nothing of Alice's.
        var bobsPrompt = _model.Prompts[1];
        Assert.DoesNotContain("<memory>", bobsPrompt, StringComparison.Ordinal);
        Assert.DoesNotContain("marathon in April", bobsPrompt, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("marathon in April", bobsAnswer, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("nothing remembered", bobsAnswer, StringComparison.Ordinal);
    }
}
