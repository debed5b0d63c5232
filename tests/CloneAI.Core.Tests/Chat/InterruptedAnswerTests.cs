using System.Runtime.CompilerServices;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Realtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Moq;

namespace CloneAI.Core.Tests.Chat;

/// <summary>Security finding 9: hanging up mid-stream does not get the answer free.</summary>
public sealed class InterruptedAnswerTests
{
    private static readonly Tokenizer Tokens = TiktokenTokenizer.CreateForModel("text-embedding-3-small");
    private static readonly Caller Asker = new("u1", "u1@example.com", "Asker", IsAdmin: false, IsCreator: false);

    private readonly Mock<ISessionStore> _sessions = new(MockBehavior.Strict);
    private readonly Mock<ICloneStore> _clones = new();
    private readonly Mock<IKnowledgeIndex> _index = new();
    private readonly Mock<IKnowledgeEmbedder> _embedder = new();
    private readonly Mock<IResponder> _responder = new();
    private readonly Mock<IRealtimeHub> _hub = new();
    private readonly List<ChatFrame> _frames = [];
    private readonly List<(ChatSession Session, SessionMessage Question, SessionMessage Answer, UsageEvent Usage)> _stored = [];
    private ChatSession _session;
    private int _generations;

    public InterruptedAnswerTests()
    {
        var now = TimeProvider.System.GetUtcNow();
        _session = new ChatSession
        {
            Id = "s1", UserId = Asker.UserId, CloneId = "c1", CloneName = "Tides", OwnerId = "o1", StartedAt = now, LastActivityAt = now,
            Pricing = new Pricing { PerMessage = 5, Currency = "USD" },
        };
        _sessions.Setup(s => s.GetAsync("s1", It.IsAny<CancellationToken>())).ReturnsAsync(() => _session);
        _sessions.Setup(s => s.FindAnswerAsync("s1", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, string key, CancellationToken _) => _stored.Select(x => x.Answer).FirstOrDefault(a => a.ClientMessageId == key));
        _sessions.Setup(s => s.GetMessagesAsync("s1", It.IsAny<CancellationToken>())).ReturnsAsync([]);
        _sessions.Setup(s => s.AddExchangeAsync(It.IsAny<ChatSession>(), It.IsAny<SessionMessage>(), It.IsAny<SessionMessage>(), It.IsAny<UsageEvent>(), It.IsAny<CancellationToken>()))
            .Callback((ChatSession s, SessionMessage q, SessionMessage a, UsageEvent u, CancellationToken ct) =>
            {
                // Stored after the requester is gone: with a token of its own, not the request's (cancelled) one.
                Assert.False(ct.IsCancellationRequested);
                _stored.Add((s, q, a, u));
                _session = s;
            })
            .ReturnsAsync(true);
        _clones.Setup(c => c.GetAsync("c1", It.IsAny<CancellationToken>())).ReturnsAsync(new Clone
        {
            Id = "c1", Slug = "tides", OwnerId = "o1", Name = "Tides", Category = "science", Status = CloneStatus.Published,
            Persona = new Persona { AnswerLength = "short", DontKnowMessage = "Ask me about tides." },
        });
        _embedder.SetupGet(e => e.Model).Returns(new EmbeddingModelInfo("test-model", 3));
        _embedder.Setup(e => e.EmbedQueryAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync([1f, 0f, 0f]);
        _index.Setup(i => i.SearchAsync(It.IsAny<KnowledgeQuery>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new KnowledgeHit("k1", "d1", "tides.txt", "Tides", "Tides follow the Moon.", 0, 22, null, "", 1.0)]);
        _responder.SetupGet(r => r.UsesModel).Returns(true);
        _responder.SetupGet(r => r.AnswerKind).Returns(AnswerKinds.Model);
        _responder.Setup(r => r.RespondAsync(It.IsAny<ResponderRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ResponderRequest _, CancellationToken ct) => SlowModel(ct));
    }

    /// <summary>A model that writes two pieces, then keeps thinking until it is cancelled.</summary>
    private async IAsyncEnumerable<ResponderUpdate> SlowModel([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _generations);
        yield return new ResponderUpdate("Tides follow the Moon [1], ");
        await Task.Yield();
        yield return new ResponderUpdate("and twice a day the sea");
        await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
        yield return new ResponderUpdate(" rises again.");
    }

    private AnswerService Create()
    {
        var options = Options.Create(new ChatSettings());
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

    /// <summary>A requester that hangs up once it has read <paramref name="deltas"/> deltas.</summary>
    private FrameSink HangsUpAfter(int deltas, CancellationTokenSource hangUp) => (frame, _) =>
    {
        _frames.Add(frame);
        if (_frames.Count(f => f is DeltaFrame) == deltas) hangUp.Cancel();
        return Task.CompletedTask;
    };

    [Fact]
    public async Task HangingUpMidStreamStoresAndBillsThePartWrittenOnce()
    {
        using var hangUp = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Create().SendAsync(Asker, "s1", "What do tides follow?", "m-1", HangsUpAfter(2, hangUp), hangUp.Token));

        var (session, question, answer, usage) = Assert.Single(_stored);
        Assert.Equal("What do tides follow?", question.Content);
        Assert.Equal("Tides follow the Moon [1], and twice a day the sea", answer.Content);
        Assert.True(answer.Interrupted);
        Assert.Equal(AnswerKinds.Model, answer.AnswerKind);
        Assert.Equal("d1", Assert.Single(answer.Citations).DocumentId);
        // Billed for what was generated: the message's price, and the tokens of the prompt and of the part written.
        Assert.Equal(5, usage.Amount);
        Assert.Equal(UsageKinds.Message, usage.Kind);
        Assert.Equal("s1:message:m-1", usage.Id);
        Assert.Equal(Tokens.CountTokens(answer.Content), usage.OutputTokens);
        Assert.True(usage.InputTokens > 0);
        Assert.Equal(answer.Usage, new TokenUsage(usage.InputTokens, usage.OutputTokens));
        Assert.Equal(1, session.MessageCount);
        Assert.Equal(5, session.MessageCost);
        Assert.Equal(usage.OutputTokens, session.OutputTokens);
    }

    [Fact]
    public async Task ARetryWithTheSameKeyGetsTheStoredPartNeitherGeneratingNorChargingAgain()
    {
        using var hangUp = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Create().SendAsync(Asker, "s1", "What do tides follow?", "m-1", HangsUpAfter(1, hangUp), hangUp.Token));
        _frames.Clear();

        var again = await Create().SendAsync(Asker, "s1", "What do tides follow?", "m-1", (f, _) => { _frames.Add(f); return Task.CompletedTask; });

        Assert.True(again.Interrupted);
        Assert.Equal("Tides follow the Moon [1], and twice a day the sea", again.Content);
        Assert.Single(_stored);
        Assert.Equal(1, _generations);
        Assert.Equal(["start", "delta", "end"], _frames.Select(f => f.Type));
    }

    [Fact]
    public async Task HangingUpBeforeAnyWordStoresAndBillsNothing()
    {
        using var hangUp = new CancellationTokenSource();
        FrameSink sink = (frame, _) =>
        {
            if (frame is StartFrame) hangUp.Cancel();
            return Task.CompletedTask;
        };
        _responder.Setup(r => r.RespondAsync(It.IsAny<ResponderRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ResponderRequest _, CancellationToken ct) => Silent(ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Create().SendAsync(Asker, "s1", "What do tides follow?", "m-1", sink, hangUp.Token));
        Assert.Empty(_stored);

        static async IAsyncEnumerable<ResponderUpdate> Silent([EnumeratorCancellation] CancellationToken ct)
        {
            await Task.Delay(TimeSpan.FromSeconds(10), ct);
            yield break;
        }
    }

    [Fact]
    public async Task TheSessionsOtherTabsGetTheEndOfTheStoredPart()
    {
        var pushed = new List<object>();
        _hub.Setup(h => h.SendToGroupAsync(It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback((string _, object frame, CancellationToken _) => pushed.Add(frame)).Returns(Task.CompletedTask);
        using var hangUp = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Create().SendAsync(Asker, "s1", "What do tides follow?", "m-1", HangsUpAfter(2, hangUp), hangUp.Token));
        var end = Assert.IsType<EndFrame>(pushed.Last());
        Assert.Equal(AnswerService.AnswerId("s1", "m-1"), end.MessageId);
    }
}
