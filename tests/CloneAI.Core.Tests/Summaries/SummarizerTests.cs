using System.Runtime.CompilerServices;
using CloneAI.Core.Chat;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Summaries;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace CloneAI.Core.Tests.Summaries;

/// <summary>Vectors from word counts (hashed into 64 dimensions, L2-normalised): sentences sharing words point alike.</summary>
internal sealed class WordEmbedder : IKnowledgeEmbedder
{
    public EmbeddingModelInfo Model { get; } = new("words", 64);
    public int BatchSize => 8;
    public List<string> Embedded { get; } = [];

    public Task<float[][]> EmbedPassagesAsync(IReadOnlyList<string> passages, CancellationToken cancellationToken = default)
    {
        Embedded.AddRange(passages);
        return Task.FromResult(passages.Select(Vector).ToArray());
    }

    public Task<float[]> EmbedQueryAsync(string query, CancellationToken cancellationToken = default) => Task.FromResult(Vector(query));

    public static float[] Vector(string text)
    {
        // FNV-1a, not string.GetHashCode: that one is seeded per process, so bucket collisions (and these tests) would vary by run.
        var v = new float[256];
        foreach (var term in ExtractiveResponder.Terms(text))
        {
            var hash = 2166136261u;
            foreach (var c in term) hash = (hash ^ c) * 16777619u;
            v[hash % 256] += 1;
        }
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return norm == 0 ? v : v.Select(x => x / norm).ToArray();
    }
}

/// <summary>A chat model that answers every request with a fixed text (or throws), and keeps what it was asked.</summary>
internal sealed class FakeChatClient(Func<string> reply) : IChatClient
{
    public List<ChatOptions?> Options { get; } = [];
    public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Requests.Add(messages.ToList());
        Options.Add(options);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply())));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        yield return new ChatResponseUpdate(ChatRole.Assistant, response.Text);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

public sealed class TextRankTests
{
    [Fact]
    public void TheSentenceMostAlikeToTheOthersRanksFirst()
    {
        var vectors = new[]
        {
            WordEmbedder.Vector("Tides rise twice a day."),
            WordEmbedder.Vector("The moon pulls the tides, and the tides rise twice a day."),
            WordEmbedder.Vector("The moon pulls the sea."),
            WordEmbedder.Vector("Bring a warm jacket."),
        };
        var scores = TextRank.Rank(vectors);
        Assert.Equal(1, Array.IndexOf(scores, scores.Max()));
        Assert.Equal(3, Array.IndexOf(scores, scores.Min()));
        Assert.Equal(1.0, scores.Sum(), 6);
    }

    [Fact]
    public void NoSentencesRankNothing() => Assert.Empty(TextRank.Rank([]));
}

public sealed class DirectivesTests
{
    [Theory]
    [InlineData("Try a slow run every Sunday.")]
    [InlineData("You should rest a day after a long run.")]
    [InlineData("Make sure you drink water before you start.")]
    [InlineData("First, warm up for ten minutes.")]
    [InlineData("Don't skip the taper week.")]
    [InlineData("I recommend keeping a training log.")]
    public void AdviceAndImperativesAreDirectives(string sentence) => Assert.True(Directives.IsDirective(sentence));

    [Theory]
    [InlineData("Tides rise twice a day.")]
    [InlineData("Should you run every day?")]
    [InlineData("Running builds endurance over months.")]
    [InlineData("Use is what wears a shoe out.")]
    public void StatementsAndQuestionsAreNot(string sentence) => Assert.False(Directives.IsDirective(sentence));

    [Fact]
    public void AnActionItemDropsTheAdviceOpener()
    {
        Assert.Equal("Rest a day after a long run.", Directives.ToActionItem("You should rest a day after a long run."));
        Assert.Equal("Drink water before you start.", Directives.ToActionItem("Make sure you drink water before you start"));
        Assert.Equal("Drink water before you start.", Directives.ToActionItem("Make sure to drink water before you start."));
        // Without "you" or "to" after it, "Make sure" is the verb of the item: stripping it would leave a statement.
        Assert.Equal("Make sure your long run grows by no more than ten percent a week.",
            Directives.ToActionItem("Make sure your long run grows by no more than ten percent a week."));
        Assert.Equal(["Try a slow run."], Directives.Extract(["Try a slow run.", "try a slow run!", "Tides rise."], 5));
    }
}

public sealed class ExtractiveSessionSummarizerTests
{
    internal static readonly ChatSession Session = new()
    {
        Id = "s1", UserId = "u1", CloneId = "c1", CloneName = "Coach", OwnerId = "o1", Status = SessionStatus.Ended, MessageCount = 2,
        StartedAt = DateTimeOffset.Parse("2026-12-01T10:00:00Z"), LastActivityAt = DateTimeOffset.Parse("2026-12-01T10:05:00Z"),
        EndedAt = DateTimeOffset.Parse("2026-12-01T10:06:00Z"),
    };

    private static SessionMessage Message(string role, string content, string? kind = null, params Citation[] citations) => new()
    {
        Id = Guid.NewGuid().ToString("N"), SessionId = "s1", Role = role, Content = content, AnswerKind = kind, Citations = citations,
    };

    internal static readonly IReadOnlyList<SessionMessage> Messages =
    [
        Message(MessageRoles.Assistant, "Hello, I am Coach. Ask me about running.", AnswerKinds.Greeting),
        Message(MessageRoles.User, "How do I train for a marathon?"),
        Message(MessageRoles.Assistant,
            "Marathon training builds your long run week by week [1]. The long run is the heart of marathon training [1]. You should rest a day after every long run [1].",
            AnswerKinds.Extractive,
            new Citation(1, "d1", "plan.md", "Plan", 100, 300, null, "Marathon training…") { Passages = [new QuoteSpan(100, 300)] }),
        Message(MessageRoles.User, "What about shoes?"),
        Message(MessageRoles.Assistant, "Try your race shoes on a long run first [2]. Cushioned shoes help on long runs in marathon training [2].",
            AnswerKinds.Extractive, new Citation(2, "d2", "gear.md", "Gear", 0, 120, null, "Try your race shoes…")),
    ];

    private static Mock<IKnowledgeIndex> Index()
    {
        var index = new Mock<IKnowledgeIndex>();
        index.Setup(i => i.SearchAsync(It.IsAny<KnowledgeQuery>(), It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            // Cited (overlaps the cited passage): its heading is covered.
            new KnowledgeHit("k1", "d1", "plan.md", "Plan", "The long run is the heart of marathon training.", 100, 300, null, "Plan > Long runs", 0.9),
            // Next to the cited passage, not cited: the nearest topic.
            new KnowledgeHit("k2", "d1", "plan.md", "Plan", "Tapering means cutting mileage in the last three weeks.", 300, 420, null, "Plan > Tapering", 0.5),
            // Another document, under the cited heading: its first sentence instead.
            new KnowledgeHit("k3", "d3", "food.md", "Food", "Carbohydrate loading fills the glycogen stores before race day.", 0, 90, null, "Long runs", 0.7),
        ]);
        return index;
    }

    internal static ExtractiveSessionSummarizer Summarizer(WordEmbedder? embedder = null, Mock<IKnowledgeIndex>? index = null) =>
        new(embedder ?? new WordEmbedder(), (index ?? Index()).Object, TimeProvider.System, NullLogger<ExtractiveSessionSummarizer>.Instance);

    [Fact]
    public async Task TheSummaryQuotesTheCentralSentencesAndListsActionsAndNearbyTopics()
    {
        var embedder = new WordEmbedder();
        var summary = await Summarizer(embedder).SummarizeAsync(Session, Messages);

        Assert.Equal(SummaryMethods.Extractive, summary.Method);
        Assert.Contains("The long run is the heart of marathon training.", summary.Summary);
        Assert.DoesNotContain("[1]", summary.Summary);
        Assert.DoesNotContain("Hello, I am Coach", summary.Summary); // never the greeting
        Assert.DoesNotContain(embedder.Embedded, s => s.Contains("Hello", StringComparison.Ordinal));
        Assert.Equal(["Rest a day after every long run.", "Try your race shoes on a long run first."], summary.ActionItems);
        Assert.Equal("Tapering", summary.NextTopics[0]); // beside the cited passage, first
        Assert.Contains("Carbohydrate loading fills the glycogen stores before race day.", summary.NextTopics);
        Assert.DoesNotContain("Long runs", summary.NextTopics); // the heading of what was cited is covered
        Assert.Equal(["d1", "d2"], summary.Citations.Select(c => c.DocumentId));
        Assert.Equal([1, 2], summary.Citations.Select(c => c.N));
        Assert.Equal(Session.EndedAt, summary.SessionEndedAt);
    }

    [Fact]
    public async Task AHeadingInsideTheCitedPassageWhoseSectionWasNotQuotedIsANextTopic()
    {
        const string chunk = "## Long runs\n\nThe long run is the heart of marathon training.\n\n## Tapering\n\nTapering cuts mileage before the race.\n";
        var index = new Mock<IKnowledgeIndex>();
        index.Setup(i => i.SearchAsync(It.IsAny<KnowledgeQuery>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new KnowledgeHit("k1", "d1", "plan.md", "Plan", chunk, 1000, 1000 + chunk.Length, null, "Plan", 0.9)]);
        var quotedAt = 1000 + chunk.IndexOf("The long run", StringComparison.Ordinal);
        var messages = new List<SessionMessage>
        {
            Message(MessageRoles.User, "How do long runs work?"),
            Message(MessageRoles.Assistant, "The long run is the heart of marathon training [1].", AnswerKinds.Extractive,
                new Citation(1, "d1", "plan.md", "Plan", quotedAt, quotedAt + 48, null, "The long run…", [new QuoteSpan(quotedAt, quotedAt + 48)],
                    [new QuoteSpan(1000, 1000 + chunk.Length)])),
        };
        var summary = await Summarizer(index: index).SummarizeAsync(Session, messages);
        Assert.Equal(["Tapering"], summary.NextTopics);
    }

    [Fact]
    public async Task ASearchThatFailsLeavesNoNextTopicsButStillASummary()
    {
        var index = new Mock<IKnowledgeIndex>();
        index.Setup(i => i.SearchAsync(It.IsAny<KnowledgeQuery>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("index down"));
        var summary = await Summarizer(index: index).SummarizeAsync(Session, Messages);
        Assert.Empty(summary.NextTopics);
        Assert.NotEmpty(summary.Summary);
    }

    [Fact]
    public async Task OnlyDontKnowAnswersStillGiveASummaryOfTheQuestions()
    {
        var summary = await Summarizer().SummarizeAsync(Session,
            [Message(MessageRoles.User, "What is the best marathon shoe?"), Message(MessageRoles.Assistant, "I don't know that.", AnswerKinds.DontKnow)]);
        Assert.Contains("What is the best marathon shoe?", summary.Summary);
        Assert.Empty(summary.ActionItems);
    }
}

public sealed class ModelSessionSummarizerTests
{
    private static ModelSessionSummarizer Summarizer(FakeChatClient chat) =>
        new(chat, ExtractiveSessionSummarizerTests.Summarizer(), Options.Create(new ChatSettings { Model = "gpt-test" }), TimeProvider.System,
            NullLogger<ModelSessionSummarizer>.Instance);

    [Fact]
    public async Task TheModelsStructuredOutputIsTheSummary()
    {
        var chat = new FakeChatClient(() => """
            {"summary":"Build the long run slowly.","keyInsights":["The long run matters most."],"actionItems":["Rest after long runs."],"nextTopics":["Tapering"]}
            """);
        var summary = await Summarizer(chat).SummarizeAsync(ExtractiveSessionSummarizerTests.Session, ExtractiveSessionSummarizerTests.Messages);

        Assert.Equal(SummaryMethods.Model, summary.Method);
        Assert.Equal("Build the long run slowly.", summary.Summary);
        Assert.Equal(["Rest after long runs."], summary.ActionItems);
        Assert.Equal(["Tapering"], summary.NextTopics);
        Assert.Equal(2, summary.Citations.Count); // the session's own citations
        var format = Assert.IsType<ChatResponseFormatJson>(chat.Options.Single()!.ResponseFormat);
        Assert.Equal("session_summary", format.SchemaName);
        Assert.NotNull(format.Schema);
        Assert.DoesNotContain("Hello, I am Coach", chat.Requests.Single()[1].Text); // the greeting is left out
    }

    [Theory]
    [InlineData("Here is your summary: the long run matters.")]
    [InlineData("{\"summary\": \"\", \"keyInsights\": [], \"actionItems\": [], \"nextTopics\": []}")]
    [InlineData("{\"summary\": \"Fine.\", \"keyInsights\": \"not a list\", \"actionItems\": [], \"nextTopics\": []}")]
    public async Task InvalidJsonFallsBackToTheExtractiveSummary(string reply)
    {
        var summary = await Summarizer(new FakeChatClient(() => reply)).SummarizeAsync(ExtractiveSessionSummarizerTests.Session, ExtractiveSessionSummarizerTests.Messages);
        Assert.Equal(SummaryMethods.Extractive, summary.Method);
        Assert.Contains("marathon training", summary.Summary);
    }

    [Fact]
    public async Task AFailingModelFallsBackToTheExtractiveSummary()
    {
        var summary = await Summarizer(new FakeChatClient(() => throw new HttpRequestException("503")))
            .SummarizeAsync(ExtractiveSessionSummarizerTests.Session, ExtractiveSessionSummarizerTests.Messages);
        Assert.Equal(SummaryMethods.Extractive, summary.Method);
    }

    [Fact]
    public void AFencedJsonReplyIsRead() =>
        Assert.Equal("Ok.", ModelSessionSummarizer.Parse("```json\n{\"summary\":\"Ok.\",\"keyInsights\":[],\"actionItems\":[],\"nextTopics\":[]}\n```")!.Value.Summary);
}
