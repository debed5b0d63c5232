using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Core.Memory;
using CloneAI.Core.Memory.Greetings;
using CloneAI.Core.Progress;
using CloneAI.Core.Summaries;
using static CloneAI.Core.Tests.Memory.MemoryTestKit;

namespace CloneAI.Core.Tests.Memory;

public sealed class ReturningUserGreetingTests
{
    private readonly InMemoryMemoryStore _store = new();
    private readonly Mock<ISessionStore> _sessions = new();
    private readonly List<ChatSession> _stored = [];
    private readonly Dictionary<string, List<SessionMessage>> _messages = [];

    public ReturningUserGreetingTests()
    {
        _sessions.Setup(s => s.ListByUserAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string user, int size, string? _, CancellationToken _) => new Page<ChatSession>(_stored.Where(s => s.UserId == user).Reverse().Take(size).ToList(), null));
        _sessions.Setup(s => s.GetMessagesAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => (IReadOnlyList<SessionMessage>)_messages.GetValueOrDefault(id, []));
    }

    private ChatSession Earlier(string userId, string question, string cloneId = "c-1")
    {
        var session = Session(userId, cloneId, messages: 1);
        _stored.Add(session);
        _messages[session.Id] = [Question(session, question)];
        return session;
    }

    private async Task<MemoryItem> Goal(string userId, string text, string cloneId = "c-1") => await _store.UpsertAsync(new MemoryItem
    {
        Id = Guid.NewGuid().ToString("N"), UserId = userId, CloneId = cloneId, Kind = MemoryKinds.Goal, Text = text,
        CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
    });

    private ReturningUserGreeting Greeting(ISessionSummaryStore? summaries = null, IProgressReader? progress = null) =>
        new(_sessions.Object, _store, _store, summaries, progress);

    [Fact]
    public async Task AFirstSessionWithTheCloneHasNoWelcomeBack()
    {
        Earlier("u-a", "About another clone", cloneId: "c-2");

        Assert.Null(await Greeting().WelcomeBackAsync(Session("u-a")));
    }

    [Fact]
    public async Task AReturningUserIsRemindedOfLastTimeAndTheirGoal()
    {
        Earlier("u-a", "My goal is to run a marathon in April. I prefer short answers.");
        await Goal("u-a", "Run a marathon in April");

        var welcome = await Greeting().WelcomeBackAsync(Session("u-a"));

        Assert.Equal("Welcome back — last time: you asked “My goal is to run a marathon in April. I prefer short answers”; your goal: run a marathon in April.", welcome);
    }

    [Fact]
    public async Task LastTimeComesFromTheNewestSummaryWhenSummariesAreKept()
    {
        Earlier("u-a", "How do tides work?");
        var summaries = new Mock<ISessionSummaryStore>();
        summaries.Setup(s => s.ListAsync("u-a", "c-1", 1, It.IsAny<CancellationToken>())).ReturnsAsync([new SessionSummary
        {
            SessionId = "s", UserId = "u-a", CloneId = "c-1", Summary = "We planned your first marathon training block. Then more.", Method = SummaryMethods.Extractive,
        }]);

        var welcome = await Greeting(summaries.Object).WelcomeBackAsync(Session("u-a"));

        Assert.Equal("Welcome back — last time: we planned your first marathon training block.", welcome);
    }

    [Fact]
    public async Task OpenItemsComeFromProgressWhenItIsKept()
    {
        Earlier("u-a", "How should I train?");
        var progress = new Mock<IProgressReader>();
        progress.Setup(p => p.OpenItemsAsync("u-a", "c-1", It.IsAny<CancellationToken>())).ReturnsAsync([
            new ProgressItem { Id = "goal:m1", CloneId = "c-1", Origin = ProgressOrigins.Goal, Text = "Run a marathon in April" },
            new ProgressItem { Id = "action:s:0", CloneId = "c-1", Origin = ProgressOrigins.ActionItem, Text = "Buy running shoes" },
        ]);

        var welcome = await Greeting(progress: progress.Object).WelcomeBackAsync(Session("u-a"));

        Assert.Equal("Welcome back — last time: you asked “How should I train?”; your goal: run a marathon in April; still open: buy running shoes.", welcome);
    }

    [Fact]
    public async Task ADeletedGoalIsNotInTheNextGreeting()
    {
        Earlier("u-a", "Hello");
        var goal = await Goal("u-a", "Run a marathon in April");
        await _store.DeleteAsync("u-a", goal.Id);

        var welcome = await Greeting().WelcomeBackAsync(Session("u-a"));

        Assert.DoesNotContain("marathon", welcome, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Welcome back — last time: you asked “Hello”.", welcome);
    }

    [Fact]
    public async Task AnotherUsersGoalsAndSessionsAreNeverMentioned()
    {
        Earlier("u-a", "My goal is to run a marathon in April.");
        await Goal("u-a", "Run a marathon in April");
        Earlier("u-b", "What is a tide?");

        var welcome = await Greeting().WelcomeBackAsync(Session("u-b"));

        Assert.Equal("Welcome back — last time: you asked “What is a tide?”.", welcome);
    }

    [Fact]
    public async Task WithMemoryOffThereIsNoWelcomeBack()
    {
        Earlier("u-a", "Hello");
        await Goal("u-a", "Run a marathon in April");
        await ((IClonePreferenceStore)_store).UpsertAsync(new ClonePreferences { UserId = "u-a", CloneId = "c-1", MemoryEnabled = false });

        Assert.Null(await Greeting().WelcomeBackAsync(Session("u-a")));
    }

    [Fact]
    public void TheWelcomeBackOpensTheGreetingMessage()
    {
        var session = Session("u-a");
        var clone = new Clone { Id = "c-1", OwnerId = "o", Name = "Coach", Slug = "coach", Tagline = "Runs", Category = "Sport" };

        var message = SessionGreeting.For(session, clone, "Welcome back — your goal: run a marathon in April.");

        Assert.Equal("Welcome back — your goal: run a marathon in April.\n\n" + SessionGreeting.Text(clone), message.Content);
        Assert.Equal(SessionGreeting.Text(clone), SessionGreeting.For(session, clone).Content);
    }
}
