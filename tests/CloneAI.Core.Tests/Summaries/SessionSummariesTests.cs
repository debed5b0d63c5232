using CloneAI.Core.Auth;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Deletion;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;
using CloneAI.Core.Errors;
using CloneAI.Core.Memory;
using CloneAI.Core.Summaries;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace CloneAI.Core.Tests.Summaries;

/// <summary>
/// The end-of-session port (every end reason tells it, and it may take the receipt over), which sessions get a summary, writing
/// one once, reading one (its user only), the receipt's highlights, and deleting a session (its summary and memories with it).
/// </summary>
public sealed class SessionSummariesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly Caller User = new("u1", "u1@example.com", "Uma", IsAdmin: false, IsCreator: false);
    private static readonly Caller Admin = new("admin", "admin@example.com", "Ada", IsAdmin: true, IsCreator: false);

    private readonly Mock<ISessionStore> _sessions = new();
    private readonly Dictionary<string, SessionSummary> _stored = [];
    private readonly Mock<ISessionSummaryStore> _summaries = new();
    private readonly Mock<IEmailSender> _email = new();
    private readonly List<EmailMessage> _sent = [];
    private readonly List<(string Reason, ChatSession Session)> _observed = [];
    private readonly ShiftedClock _time = new();

    private sealed class ShiftedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = T0;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class Observer(List<(string, ChatSession)> seen, bool takesReceipt) : ISessionEndObserver
    {
        public Task<bool> SessionEndedAsync(ChatSession ended, CancellationToken cancellationToken = default)
        {
            seen.Add((ended.EndReason!, ended));
            return Task.FromResult(takesReceipt && SessionSummaries.Wanted(ended));
        }
    }

    public SessionSummariesTests()
    {
        _sessions.Setup(s => s.EndAsync(It.IsAny<ChatSession>(), It.IsAny<IReadOnlyList<UsageEvent>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ChatSession s, IReadOnlyList<UsageEvent> _, CancellationToken _) => s);
        _summaries.Setup(s => s.TryAddAsync(It.IsAny<SessionSummary>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((SessionSummary s, CancellationToken _) => _stored.TryAdd(s.SessionId, s));
        _summaries.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string user, string id, CancellationToken _) => _stored.TryGetValue(id, out var s) && s.UserId == user ? s : null);
        _summaries.Setup(s => s.MarkReceiptSentAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string id, DateTimeOffset at, CancellationToken _) => { if (_stored.TryGetValue(id, out var s)) _stored[id] = s with { ReceiptSentAt = at }; })
            .Returns(Task.CompletedTask);
        _summaries.Setup(s => s.DeleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, string id, CancellationToken _) => _stored.Remove(id));
        _email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>())).Callback((EmailMessage m, CancellationToken _) => _sent.Add(m)).Returns(Task.CompletedTask);
    }

    private static ChatSession Session(string id = "s1", int messages = 1, bool preview = false, string status = SessionStatus.Active) => new()
    {
        Id = id, UserId = User.UserId, CloneId = "c1", CloneName = "Coach", OwnerId = "o1", Status = status, MessageCount = messages, Preview = preview,
        StartedAt = T0, LastActivityAt = T0, ClockStartedAt = messages > 0 ? T0 : null, ETag = "e1",
        EndedAt = status == SessionStatus.Ended ? T0.AddMinutes(1) : null, EndReason = status == SessionStatus.Ended ? EndReasons.User : null,
        Pricing = new Pricing { PerMinute = 10, Currency = "USD" },
    };

    private void Stored(ChatSession session) => _sessions.Setup(s => s.GetAsync(session.Id, It.IsAny<CancellationToken>())).ReturnsAsync(session);

    private SessionReceipts Receipts()
    {
        var users = new Mock<IUserStore>();
        users.Setup(u => u.GetAsync(User.UserId, It.IsAny<CancellationToken>())).ReturnsAsync(new User { Id = User.UserId, Email = User.Email, DisplayName = User.DisplayName });
        return new SessionReceipts(users.Object, _email.Object, Options.Create(new AuthOptions { PublicBaseUrl = "https://app.example" }), NullLogger<SessionReceipts>.Instance);
    }

    private SessionLifecycle Lifecycle(bool takesReceipt)
    {
        var options = Options.Create(new ChatSettings { IdleTimeoutMinutes = 15, MaxSessionMinutes = 120 });
        var aggregates = new CloneAggregates(Mock.Of<ICloneStore>(), NullLogger<CloneAggregates>.Instance);
        return new SessionLifecycle(_sessions.Object, aggregates, new SessionClock(_time, options), _time, options, Receipts(), observer: new Observer(_observed, takesReceipt));
    }

    private SessionSummaries Summaries(ISessionSummarizer? summarizer = null) => new(
        _sessions.Object, _summaries.Object, summarizer ?? Summarizer("Built the long run."), new SessionClock(_time, Options.Create(new ChatSettings())), _time,
        Options.Create(new SummaryOptions()), NullLogger<SessionSummaries>.Instance, Receipts());

    private static ISessionSummarizer Summarizer(string text)
    {
        var summarizer = new Mock<ISessionSummarizer>();
        summarizer.Setup(s => s.SummarizeAsync(It.IsAny<ChatSession>(), It.IsAny<IReadOnlyList<SessionMessage>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ChatSession s, IReadOnlyList<SessionMessage> _, CancellationToken _) => new SessionSummary
            {
                SessionId = s.Id, UserId = s.UserId, CloneId = s.CloneId, Summary = text, Method = SummaryMethods.Extractive,
                KeyInsights = ["The long run matters most."], ActionItems = ["Rest after long runs."],
            });
        return summarizer.Object;
    }

    [Fact]
    public async Task EveryEndReasonTellsTheObserver()
    {
        var lifecycle = Lifecycle(takesReceipt: true);
        await lifecycle.EndByUserAsync(Session("a"));
        await lifecycle.EndOutOfCreditAsync(Session("b"));
        _time.Now = T0.AddMinutes(20);
        await lifecycle.ExpireIfDueAsync(Session("c")); // idle
        _time.Now = T0.AddMinutes(121);
        await lifecycle.ExpireIfDueAsync(Session("d") with { LastActivityAt = T0.AddMinutes(119) }); // maximum length

        Assert.Equal([EndReasons.User, EndReasons.OutOfCredit, EndReasons.Idle, EndReasons.MaxLength], _observed.Select(o => o.Reason));
        Assert.Empty(_sent); // the observer took every receipt over (the orchestration sends them after the summary)
    }

    [Fact]
    public async Task ASessionThatGetsNoSummaryHasItsReceiptSentAtOnce()
    {
        await Lifecycle(takesReceipt: true).EndByUserAsync(Session(preview: false) with { MessageCount = 0, MessageCost = 5 });
        Assert.Single(_observed);
        Assert.Single(_sent);
        Assert.DoesNotContain("Highlights", _sent[0].TextBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, false, true)]
    [InlineData(0, false, false)]
    [InlineData(3, true, false)]
    public void OnlyAUsedSessionThatIsNoPreviewWantsASummary(int messages, bool preview, bool wanted) =>
        Assert.Equal(wanted, SessionSummaries.Wanted(Session(messages: messages, preview: preview, status: SessionStatus.Ended)));

    [Fact]
    public async Task ASummaryIsWrittenOnceAndTheReceiptCarriesItsHighlights()
    {
        var ended = Session(status: SessionStatus.Ended);
        Stored(ended);
        var summaries = Summaries();

        Assert.True(await summaries.WriteAsync("s1"));
        Assert.False(await summaries.WriteAsync("s1"));
        await summaries.SendReceiptAsync("s1");

        var receipt = Assert.Single(_sent);
        Assert.Equal("receipt:s1", receipt.Key);
        Assert.Contains("Highlights:\n- The long run matters most.\n- To do: Rest after long runs.", receipt.TextBody, StringComparison.Ordinal);
        Assert.Contains("<li>To do: Rest after long runs.</li>", receipt.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutASummaryTheReceiptStillGoesOutWithoutHighlights()
    {
        Stored(Session(status: SessionStatus.Ended));
        await Summaries().SendReceiptAsync("s1");
        Assert.DoesNotContain("Highlights", Assert.Single(_sent).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePreviewAndTheUnusedSessionAreNeverSummarized()
    {
        Stored(Session("p", preview: true, status: SessionStatus.Ended));
        Stored(Session("u", messages: 0, status: SessionStatus.Ended));
        Assert.False(await Summaries().WriteAsync("p"));
        Assert.False(await Summaries().WriteAsync("u"));
        Assert.Empty(_stored);
    }

    [Fact]
    public async Task OnlyTheSessionsUserReadsItsSummaryAndItIsPendingUntilWritten()
    {
        Stored(Session(status: SessionStatus.Ended));
        var summaries = Summaries();

        Assert.True((await summaries.GetAsync(User, "s1")).Pending);
        await summaries.WriteAsync("s1");
        Assert.Equal("Built the long run.", (await summaries.GetAsync(User, "s1")).Summary!.Summary);
        await Assert.ThrowsAsync<NotFoundException>(() => summaries.GetAsync(Admin, "s1"));
        await Assert.ThrowsAsync<NotFoundException>(() => summaries.GetAsync(new Caller("u2", "u2@example.com", "U2", false, false), "s1"));
    }

    [Fact]
    public async Task ARunningSessionIsAConflictAndASessionThatGetsNoneIsNotFound()
    {
        Stored(Session("a"));
        Stored(Session("p", preview: true, status: SessionStatus.Ended));
        var summaries = Summaries();
        await Assert.ThrowsAsync<ConflictException>(() => summaries.GetAsync(User, "a"));
        var e = await Assert.ThrowsAsync<NotFoundException>(() => summaries.GetAsync(User, "p"));
        Assert.Equal(SessionSummaries.NoSummaryPreview, e.Message);
    }

    [Fact]
    public async Task UnfinishedAreTheEndedSessionsWithoutASummaryOrWithoutTheirReceipt()
    {
        _sessions.Setup(s => s.ListEndedAsync(T0.AddDays(-7), 500, It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            Session("done", status: SessionStatus.Ended), Session("todo", status: SessionStatus.Ended), Session("unsent", status: SessionStatus.Ended),
            Session("preview", preview: true, status: SessionStatus.Ended), Session("unused", messages: 0, status: SessionStatus.Ended),
        ]);
        Stored(Session("done", status: SessionStatus.Ended));
        Stored(Session("unsent", status: SessionStatus.Ended));
        var summaries = Summaries();
        await summaries.WriteAsync("done");
        await summaries.SendReceiptAsync("done");
        Assert.NotNull(_stored["done"].ReceiptSentAt);
        // A crash between the write and the receipt: the summary is there, the receipt is not recorded, so it is resumed.
        await summaries.WriteAsync("unsent");
        Assert.Equal(["todo", "unsent"], await summaries.UnfinishedAsync());
        Assert.Single(_sent);
    }

    [Fact]
    public async Task DeletingASessionDeletesItsSummaryAndMemoriesButOnlyForItsUser()
    {
        var ended = Session(status: SessionStatus.Ended);
        Stored(ended);
        await Summaries().WriteAsync("s1");
        var memories = new Mock<IMemoryStore>();
        _sessions.Setup(s => s.DeleteAsync(It.IsAny<ChatSession>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ChatSession s, DateTimeOffset at, CancellationToken _) => s with { DeletedAt = at });
        var deletion = new SessionDeletion(_sessions.Object, Lifecycle(takesReceipt: false), _time, _summaries.Object, memories.Object);

        await Assert.ThrowsAsync<NotFoundException>(() => deletion.DeleteAsync(Admin, "s1"));
        Assert.NotEmpty(_stored);
        await deletion.DeleteAsync(User, "s1");

        Assert.Empty(_stored);
        memories.Verify(m => m.DeleteFromSessionAsync("u1", "s1", It.IsAny<CancellationToken>()), Times.Once);
        _sessions.Verify(s => s.DeleteAsync(It.Is<ChatSession>(x => x.Id == "s1"), T0, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task DeletingAnActiveSessionEndsItFirst()
    {
        Stored(Session());
        _sessions.Setup(s => s.DeleteAsync(It.IsAny<ChatSession>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ChatSession s, DateTimeOffset at, CancellationToken _) => s with { DeletedAt = at });
        await new SessionDeletion(_sessions.Object, Lifecycle(takesReceipt: false), _time).DeleteAsync(User, "s1");
        _sessions.Verify(s => s.DeleteAsync(It.Is<ChatSession>(x => x.Status == SessionStatus.Ended && x.EndReason == EndReasons.User), T0, It.IsAny<CancellationToken>()), Times.Once);
    }
}
