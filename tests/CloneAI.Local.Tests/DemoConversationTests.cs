using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using CloneAI.Local.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace CloneAI.Local.Tests;

/// <summary>A conversation with the demo clone (Ada Lumen) as a new user has it: follow-ups, an off-topic turn, a topic it avoids.</summary>
public sealed class DemoConversationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private OwnHost _host = null!;
    private Clone _clone = null!;

    public async Task InitializeAsync()
    {
        _host = await OwnHost.StartAsync(new() { ["Chat:ExtractiveWordDelayMs"] = "0" });
        _clone = await SeedDemoAsync(_host);
    }

    /// <summary>The demo clone as ./run seeds it, with every document ingested.</summary>
    internal static async Task<Clone> SeedDemoAsync(OwnHost host)
    {
        await ActivatorUtilities.CreateInstance<DemoSeeder>(host.Services).SeedAsync(CancellationToken.None);
        var clone = (await host.Services.GetRequiredService<ICloneStore>().GetBySlugAsync(DemoSeeder.CloneSlug))!;
        var knowledge = host.Services.GetRequiredService<KnowledgeService>();
        var files = Directory.GetFiles(DemoSeeder.FindDemoFolder()!, "*.md").Length;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && (await knowledge.GetStatsAsync(clone.Id)).Stats.Ready < files) await Task.Delay(250);
        Assert.Equal(files, (await knowledge.GetStatsAsync(clone.Id)).Stats.Ready);
        return clone;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<HttpClient> SessionAsync() => SessionAsync(_host, _clone);

    private Task<JsonElement> AskAsync(HttpClient http, string question) => AskAsync(http, question, output);

    /// <summary>A new user's client, in a new session with the clone.</summary>
    internal static async Task<HttpClient> SessionAsync(OwnHost host, Clone clone)
    {
        var asker = await host.UserAsync("asker-" + Guid.NewGuid().ToString("N")[..8]);
        await host.FundAsync(asker);
        var http = host.Client(asker);
        var response = await http.PostAsync($"/api/clones/{clone.Id}/sessions", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        http.DefaultRequestHeaders.Add("X-Test-Session", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        return http;
    }

    internal static async Task<JsonElement> AskAsync(HttpClient http, string question, ITestOutputHelper output)
    {
        var sessionId = http.DefaultRequestHeaders.GetValues("X-Test-Session").Single();
        var response = await http.PostAsJsonAsync($"/api/sessions/{sessionId}/messages", new { content = question, clientMessageId = Guid.NewGuid().ToString("N") });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        var answer = JsonDocument.Parse(body).RootElement;
        output.WriteLine($"{question}\n  [{answer.GetProperty("answerKind").GetString()}] {answer.GetProperty("content").GetString()}");
        return answer;
    }

    private static IEnumerable<string> CitedFiles(JsonElement answer) =>
        answer.GetProperty("citations").EnumerateArray().Select(c => c.GetProperty("fileName").GetString()!).Distinct();

    [Fact]
    public async Task AnOffTopicQuestionAfterThreeOnTopicOnesGetsTheDontKnowMessage()
    {
        using var http = await SessionAsync();
        foreach (var question in new[] { "How does the Moon cause the tides?", "Which planets can I see with binoculars?", "How are stars born?" })
            Assert.Equal("extractive", (await AskAsync(http, question)).GetProperty("answerKind").GetString());

        var offTopic = await AskAsync(http, "What's the capital of Peru?");

        Assert.Equal(_clone.Persona.DontKnowMessage, offTopic.GetProperty("content").GetString());
        Assert.Equal("dont-know", offTopic.GetProperty("answerKind").GetString());
        Assert.Equal(0, offTopic.GetProperty("citations").GetArrayLength());
    }

    [Fact]
    public async Task AFollowUpThatPointsBackIsAnsweredFromTheQuestionItFollows()
    {
        using var http = await SessionAsync();
        await AskAsync(http, "How are stars born?");
        await AskAsync(http, "How does the Moon cause the tides?");

        var followUp = await AskAsync(http, "And why does that happen?");

        // Asked as it stands, "that happen" matches nothing about tides; rewritten with the question before, it does. It does
        // not repeat the sentence the previous answer quoted: something else from the tides article answers it.
        Assert.Equal("extractive", followUp.GetProperty("answerKind").GetString());
        Assert.Contains("the-moon-and-the-tides.md", CitedFiles(followUp));
        var text = followUp.GetProperty("content").GetString()!;
        Assert.Contains("tides", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Tides are caused mainly by the gravitational pull of the Moon.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATopicTheCloneAvoidsIsDeclinedPolitelyWithWhatItCanHelpWith()
    {
        using var http = await SessionAsync();
        var declined = await AskAsync(http, "What does astrology say about people born under Leo?");

        Assert.Equal(TopicGuard.Decline(_clone, "astrology"), declined.GetProperty("content").GetString());
        Assert.Contains("Tides, planets and the birth of stars", declined.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("dont-know", declined.GetProperty("answerKind").GetString());
        Assert.Equal(0, declined.GetProperty("citations").GetArrayLength());

        // The clone's own subject, with a word that merely looks like the topic, is answered.
        var answered = await AskAsync(http, "Which planets can I see with binoculars?");
        Assert.Equal("extractive", answered.GetProperty("answerKind").GetString());
    }
}

/// <summary>The same conversation answered by a language model (a fake <see cref="IChatClient"/>) that also rewrites follow-ups.</summary>
public sealed class DemoModelConversationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private sealed class FakeModel : IChatClient
    {
        public List<string> Rewrites { get; } = [];
        public List<string> Prompts { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var last = messages.Last().Text;
            lock (Rewrites) Rewrites.Add(last);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Why does the Moon cause the tides?")));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            lock (Prompts) Prompts.Add(messages.First().Text);
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "From my notes [1].");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private readonly FakeModel _model = new();
    private OwnHost _host = null!;
    private Clone _clone = null!;

    public async Task InitializeAsync()
    {
        _host = await OwnHost.StartAsync(new() { ["Chat:RewriteWithModel"] = "true" },
            services => services.AddSingleton<IResponder>(new ModelResponder(_model, Options.Create(new ChatSettings { Model = "fake" }))));
        _clone = await DemoConversationTests.SeedDemoAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TheModelRewritesOnlyAFollowUpThatNeedsItAndIsNeverAskedAboutATopicToAvoid()
    {
        using var http = await DemoConversationTests.SessionAsync(_host, _clone);
        foreach (var question in new[] { "How does the Moon cause the tides?", "Which planets can I see with binoculars?", "How are stars born?", "What's the capital of Peru?" })
            Assert.Equal("model", (await DemoConversationTests.AskAsync(http, question, output)).GetProperty("answerKind").GetString());
        Assert.Empty(_model.Rewrites); // self-contained questions are retrieved as asked

        await DemoConversationTests.AskAsync(http, "How does the Moon cause the tides?", output);
        await DemoConversationTests.AskAsync(http, "And why does that happen?", output);
        Assert.Equal("Last question: And why does that happen?", Assert.Single(_model.Rewrites).Split('\n')[^1]);
        Assert.Contains("gravitational pull of the Moon", _model.Prompts[^1], StringComparison.Ordinal); // retrieved for the rewrite

        var prompts = _model.Prompts.Count;
        var declined = await DemoConversationTests.AskAsync(http, "Can you read my astrology chart?", output);
        Assert.Equal(TopicGuard.Decline(_clone, "astrology"), declined.GetProperty("content").GetString());
        Assert.Equal("dont-know", declined.GetProperty("answerKind").GetString());
        Assert.Equal(prompts, _model.Prompts.Count);
        Assert.Single(_model.Rewrites);
    }
}
