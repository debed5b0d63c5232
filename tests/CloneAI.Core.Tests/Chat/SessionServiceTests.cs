using CloneAI.Core.Auth;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Moq;

namespace CloneAI.Core.Tests.Chat;

/// <summary>Starting sessions (the greeting that opens them) and the owner's previews: free, not counted, not rateable.</summary>
public sealed class SessionServiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly Caller Owner = new("owner-1", "owner@example.com", "Olive Owner", IsAdmin: false, IsCreator: true);
    private static readonly Caller User = new("user-1", "user@example.com", "Uma User", IsAdmin: false, IsCreator: false);

    private readonly Mock<ISessionStore> _sessions = new(MockBehavior.Strict);
    private readonly Mock<ICloneStore> _clones = new();
    private readonly Mock<IEmailSender> _email = new();
    private readonly FixedTime _time = new(T0);
    private readonly List<(ChatSession Session, SessionMessage? Greeting)> _created = [];
    private Clone _clone;

    public SessionServiceTests()
    {
        _clone = new Clone
        {
            Id = "c1", Slug = "ada", OwnerId = Owner.UserId, Name = "Ada Lumen", Tagline = "Tides and stars, explained.", Category = "science",
            Status = CloneStatus.Published, Persona = new Persona { Greeting = "Hello! I'm Ada. Ask me about tides." },
            Pricing = new Pricing { PerMinute = 20, PerMessage = 10, FreeMessages = 0, Currency = "USD" },
        };
        _clones.Setup(c => c.GetAsync("c1", It.IsAny<CancellationToken>())).ReturnsAsync(() => _clone);
        _clones.Setup(c => c.ReplaceAsync(It.IsAny<Clone>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Clone c, string _, CancellationToken _) => _clone = c);
        _sessions.Setup(s => s.CreateAsync(It.IsAny<ChatSession>(), It.IsAny<SessionMessage?>(), It.IsAny<CancellationToken>()))
            .Callback((ChatSession s, SessionMessage? g, CancellationToken _) => _created.Add((s, g)))
            .ReturnsAsync((ChatSession s, SessionMessage? _, CancellationToken _) => s with { ETag = "e1" });
        _sessions.Setup(s => s.EndAsync(It.IsAny<ChatSession>(), It.IsAny<IReadOnlyList<UsageEvent>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ChatSession s, IReadOnlyList<UsageEvent> _, CancellationToken _) => s);
        _sessions.Setup(s => s.ReplaceAsync(It.IsAny<ChatSession>(), It.IsAny<CancellationToken>())).ReturnsAsync((ChatSession s, CancellationToken _) => s);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private (SessionService Service, SessionLifecycle Lifecycle) Create()
    {
        var options = Options.Create(new ChatSettings());
        var clock = new SessionClock(_time, options);
        var aggregates = new CloneAggregates(_clones.Object, NullLogger<CloneAggregates>.Instance);
        var users = new Mock<IUserStore>();
        users.Setup(u => u.GetAsync(User.UserId, It.IsAny<CancellationToken>())).ReturnsAsync(new User { Id = User.UserId, Email = User.Email, DisplayName = User.DisplayName });
        users.Setup(u => u.GetAsync(Owner.UserId, It.IsAny<CancellationToken>())).ReturnsAsync(new User { Id = Owner.UserId, Email = Owner.Email, DisplayName = Owner.DisplayName });
        var receipts = new SessionReceipts(users.Object, _email.Object, Options.Create(new AuthOptions { PublicBaseUrl = "https://app.example" }), NullLogger<SessionReceipts>.Instance);
        var lifecycle = new SessionLifecycle(_sessions.Object, aggregates, clock, _time, options, receipts);
        var knowledge = new KnowledgeService(Mock.Of<IDocumentStore>(), Mock.Of<CloneAI.Core.Blobs.IBlobStore>(), Mock.Of<IKnowledgeIndex>(), Mock.Of<IKnowledgeEmbedder>(),
            Options.Create(new KnowledgeOptions()), _time, NullLogger<KnowledgeService>.Instance);
        var service = new SessionService(_sessions.Object, new CloneService(_clones.Object, _time, NullLogger<CloneService>.Instance), knowledge,
            lifecycle, aggregates, clock, _time);
        return (service, lifecycle);
    }

    private void Stored(ChatSession session) => _sessions.Setup(s => s.GetAsync(session.Id, It.IsAny<CancellationToken>())).ReturnsAsync(session);

    [Fact]
    public async Task ASessionStartsWithTheClonesGreetingStoredOnceFreeAndNotCounted()
    {
        var (service, _) = Create();

        var session = await service.StartAsync(User, "c1");

        var (created, greeting) = Assert.Single(_created);
        Assert.NotNull(greeting);
        Assert.Equal(session.Id, greeting.SessionId);
        Assert.Equal(SessionGreeting.MessageId(session.Id), greeting.Id);
        Assert.Equal(MessageRoles.Assistant, greeting.Role);
        Assert.Equal(AnswerKinds.Greeting, greeting.AnswerKind);
        Assert.Equal("Hello! I'm Ada. Ask me about tides.", greeting.Content);
        Assert.Empty(greeting.Citations);
        Assert.Null(greeting.ClientMessageId); // never found as the answer to a question, never replayed as one
        Assert.Null(greeting.Usage);
        Assert.Equal(new Money(0, "USD"), greeting.Cost);
        Assert.Equal(T0, greeting.CreatedAt);
        // Not an answered message: nothing counted, billed or used.
        Assert.Equal(0, created.MessageCount);
        Assert.Equal(0, created.MessageCost);
        Assert.Equal(0, created.InputTokens + created.OutputTokens);
        Assert.False(created.Preview);
        _sessions.Verify(s => s.AddExchangeAsync(It.IsAny<ChatSession>(), It.IsAny<SessionMessage>(), It.IsAny<SessionMessage>(), It.IsAny<UsageEvent>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task EachSessionHasItsOwnGreetingId()
    {
        var (service, _) = Create();
        var first = await service.StartAsync(User, "c1");
        var second = await service.StartAsync(User, "c1");
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal([SessionGreeting.MessageId(first.Id), SessionGreeting.MessageId(second.Id)], _created.Select(c => c.Greeting!.Id));
        Assert.Equal(SessionGreeting.MessageId(first.Id), SessionGreeting.For(first, _clone).Id); // the same id every time: a second store conflicts
    }

    [Fact]
    public async Task TheGreetingAloneIsNoConversationForTheModelToRewriteTheFirstQuestionWith()
    {
        var chat = new Mock<Microsoft.Extensions.AI.IChatClient>();
        chat.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<Microsoft.Extensions.AI.ChatMessage>>(), It.IsAny<Microsoft.Extensions.AI.ChatOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Microsoft.Extensions.AI.ChatResponse(new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.Assistant, "Why does Ada greet me?")));
        var responder = new ModelResponder(chat.Object, Options.Create(new ChatSettings()));
        var session = new ChatSession { Id = "s1", UserId = User.UserId, CloneId = "c1", CloneName = "Ada Lumen", OwnerId = Owner.UserId, StartedAt = T0 };

        // "Why?" leans on a conversation, but there is none yet: asked as it is, and the model is not called.
        Assert.Equal("Why?", await responder.RewriteFollowUpAsync("Why?", [SessionGreeting.For(session, _clone)]));
        chat.Verify(c => c.GetResponseAsync(It.IsAny<IEnumerable<Microsoft.Extensions.AI.ChatMessage>>(), It.IsAny<Microsoft.Extensions.AI.ChatOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("Ada Lumen", "Tides and stars, explained.", "Hi, I'm Ada Lumen: Tides and stars, explained. What would you like to know?")]
    [InlineData("Ada   Lumen", "  Tides\nand stars  ", "Hi, I'm Ada Lumen: Tides and stars. What would you like to know?")]
    [InlineData("Ada Lumen", "", "Hi, I'm Ada Lumen. What would you like to know?")]
    public void WithoutAGreetingThePlainOneIsMadeOfTheNameAndTagline(string name, string tagline, string expected)
    {
        var clone = _clone with { Name = name, Tagline = tagline, Persona = new Persona { Greeting = "  " } };
        Assert.Equal(expected, SessionGreeting.Text(clone));
    }

    [Fact]
    public async Task TheOwnersSessionWithTheirOwnCloneIsAPreviewAndAnyoneElsesIsNot()
    {
        var (service, _) = Create();
        Assert.True((await service.StartAsync(Owner, "c1")).Preview);
        Assert.False((await service.StartAsync(User, "c1")).Preview);
        var admin = new Caller("admin-1", "admin@example.com", "Admin", IsAdmin: true, IsCreator: false);
        Assert.False((await service.StartAsync(admin, "c1")).Preview);
    }

    [Fact]
    public async Task TheOwnerCanPreviewADraftThatNoOneElseCanStart()
    {
        _clone = _clone with { Status = CloneStatus.Draft };
        var (service, _) = Create();
        var preview = await service.StartAsync(Owner, "c1");
        Assert.True(preview.Preview);
        Assert.NotNull(Assert.Single(_created).Greeting);
        await Assert.ThrowsAsync<NotFoundException>(() => service.StartAsync(User, "c1"));
    }

    private ChatSession Used(bool preview) => new()
    {
        Id = preview ? "s-preview" : "s-paid", UserId = preview ? Owner.UserId : User.UserId, CloneId = "c1", CloneName = "Ada Lumen", OwnerId = Owner.UserId,
        Pricing = _clone.Pricing, Preview = preview, StartedAt = T0, LastActivityAt = T0.AddMinutes(2), MessageCount = 2, ETag = "e1",
    };

    [Fact]
    public void APreviewCostsNothingWhateverThePricing()
    {
        var now = T0.AddMinutes(7.5);
        var preview = Used(preview: true);
        Assert.Equal(0, SessionBilling.BilledMinutes(preview, now, 60));
        Assert.Equal(0, SessionBilling.MessagePrice(preview, 1));
        Assert.Equal(0, SessionBilling.MessagePrice(preview, 50));
        Assert.Equal(new Money(0, "USD"), SessionBilling.Total(preview, now, 60));
        // The same session, not a preview, is billed: 8 started minutes at 20 and 10 a message.
        var paid = Used(preview: false);
        Assert.Equal(160, SessionBilling.MinutesCost(paid, now, 60));
        Assert.Equal(10, SessionBilling.MessagePrice(paid, 1));
    }

    [Fact]
    public async Task AnAnswerInAPreviewIsFreeAndItsUsageEventCarriesNoAmount()
    {
        var preview = Used(preview: true) with { MessageCount = 0 };
        Stored(preview);
        UsageEvent? usage = null;
        _sessions.Setup(s => s.AddExchangeAsync(It.IsAny<ChatSession>(), It.IsAny<SessionMessage>(), It.IsAny<SessionMessage>(), It.IsAny<UsageEvent>(), It.IsAny<CancellationToken>()))
            .Callback((ChatSession _, SessionMessage _, SessionMessage _, UsageEvent u, CancellationToken _) => usage = u)
            .ReturnsAsync(true);
        var recorder = new ExchangeRecorder(_sessions.Object, TiktokenTokenizer.CreateForModel("text-embedding-3-small"), _time);

        var (session, answer) = await recorder.StoreAsync(preview, "Why tides?", "k1", "a1", "The Moon. [1]", [], new TokenUsage(10, 5), AnswerKinds.Extractive);

        Assert.Equal(new Money(0, "USD"), answer.Cost);
        Assert.Equal(0, usage!.Amount);
        Assert.Same(preview, session); // read back from the store
    }

    [Fact]
    public async Task EndingAPreviewCostsNothingCountsNoSessionOnTheCloneAndSendsNoReceipt()
    {
        var (service, _) = Create();
        _time.Now = T0.AddMinutes(5);
        var preview = Used(preview: true);
        Stored(preview);
        UsageEvent? minutes = null;
        // Each started minute is its own usage event now: what ending recorded, summed.
        _sessions.Setup(s => s.EndAsync(It.IsAny<ChatSession>(), It.IsAny<IReadOnlyList<UsageEvent>>(), It.IsAny<CancellationToken>()))
            .Callback((ChatSession s, IReadOnlyList<UsageEvent> u, CancellationToken _) => minutes = new UsageEvent
            {
                Id = s.Id + ":minutes", SessionId = s.Id, UserId = s.UserId, CloneId = s.CloneId, OwnerId = s.OwnerId, Kind = UsageKinds.Minutes,
                Quantity = u.Sum(e => e.Quantity), Amount = u.Sum(e => e.Amount),
            })
            .ReturnsAsync((ChatSession s, IReadOnlyList<UsageEvent> _, CancellationToken _) => s);

        var ended = await service.EndAsync(Owner, preview.Id);

        Assert.False(ended.IsActive);
        Assert.Equal(0, minutes!.Amount);
        Assert.Equal(new Money(0, "USD"), service.Clock(ended).Cost);
        Assert.Equal(0, _clone.SessionCount);
        _clones.Verify(c => c.ReplaceAsync(It.IsAny<Clone>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _email.Verify(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.False(SessionReceipts.Wanted(ended, new Money(0, "USD")));
    }

    [Fact]
    public async Task EndingAUsersSessionCountsItAndSendsTheReceipt()
    {
        var (service, _) = Create();
        _time.Now = T0.AddMinutes(5);
        var paid = Used(preview: false);
        Stored(paid);

        var ended = await service.EndAsync(User, paid.Id);

        Assert.Equal(new Money(100, "USD"), service.Clock(ended).Cost);
        Assert.Equal(1, _clone.SessionCount);
        _email.Verify(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RatingAPreviewIsRefusedWithAConflictAndChangesNothing()
    {
        var (service, _) = Create();
        var preview = Used(preview: true);
        Stored(preview);

        var refused = await Assert.ThrowsAsync<ConflictException>(() => service.RateAsync(Owner, preview.Id, 5, "Great"));

        Assert.Equal(409, refused.Status);
        Assert.Equal(SessionService.PreviewNotRateable, refused.Message);
        _sessions.Verify(s => s.ReplaceAsync(It.IsAny<ChatSession>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(0, _clone.RatingCount);
    }

    [Fact]
    public async Task AUsersSessionIsRatedAndCountedOnTheClone()
    {
        var (service, _) = Create();
        var paid = Used(preview: false);
        Stored(paid);

        var rated = await service.RateAsync(User, paid.Id, 4, null);

        Assert.Equal(4, rated.Rating);
        Assert.Equal(1, _clone.RatingCount);
    }
}
