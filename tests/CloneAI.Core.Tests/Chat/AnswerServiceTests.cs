using System.Runtime.CompilerServices;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Realtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Moq;

namespace CloneAI.Core.Tests.Chat;

/// <summary>The answer service over mocked ports and a mocked responder.</summary>
public sealed class AnswerServiceTests
{
    private static readonly Tokenizer Tokens = TiktokenTokenizer.CreateForModel("text-embedding-3-small");
    private static readonly Caller Asker = new("u1", "u1@example.com", "Asker", IsAdmin: false, IsCreator: false);
    private const string DontKnow = "Ask me about tides instead.";

    private readonly Mock<ISessionStore> _sessions = new(MockBehavior.Strict);
    private readonly Mock<ICloneStore> _clones = new();
    private readonly Mock<IKnowledgeIndex> _index = new();
    private readonly Mock<IKnowledgeEmbedder> _embedder = new();
    private readonly Mock<IResponder> _responder = new();
    private readonly Mock<IRealtimeHub> _hub = new();
    private readonly List<ChatFrame> _frames = [];
    private readonly ChatSession _session;

    public AnswerServiceTests()
    {
        var now = TimeProvider.System.GetUtcNow();
        _session = new ChatSession
        {
            Id = "s1", UserId = Asker.UserId, CloneId = "c1", CloneName = "Tides", OwnerId = "o1", StartedAt = now, LastActivityAt = now,
            Pricing = new Pricing { PerMessage = 5, Currency = "USD" },
        };
        _sessions.Setup(s => s.GetAsync("s1", It.IsAny<CancellationToken>())).ReturnsAsync(() => _session);
        _sessions.Setup(s => s.FindAnswerAsync("s1", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((SessionMessage?)null);
        _sessions.Setup(s => s.GetMessagesAsync("s1", It.IsAny<CancellationToken>())).ReturnsAsync([]);
        _clones.Setup(c => c.GetAsync("c1", It.IsAny<CancellationToken>())).ReturnsAsync(new Clone
        {
            Id = "c1", Slug = "tides", OwnerId = "o1", Name = "Tides", Category = "science", Status = CloneStatus.Published,
            Persona = new Persona { AnswerLength = "short", DontKnowMessage = DontKnow },
        });
        _embedder.SetupGet(e => e.Model).Returns(new EmbeddingModelInfo("test-model", 3));
        _embedder.Setup(e => e.EmbedQueryAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync([1f, 0f, 0f]);
        Hits(new KnowledgeHit("k1", "d1", "tides.txt", "Tides", "Tides follow the Moon.", 0, 22, null, "", 1.0));
    }

    private void Hits(params KnowledgeHit[] hits) =>
        _index.Setup(i => i.SearchAsync(It.IsAny<KnowledgeQuery>(), It.IsAny<CancellationToken>())).ReturnsAsync(hits);

    private void Responds(bool model, params ResponderUpdate[] updates)
    {
        _responder.SetupGet(r => r.UsesModel).Returns(model);
        _responder.SetupGet(r => r.AnswerKind).Returns(model ? AnswerKinds.Model : AnswerKinds.Extractive);
        _responder.Setup(r => r.RespondAsync(It.IsAny<ResponderRequest>(), It.IsAny<CancellationToken>())).Returns(() => Stream(updates));
    }

    private static async IAsyncEnumerable<ResponderUpdate> Stream(IEnumerable<ResponderUpdate> updates, Exception? after = null)
    {
        foreach (var u in updates)
        {
            await Task.Yield();
            yield return u;
        }
        if (after is not null) throw after;
    }

    /// <summary>Stores the exchange (true: it is new) and remembers what was stored.</summary>
    private List<(ChatSession Session, SessionMessage Question, SessionMessage Answer, UsageEvent Usage)> StoresExchanges()
    {
        var stored = new List<(ChatSession, SessionMessage, SessionMessage, UsageEvent)>();
        _sessions.Setup(s => s.AddExchangeAsync(It.IsAny<ChatSession>(), It.IsAny<SessionMessage>(), It.IsAny<SessionMessage>(), It.IsAny<UsageEvent>(), It.IsAny<CancellationToken>()))
            .Callback((ChatSession s, SessionMessage q, SessionMessage a, UsageEvent u, CancellationToken _) => stored.Add((s, q, a, u)))
            .ReturnsAsync(true);
        return stored;
    }

    private AnswerService Create(ChatSettings? settings = null)
    {
        var options = Options.Create(settings ?? new ChatSettings());
        var time = TimeProvider.System;
        var clock = new SessionClock(time, options);
        var lifecycle = new SessionLifecycle(_sessions.Object, new CloneAggregates(_clones.Object, NullLogger<CloneAggregates>.Instance), clock, time, options);
        return new AnswerService(
            _sessions.Object,
            new QuestionAdmission(lifecycle, _clones.Object),
            new AnswerComposer(new SourceRetriever(_index.Object, _embedder.Object, Tokens, options), _responder.Object, options),
            _responder.Object,
            new ExchangeRecorder(_sessions.Object, Tokens, time),
            new AnswerFrames(_hub.Object, clock, NullLogger<AnswerFrames>.Instance),
            options,
            NullLogger<AnswerService>.Instance);
    }

    private Task Sink(ChatFrame frame, CancellationToken cancellationToken)
    {
        _frames.Add(frame);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AnAnswerOfTheExtractiveResponderIsOfTheExtractiveKind()
    {
        Responds(model: false, new ResponderUpdate("Tides follow "), new ResponderUpdate("the Moon. [1]"));
        StoresExchanges();

        var answer = await Create().SendAsync(Asker, "s1", "What do tides follow?", "m-1", Sink);

        Assert.Equal(AnswerKinds.Extractive, answer.AnswerKind);
        Assert.Equal("Tides follow the Moon. [1]", answer.Content);
        Assert.Equal("d1", Assert.Single(answer.Citations).DocumentId);
        Assert.Equal(AnswerKinds.Extractive, Assert.IsType<StartFrame>(_frames[0]).AnswerKind);
        Assert.Equal(["start", "delta", "delta", "end"], _frames.Select(f => f.Type));
    }

    [Fact]
    public async Task AnExtractiveAnswerThatQuotesNothingStartsAsADontKnowAnswer()
    {
        // Sources were found, but no sentence cleared the floor: the responder reports no quotes and says the message.
        Responds(model: false, new ResponderUpdate("Ask me about ") { Quotes = [] }, new ResponderUpdate("tides instead."));
        StoresExchanges();

        var answer = await Create().SendAsync(Asker, "s1", "What is the best pizza?", "m-1", Sink);

        Assert.Equal(DontKnow, answer.Content);
        Assert.Equal(AnswerKinds.DontKnow, answer.AnswerKind);
        var start = Assert.IsType<StartFrame>(_frames[0]);
        Assert.Equal(AnswerKinds.DontKnow, start.AnswerKind);
        Assert.Empty(start.Citations);
        Assert.Empty(answer.Citations);
    }

    [Fact]
    public async Task WithoutSourcesTheCloneSaysItsDontKnowMessageAndTheResponderIsNotAsked()
    {
        Hits();
        Responds(model: true);
        var stored = StoresExchanges();

        var answer = await Create().SendAsync(Asker, "s1", "What is the best pizza?", "m-1", Sink);

        Assert.Equal(DontKnow, answer.Content);
        Assert.Equal(AnswerKinds.DontKnow, answer.AnswerKind);
        Assert.Empty(Assert.IsType<StartFrame>(_frames[0]).Citations);
        Assert.Equal(DontKnow, Assert.IsType<DeltaFrame>(_frames[1]).Text);
        _responder.Verify(r => r.RespondAsync(It.IsAny<ResponderRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Single(stored);
    }

    [Fact]
    public async Task ARetryWithTheSameClientMessageIdReplaysTheStoredAnswerAndStoresNothing()
    {
        var previous = new SessionMessage
        {
            Id = AnswerService.AnswerId("s1", "m-1"), SessionId = "s1", Role = MessageRoles.Assistant, Content = "Tides follow the Moon. [1]",
            ClientMessageId = "m-1", Usage = new TokenUsage(50, 7), AnswerKind = AnswerKinds.Model,
        };
        _sessions.Setup(s => s.FindAnswerAsync("s1", "m-1", It.IsAny<CancellationToken>())).ReturnsAsync(previous);
        Responds(model: true, new ResponderUpdate("Something new."));

        var answer = await Create().SendAsync(Asker, "s1", "What do tides follow?", "m-1", Sink);

        Assert.Same(previous, answer);
        Assert.Equal(["start", "delta", "end"], _frames.Select(f => f.Type));
        Assert.Equal(AnswerKinds.Model, Assert.IsType<StartFrame>(_frames[0]).AnswerKind);
        Assert.Equal(previous.Content, Assert.IsType<DeltaFrame>(_frames[1]).Text);
        Assert.Equal(new TokenUsage(50, 7), Assert.IsType<EndFrame>(_frames[2]).Usage);
        _responder.Verify(r => r.RespondAsync(It.IsAny<ResponderRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        _sessions.Verify(s => s.AddExchangeAsync(It.IsAny<ChatSession>(), It.IsAny<SessionMessage>(), It.IsAny<SessionMessage>(), It.IsAny<UsageEvent>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task TheExchangeIsStoredOnceWithTheUsageTheModelReported()
    {
        Responds(model: true, new ResponderUpdate("The Moon [1]."), new ResponderUpdate("", new ResponderUsage(120, 7)));
        var stored = StoresExchanges();

        var answer = await Create().SendAsync(Asker, "s1", "What do tides follow?", "m-1", Sink);

        var (session, question, saved, usage) = Assert.Single(stored);
        Assert.Equal("What do tides follow?", question.Content);
        Assert.Same(saved, answer);
        Assert.Equal(new TokenUsage(120, 7), saved.Usage);
        Assert.Equal(AnswerKinds.Model, saved.AnswerKind);
        Assert.Equal(("s1:message:m-1", UsageKinds.Message, 5L, 120, 7), (usage.Id, usage.Kind, usage.Amount, usage.InputTokens, usage.OutputTokens));
        Assert.Equal((1, 120L, 7L, 5L), (session.MessageCount, session.InputTokens, session.OutputTokens, session.MessageCost));
        Assert.Equal(new TokenUsage(120, 7), Assert.IsType<EndFrame>(_frames[^1]).Usage);
    }

    [Fact]
    public async Task WithoutReportedUsageThePromptAndAnswerAreCounted()
    {
        Responds(model: false, new ResponderUpdate("Tides follow the Moon. [1]"));
        var stored = StoresExchanges();

        await Create().SendAsync(Asker, "s1", "What do tides follow?", "m-1", Sink);

        var usage = Assert.Single(stored).Usage;
        Assert.Equal(Tokens.CountTokens("Tides follow the Moon. [1]"), usage.OutputTokens);
        Assert.True(usage.InputTokens > Tokens.CountTokens("What do tides follow?"));
    }

    [Fact]
    public async Task AnUpstreamFailureEndsTheStreamWithAnErrorFrameStoresNothingAndIsAnUpstreamException()
    {
        _responder.SetupGet(r => r.AnswerKind).Returns(AnswerKinds.Model);
        _responder.Setup(r => r.RespondAsync(It.IsAny<ResponderRequest>(), It.IsAny<CancellationToken>()))
            .Returns(() => Stream([new ResponderUpdate("The ")], new HttpRequestException("the model went away")));

        var e = await Assert.ThrowsAsync<UpstreamException>(() => Create().SendAsync(Asker, "s1", "What do tides follow?", "m-1", Sink));

        Assert.Equal("The answer could not be completed. Please try again.", e.Message);
        Assert.Equal(["start", "delta", "error"], _frames.Select(f => f.Type));
        Assert.Equal(e.Message, Assert.IsType<ErrorFrame>(_frames[^1]).Detail);
        _hub.Verify(h => h.SendToGroupAsync("session-s1", It.Is<object>(f => f is ErrorFrame), It.IsAny<CancellationToken>()), Times.Once);
        _sessions.Verify(s => s.AddExchangeAsync(It.IsAny<ChatSession>(), It.IsAny<SessionMessage>(), It.IsAny<SessionMessage>(), It.IsAny<UsageEvent>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task TheSourcesReachTheResponderInTheTypedRequest()
    {
        ResponderRequest? seen = null;
        _responder.SetupGet(r => r.AnswerKind).Returns(AnswerKinds.Model);
        _responder.Setup(r => r.RespondAsync(It.IsAny<ResponderRequest>(), It.IsAny<CancellationToken>()))
            .Callback((ResponderRequest r, CancellationToken _) => seen = r)
            .Returns(() => Stream([new ResponderUpdate("The Moon. [1]")]));
        StoresExchanges();

        await Create().SendAsync(Asker, "s1", "  What do tides follow?  ", "m-1", Sink);

        Assert.NotNull(seen);
        var source = Assert.Single(seen.Sources);
        Assert.Equal((1, "d1", "Tides follow the Moon."), (source.N, source.DocumentId, source.Text));
        Assert.Equal("What do tides follow?", seen.Question);
        Assert.Equal("short", seen.AnswerLength);
        Assert.Equal(DontKnow, seen.DontKnow);
        Assert.Contains("Tides follow the Moon.", seen.Instructions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheSessionsUserMayAskAndAnotherUsersSessionDoesNotExist()
    {
        Responds(model: false);
        var stranger = Asker with { UserId = "u2" };
        var admin = Asker with { UserId = "admin", IsAdmin = true };

        await Assert.ThrowsAsync<NotFoundException>(() => Create().SendAsync(stranger, "s1", "Hello?", "m-1"));
        await Assert.ThrowsAsync<NotFoundException>(() => Create().SendAsync(admin, "s1", "Hello?", "m-1")); // admins included
        _responder.Verify(r => r.RespondAsync(It.IsAny<ResponderRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AQuestionWithoutAMessageKeyIsRejectedBeforeAnythingIsRead()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => Create().SendAsync(Asker, "s1", "Hello?", null));
        Assert.Contains("clientMessageId", e.Errors.Keys);
        _sessions.Verify(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private static readonly KnowledgeHit[] ThreeChunks =
    [
        new("k2", "d2", "sun.txt", "Sun", "The Sun helps a little.", 0, 23, null, "", 0.9),
        new("k1", "d1", "tides.txt", "Tides", "Tides follow the Moon. Whales sing at night.", 100, 144, 1, "", 0.8),
        new("k3", "d1", "tides.txt", "Tides", "Spring tides are large.", 500, 523, 2, "", 0.7),
    ];

    [Fact]
    public async Task AnExtractiveAnswerIsNumberedByDocumentAndItsStartFrameCarriesTheFinalCitationsWithTheQuotedRanges()
    {
        Hits(ThreeChunks);
        Responds(model: false,
            new ResponderUpdate("The Sun helps a little. [1] ") { Quotes = [new SourceQuote(1, 0, 23), new SourceQuote(2, 0, 21), new SourceQuote(3, 0, 23)] },
            new ResponderUpdate("Tides follow the Moon. [2] "), new ResponderUpdate("Spring tides are large. [3]"));
        StoresExchanges();

        var answer = await Create().SendAsync(Asker, "s1", "What do tides follow?", "m-1", Sink);

        Assert.Equal("The Sun helps a little. [1] Tides follow the Moon. [2] Spring tides are large. [2]", answer.Content);
        Assert.Equal(2, answer.Citations.Count);
        var (sun, tides) = (answer.Citations[0], answer.Citations[1]);
        Assert.Equal((1, "d2", 0, 23), (sun.N, sun.DocumentId, sun.Start, sun.End));
        Assert.Equal([new QuoteSpan(0, 23)], sun.Quotes);
        Assert.Equal((2, "d1", 100, 523, 1), (tides.N, tides.DocumentId, tides.Start, tides.End, tides.Page));
        Assert.Equal([new QuoteSpan(100, 121), new QuoteSpan(500, 523)], tides.Quotes);
        // The passages the quotes came from: the retrieved chunks, whole.
        Assert.Equal([new QuoteSpan(0, 23)], sun.Passages);
        Assert.Equal([new QuoteSpan(100, 144), new QuoteSpan(500, 523)], tides.Passages);
        Assert.Equal(Flat(answer.Citations), Flat(Assert.IsType<StartFrame>(_frames[0]).Citations));
        Assert.Equal(Flat(answer.Citations), Flat(Assert.IsType<EndFrame>(_frames[^1]).Citations));
        Assert.Equal(answer.Content, string.Concat(_frames.OfType<DeltaFrame>().Select(d => d.Text)).Trim());
    }

    [Fact]
    public async Task AModelAnswersMarksAreRenumberedAcrossDeltasAndEachQuoteIsLocatedInItsSource()
    {
        Hits(ThreeChunks);
        Responds(model: true, new ResponderUpdate("The Sun helps [") , new ResponderUpdate("1]. Tides follow the Moon ["), new ResponderUpdate("2][3]. Purple cows fly [1]."));
        StoresExchanges();

        var answer = await Create().SendAsync(Asker, "s1", "What do tides follow?", "m-1", Sink);

        Assert.Equal("The Sun helps [1]. Tides follow the Moon [2]. Purple cows fly [1].", answer.Content);
        Assert.Empty(Assert.IsType<StartFrame>(_frames[0]).Citations);
        Assert.All(_frames.OfType<DeltaFrame>(), d => Assert.DoesNotMatch(@"\[\d*$", d.Text));
        Assert.Equal(answer.Content, string.Concat(_frames.OfType<DeltaFrame>().Select(d => d.Text)));
        var (sun, tides) = (answer.Citations[0], answer.Citations[1]);
        Assert.Equal([new QuoteSpan(0, 23)], sun.Quotes);
        // "Tides follow the Moon" is found in the first chunk of d1; "Spring tides are large." shares none of its words.
        Assert.Equal([new QuoteSpan(100, 122)], tides.Quotes);
        Assert.Equal((100, 122), (tides.Start, tides.End));
        // The passages are those its marks named, whether or not a sentence was located in them.
        Assert.Equal([new QuoteSpan(0, 23)], sun.Passages);
        Assert.Equal([new QuoteSpan(100, 144), new QuoteSpan(500, 523)], tides.Passages);
        Assert.Equal(Flat(answer.Citations), Flat(Assert.IsType<EndFrame>(_frames[^1]).Citations));
    }

    private static List<string> Flat(IEnumerable<Citation> citations) =>
        citations.Select(c => $"{c.N} {c.DocumentId} {c.Start}-{c.End} p{c.Page} {c.Snippet} [{string.Join(",", c.Quotes)}] [{string.Join(",", c.Passages)}]").ToList();

    [Fact]
    public async Task AReplayedAnswerCarriesItsStoredCitationsWhereTheLiveStreamDid()
    {
        var citation = new Citation(1, "d1", "tides.txt", "Tides", 100, 122, null, "Tides follow the Moon.", [new QuoteSpan(100, 122)], [new QuoteSpan(100, 144)]);
        foreach (var (kind, id) in new[] { (AnswerKinds.Extractive, "m-1"), (AnswerKinds.Model, "m-2") })
        {
            var stored = new SessionMessage
            {
                Id = AnswerService.AnswerId("s1", id), SessionId = "s1", Role = MessageRoles.Assistant, Content = "Tides follow the Moon. [1]",
                ClientMessageId = id, Usage = new TokenUsage(5, 7), AnswerKind = kind, Citations = [citation],
            };
            _sessions.Setup(s => s.FindAnswerAsync("s1", id, It.IsAny<CancellationToken>())).ReturnsAsync(stored);
        }

        await Create().SendAsync(Asker, "s1", "What do tides follow?", "m-1", Sink);
        await Create().SendAsync(Asker, "s1", "What do tides follow?", "m-2", Sink);

        Assert.Equal([citation], Assert.IsType<StartFrame>(_frames[0]).Citations);
        Assert.Equal([citation], Assert.IsType<EndFrame>(_frames[2]).Citations);
        Assert.Empty(Assert.IsType<StartFrame>(_frames[3]).Citations);
        Assert.Equal([citation], Assert.IsType<EndFrame>(_frames[5]).Citations);
        Assert.Equal([new QuoteSpan(100, 144)], Assert.IsType<EndFrame>(_frames[5]).Citations[0].Passages);
    }

    [Fact]
    public async Task AnAnswerKeepsItsBestPassagesSimilarityForTheDashboardAndADontKnowWithoutSourcesHasNone()
    {
        Hits(new KnowledgeHit("k1", "d1", "tides.txt", "Tides", "Tides follow the Moon.", 0, 22, null, "", 1.0, 0.72),
            new KnowledgeHit("k2", "d2", "moon.txt", "Moon", "The Moon pulls the oceans.", 0, 26, null, "", 0.9, 0.81));
        Responds(model: true, new ResponderUpdate("The Moon [1]."));
        var stored = StoresExchanges();

        await Create().SendAsync(Asker, "s1", "What do tides follow?", "m-1", Sink);
        Hits();
        await Create().SendAsync(Asker, "s1", "What is the capital of Peru?", "m-2", Sink);

        Assert.Equal(0.81, stored[0].Answer.BestSimilarity);
        Assert.Equal(AnswerKinds.DontKnow, stored[1].Answer.AnswerKind);
        Assert.Null(stored[1].Answer.BestSimilarity);
    }

    [Fact]
    public void ACitationsPassagesSurviveItsStorageAndAnOlderStoredCitationHasNone()
    {
        var citation = new Citation(1, "d1", "tides.txt", "Tides", 100, 122, null, "Tides follow the Moon.", [new QuoteSpan(100, 122)], [new QuoteSpan(100, 144)]);
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);

        var stored = System.Text.Json.JsonSerializer.Deserialize<Citation>(System.Text.Json.JsonSerializer.Serialize(citation, options), options)!;
        var older = System.Text.Json.JsonSerializer.Deserialize<Citation>(
            """{"n":1,"documentId":"d1","fileName":"tides.txt","title":"Tides","start":100,"end":144,"page":null,"snippet":"Tides"}""", options)!;

        Assert.Equal([new QuoteSpan(100, 144)], stored.Passages);
        Assert.Equal([new QuoteSpan(100, 122)], stored.Quotes);
        Assert.Empty(older.Passages);
        Assert.Empty(older.Quotes);
    }
}
