using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Moq;

namespace CloneAI.Core.Tests.Chat;

/// <summary>When a follow-up is rewritten, and when a question is declined, over a mocked index and a fake chat model.</summary>
public sealed class AnswerComposerTests
{
    private static readonly Tokenizer Tokens = TiktokenTokenizer.CreateForModel("text-embedding-3-small");

    private static readonly Clone Ada = new()
    {
        Id = "c1", Slug = "ada", OwnerId = "o1", Name = "Ada Lumen", Tagline = "Tides, planets and the birth of stars", Category = "science",
        Persona = new Persona { Tone = "friendly", TopicsToAvoid = ["astrology"], DontKnowMessage = "My notes don't cover that." },
    };

    private readonly Mock<IKnowledgeIndex> _index = new();
    private readonly Mock<IKnowledgeEmbedder> _embedder = new();
    private readonly List<string> _searched = [];
    private readonly FakeChat _chat = new();

    /// <summary>The index finds a passage for every query; how similar it is comes from <paramref name="similarity"/>.</summary>
    public AnswerComposerTests() => Similarity(q => q.Contains("tide", StringComparison.OrdinalIgnoreCase) ? 0.8 : 0.55);

    private void Similarity(Func<string, double> similarity)
    {
        _embedder.SetupGet(e => e.Model).Returns(new EmbeddingModelInfo("test-model", 3));
        _embedder.Setup(e => e.EmbedQueryAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync([1f, 0f, 0f]);
        _index.Setup(i => i.SearchAsync(It.IsAny<KnowledgeQuery>(), It.IsAny<CancellationToken>()))
            .Callback((KnowledgeQuery q, CancellationToken _) => _searched.Add(q.Text))
            .ReturnsAsync((KnowledgeQuery q, CancellationToken _) =>
                [new KnowledgeHit("k1", "d1", "tides.md", "Tides", "Tides follow the Moon.", 0, 22, null, "", 1.0, similarity(q.Text))]);
    }

    private sealed class FakeChat : IChatClient
    {
        public List<string> Asked { get; } = [];
        public string Reply { get; set; } = "Why do tides happen?";

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Asked.Add(string.Join("\n", messages.Select(m => m.Text)));
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Reply)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Composing a request never streams an answer.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private AnswerComposer Composer(bool model)
    {
        var options = Options.Create(new ChatSettings { Provider = model ? ChatProviders.OpenAI : ChatProviders.Extractive, RewriteWithModel = true });
        IResponder responder = model ? new ModelResponder(_chat, options) : new ExtractiveResponder(TimeSpan.Zero);
        return new AnswerComposer(new SourceRetriever(_index.Object, _embedder.Object, Tokens, options), responder, options);
    }

    private static SessionMessage M(string role, string content) => new() { Id = Guid.NewGuid().ToString("N"), SessionId = "s1", Role = role, Content = content };

    private static readonly IReadOnlyList<SessionMessage> AboutTides =
    [
        M(MessageRoles.User, "How does the Moon cause the tides?"), M(MessageRoles.Assistant, "Tides follow the Moon. [1]"),
        M(MessageRoles.User, "How are stars born?"), M(MessageRoles.Assistant, "In molecular clouds. [1]"),
        M(MessageRoles.User, "How does the Moon cause the tides?"), M(MessageRoles.Assistant, "Tides follow the Moon. [1]"),
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASelfContainedQuestionAfterOthersIsRetrievedAsAsked(bool model)
    {
        var request = await Composer(model).ComposeAsync(Ada, "What's the capital of Peru?", AboutTides);

        Assert.Equal("What's the capital of Peru?", request.StandaloneQuestion);
        Assert.Equal(["What's the capital of Peru?"], _searched);
        Assert.Empty(_chat.Asked);
    }

    [Theory]
    [InlineData(false, "And why does that happen? (Moon cause tides)")]
    [InlineData(true, "Why do tides happen?")]
    public async Task AFollowUpThatPointsBackAndFindsLittleOnItsOwnIsRewritten(bool model, string rewritten)
    {
        var request = await Composer(model).ComposeAsync(Ada, "And why does that happen?", AboutTides);

        Assert.Equal(rewritten, request.StandaloneQuestion);
        Assert.Equal("And why does that happen?", request.Question);
        Assert.Equal(["And why does that happen?", rewritten], _searched);
        Assert.Equal(0.8, Assert.Single(request.Sources).Similarity);
        Assert.Equal(model ? 1 : 0, _chat.Asked.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFollowUpWhoseOwnRetrievalIsStrongIsNotRewritten(bool model)
    {
        var request = await Composer(model).ComposeAsync(Ada, "Is it true that tides follow the Moon?", AboutTides);

        Assert.Equal("Is it true that tides follow the Moon?", request.StandaloneQuestion);
        Assert.Single(_searched);
        Assert.Empty(_chat.Asked);
    }

    [Fact]
    public async Task AFollowUpWithNoWordsOfItsOwnGoesStraightToTheRewrite()
    {
        var request = await Composer(model: false).ComposeAsync(Ada, "Why?", AboutTides);

        Assert.Equal("Why? (Moon cause tides)", request.StandaloneQuestion);
        Assert.Equal(["Why? (Moon cause tides)"], _searched);
    }

    [Fact]
    public async Task WithoutAnIndexSimilarityAFollowUpThatLeansIsRewrittenAsBefore()
    {
        _index.Setup(i => i.SearchAsync(It.IsAny<KnowledgeQuery>(), It.IsAny<CancellationToken>()))
            .Callback((KnowledgeQuery q, CancellationToken _) => _searched.Add(q.Text))
            .ReturnsAsync([new KnowledgeHit("k1", "d1", "tides.md", "Tides", "Tides follow the Moon.", 0, 22, null, "", 1.0)]);

        var request = await Composer(model: false).ComposeAsync(Ada, "And why does that happen?", AboutTides);

        Assert.Equal("And why does that happen? (Moon cause tides)", request.StandaloneQuestion);
        Assert.Equal(2, _searched.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ATopicToAvoidIsDeclinedBeforeAnythingIsRetrievedOrAskedOfAModel(bool model)
    {
        var request = await Composer(model).ComposeAsync(Ada, "What does astrology say about Leo?", AboutTides);

        Assert.Empty(request.Sources);
        Assert.Equal(TopicGuard.Decline(Ada, "astrology"), request.DontKnow);
        Assert.Contains("astrology", request.Instructions, StringComparison.Ordinal); // the model's prompt still names it
        Assert.Empty(_searched);
        Assert.Empty(_chat.Asked);
        _embedder.Verify(e => e.EmbedQueryAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AFollowUpOnATopicToAvoidIsDeclinedToo()
    {
        IReadOnlyList<SessionMessage> history = [M(MessageRoles.User, "Tell me about astrology."), M(MessageRoles.Assistant, "I don't discuss astrology.")];

        var request = await Composer(model: false).ComposeAsync(Ada, "And is it accurate?", history);

        Assert.Empty(request.Sources);
        Assert.Equal(TopicGuard.Decline(Ada, "astrology"), request.DontKnow);
        Assert.Single(_searched); // the question as asked, never its rewrite
    }

    [Fact]
    public async Task OnlyAnExtractiveAnswerGetsTheFramingLine()
    {
        var extractive = await Composer(model: false).ComposeAsync(Ada, "How does the Moon cause the tides?", []);
        var model = await Composer(model: true).ComposeAsync(Ada, "How does the Moon cause the tides?", []);

        Assert.Equal(PersonaFraming.For(Ada, "How does the Moon cause the tides?"), extractive.Framing);
        Assert.NotNull(extractive.Framing);
        Assert.Null(model.Framing);
    }

    [Fact]
    public async Task OnlyTheSessionsFirstAnswerGetsTheFramingLine()
    {
        var greeting = M(MessageRoles.Assistant, "Hello! I'm Ada.") with { AnswerKind = AnswerKinds.Greeting };
        var first = await Composer(model: false).ComposeAsync(Ada, "How does the Moon cause the tides?", [greeting]);
        var later = await Composer(model: false).ComposeAsync(Ada, "How are stars born?",
            [greeting, M(MessageRoles.User, "How does the Moon cause the tides?"), M(MessageRoles.Assistant, "Tides are caused mainly by the Moon. [1]")]);

        Assert.NotNull(first.Framing); // the greeting is not an answer
        Assert.Null(later.Framing);
    }
}

public sealed class FollowUpDecisionTests
{
    [Theory]
    [InlineData("And why does that happen?")]
    [InlineData("And when do they happen?")]
    [InlineData("Why?")]
    [InlineData("How long?")]
    [InlineData("Which one?")]
    [InlineData("What about Saturn?")]
    [InlineData("But how far away is it?")]
    [InlineData("Is that true?")]
    [InlineData("How big are those?")]
    [InlineData("Tell me more")]
    [InlineData("Go on, elaborate")]
    [InlineData("An example?")]
    public void AQuestionThatPointsBackOrLeavesOutItsSubjectLeansOnTheConversation(string question) =>
        Assert.True(FollowUps.LeansOnHistory(question));

    [Theory]
    [InlineData("What's the capital of Peru?")]
    [InlineData("How does the Moon cause the tides?")]
    [InlineData("Which planets can I see with binoculars?")]
    [InlineData("How are stars born?")]
    [InlineData("Who's Ada?")]
    [InlineData("Is there life on Mars?")]
    [InlineData("What is the name of the star that guides sailors?")]
    [InlineData("Which planets are visible this month?")]
    [InlineData("What causes volcanic eruptions on Iceland?")]
    public void ASelfContainedQuestionDoesNot(string question) =>
        Assert.False(FollowUps.LeansOnHistory(question));

    [Fact]
    public void ARetrievalIsWeakWhenItFindsNothingOrOnlyDistantPassages()
    {
        static ChatSource S(double? similarity) => new(1, "d", "f", "T", "x", 0, 1, null, 1, similarity);
        Assert.True(FollowUps.IsWeak([]));
        Assert.True(FollowUps.IsWeak([S(0.55), S(0.6)]));
        Assert.False(FollowUps.IsWeak([S(0.55), S(0.72)]));
        Assert.True(FollowUps.IsWeak([S(null)])); // unknown: the index cannot say it is strong
    }

    [Fact]
    public void AFollowUpOfAFollowUpBorrowsFromTheQuestionThatStoodAlone() =>
        Assert.Equal("How long? (Moon cause tides happen)",
            FollowUps.Heuristic("How long?", ["How are stars born?", "How does the Moon cause the tides?", "And why does that happen?"]));
}
