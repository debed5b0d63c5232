using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Summaries;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests.Recommendations;

/// <summary>
/// <c>GET /api/me/recommendations</c> and <c>GET /api/me/clones/{id}/next-questions</c> in a local host of their own (no
/// snapshot cache, so each request sees the sessions made just before it), driven over HTTP like the web app.
/// </summary>
public sealed class RecommendationRouteTests : IAsyncLifetime
{
    private OwnHost _host = null!;
    private readonly InMemorySummaries _summaries = new();

    public async Task InitializeAsync() =>
        _host = await OwnHost.StartAsync(
            new() { ["Recommendations:SnapshotSeconds"] = "0" },
            services => services.AddSingleton<ISessionSummaryStore>(_summaries));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<Clone> CloneAsync(User creator, string name, string category, string description, bool publish = true)
    {
        var caller = new Caller(creator.Id, creator.Email, creator.DisplayName, false, true);
        var clones = _host.Services.GetRequiredService<CloneService>();
        var clone = await clones.CreateAsync(caller, new CloneInput(Name: name, Category: category, Description: description,
            Persona: new PersonaInput(Greeting: "Hi", Instructions: "Answer."), Pricing: new PricingInput(PerMessage: 5)));
        return publish ? await clones.PublishAsync(caller, clone.Id) : clone;
    }

    private async Task UseAsync(User user, Clone clone, int sessions = 1)
    {
        using var http = _host.Client(user);
        for (var i = 0; i < sessions; i++)
        {
            var started = await http.PostAsync($"/api/clones/{clone.Id}/sessions", null);
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
            var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            (await http.PostAsync($"/api/sessions/{id}/end", null)).EnsureSuccessStatusCode();
        }
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static List<string> Ids(JsonElement list) =>
        list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("clone").GetProperty("id").GetString()!).ToList();

    [Fact]
    public async Task ANewUserGetsPopularClonesThenCoUsedOnesWithReasonsAndNeverTheirOwnOrDrafts()
    {
        var maker = await _host.UserAsync("maker", creator: true);
        var reader = await _host.UserAsync("reader", creator: true);
        var tides = await CloneAsync(maker, "Tide Expert", "science", "Ocean tides, spring and neap tides, tide tables.");
        var moon = await CloneAsync(maker, "Moon Guide", "science", "The moon's phases and how the moon pulls the oceans.");
        var law = await CloneAsync(maker, "Contract Lawyer", "law", "Contracts, leases and small claims.");
        var draft = await CloneAsync(maker, "Secret Draft", "science", "Tides, unpublished.", publish: false);
        var own = await CloneAsync(reader, "Reader's Own", "science", "Tides and the moon, by the reader.");
        foreach (var name in new[] { "a", "b" })
        {
            var user = await _host.UserAsync(name);
            await _host.FundAsync(user);
            await UseAsync(user, tides);
            await UseAsync(user, moon);
        }
        await _host.FundAsync(reader);
        using var http = _host.Client(reader);

        var cold = await GetAsync(http, "/api/me/recommendations");
        Assert.Equal("cold-start", cold.GetProperty("method").GetString());
        var coldIds = Ids(cold);
        Assert.Equal(new[] { tides.Id, moon.Id }.Order(StringComparer.Ordinal), coldIds.Take(2).Order(StringComparer.Ordinal)); // two users each
        Assert.Equal([law.Id], coldIds.Skip(2)); // nobody yet; never the reader's own clone or a draft
        var items = cold.GetProperty("items");
        Assert.Equal("Popular in Science & Research", items[0].GetProperty("reason").GetString());
        Assert.Equal("popularity", items[0].GetProperty("reasonKind").GetString());
        Assert.Equal("New in Law & Policy", items[2].GetProperty("reason").GetString());

        await UseAsync(reader, tides, sessions: 2);
        var blend = await GetAsync(http, "/api/me/recommendations?limit=5");
        Assert.Equal("blend", blend.GetProperty("method").GetString());
        Assert.DoesNotContain(tides.Id, Ids(blend)); // used twice: already theirs
        Assert.DoesNotContain(own.Id, Ids(blend));
        Assert.DoesNotContain(draft.Id, Ids(blend));
        var top = blend.GetProperty("items")[0];
        Assert.Equal(moon.Id, top.GetProperty("clone").GetProperty("id").GetString());
        Assert.Equal(tides.Id, top.GetProperty("becauseOfCloneId").GetString());
        Assert.Contains("Tide Expert", top.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, blend.GetProperty("blend").GetProperty("seeds").GetInt32());
        Assert.Equal("", top.GetProperty("clone").GetProperty("persona").GetProperty("instructions").GetString()); // the card, not the creator's prompt
    }

    [Theory]
    [InlineData("0")]
    [InlineData("51")]
    [InlineData("-1")]
    [InlineData("ten")]
    [InlineData("99999999999999")]
    public async Task ALimitOutOfRangeIsAFieldError(string limit)
    {
        using var http = _host.Client(await _host.UserAsync("hostile"));
        var response = await http.GetAsync($"/api/me/recommendations?limit={limit}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _), problem.ToString());
    }

    [Fact]
    public async Task NextQuestionsComeFromMyOwnSummariesOfThatClone()
    {
        var maker = await _host.UserAsync("maker2", creator: true);
        var me = await _host.UserAsync("asker");
        var tides = await CloneAsync(maker, "Tide Teacher", "science", "Tides.");
        _summaries.Items.Add(Summary("s1", me.Id, tides.Id, "Spring tides", "How tide tables are made"));
        _summaries.Items.Add(Summary("s2", "someone-else", tides.Id, "Someone else's topic"));

        using var http = _host.Client(me);
        var mine = await GetAsync(http, $"/api/me/clones/{tides.Slug}/next-questions");

        Assert.Equal(tides.Id, mine.GetProperty("cloneId").GetString());
        Assert.Equal(["Can you tell me more about spring tides?", "How tide tables are made?"],
            mine.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("question").GetString()));
        using var other = _host.Client(await _host.UserAsync("other-asker"));
        Assert.Equal(0, (await GetAsync(other, $"/api/me/clones/{tides.Id}/next-questions")).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/me/clones/no-such-clone/next-questions")).StatusCode);
    }

    private static SessionSummary Summary(string session, string user, string clone, params string[] topics) => new()
    {
        SessionId = session, UserId = user, CloneId = clone, Summary = "s", Method = SummaryMethods.Extractive, NextTopics = topics,
        SessionEndedAt = DateTimeOffset.UtcNow, CreatedAt = DateTimeOffset.UtcNow,
    };

    private sealed class InMemorySummaries : ISessionSummaryStore
    {
        public List<SessionSummary> Items { get; } = [];

        public Task<bool> TryAddAsync(SessionSummary summary, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SessionSummary?> GetAsync(string userId, string sessionId, CancellationToken cancellationToken = default) =>
            Task.FromResult(Items.FirstOrDefault(s => s.UserId == userId && s.SessionId == sessionId));

        public Task<IReadOnlyList<SessionSummary>> ListAsync(string userId, string? cloneId, int max, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<SessionSummary>>(Items.Where(s => s.UserId == userId && (cloneId is null || s.CloneId == cloneId)).Take(max).ToList());

        public Task<bool> DeleteAsync(string userId, string sessionId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task MarkReceiptSentAsync(string userId, string sessionId, DateTimeOffset at, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
