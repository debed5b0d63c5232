using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Recommendations;
using CloneAI.Core.Summaries;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static CloneAI.Core.Tests.Recommendations.RecommendationBlendTests;

namespace CloneAI.Core.Tests.Recommendations;

/// <summary>Suggested next questions: the caller's own summaries' next topics for the clone, newest first, each once, as questions.</summary>
public sealed class NextQuestionsTests
{
    private static readonly Caller Me = new("me", "me@example.com", "Me", IsAdmin: false, IsCreator: false);
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-06T09:00:00Z");

    private readonly Mock<ICloneStore> _store = new();
    private readonly InMemorySummaries _summaries = new();
    private readonly CloneService _clones;

    public NextQuestionsTests()
    {
        var clones = new Dictionary<string, Clone> { ["tides"] = Clone("tides"), ["draft"] = Clone("draft", status: CloneStatus.Draft), ["other"] = Clone("other") };
        _store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => clones.GetValueOrDefault(id));
        _clones = new CloneService(_store.Object, new FakeTimeProvider(Now), NullLogger<CloneService>.Instance);
    }

    private void Summary(string user, string clone, string session, int daysAgo, params string[] topics) =>
        _summaries.Items.Add(new SessionSummary
        {
            SessionId = session, UserId = user, CloneId = clone, Summary = "s", Method = SummaryMethods.Extractive, NextTopics = topics,
            SessionEndedAt = Now.AddDays(-daysAgo), CreatedAt = Now.AddDays(-daysAgo),
        });

    [Theory]
    [InlineData("Spring tides", "Can you tell me more about spring tides?")]
    [InlineData("  NASA   missions. ", "Can you tell me more about NASA missions?")]
    [InlineData("How the moon pulls the sea", "How the moon pulls the sea?")]
    [InlineData("Why are there two tides a day?", "Why are there two tides a day?")]
    [InlineData("   ", null)]
    public void TopicsArePhrasedAsQuestions(string topic, string? question) => Assert.Equal(question, NextQuestions.Phrase(topic));

    [Fact]
    public async Task TheNewestSessionsTopicsComeFirstEachOnceAndOnlyMineForThatClone()
    {
        Summary("me", "tides", "s1", 3, "Neap tides", "Tide tables");
        Summary("me", "tides", "s2", 1, "Spring tides", "tide tables");
        Summary("me", "other", "s3", 0, "Tax returns");
        Summary("someone", "tides", "s4", 0, "Someone else's topic");

        var list = await new NextQuestions(_clones, _summaries).ForCloneAsync(Me, "tides");
        var questions = list.Items;

        Assert.Equal(["Spring tides", "tide tables", "Neap tides"], questions.Select(q => q.Topic));
        Assert.Equal("Can you tell me more about spring tides?", questions[0].Question);
        Assert.Equal(["s2", "s2", "s1"], questions.Select(q => q.SessionId));
    }

    [Fact]
    public async Task AtMostFiveAreSuggested()
    {
        Summary("me", "tides", "s1", 1, "a1", "a2", "a3", "a4", "a5", "a6", "a7");
        Assert.Equal(NextQuestions.MaxQuestions, (await new NextQuestions(_clones, _summaries).ForCloneAsync(Me, "tides")).Items.Count);
    }

    [Fact]
    public async Task WithoutASummaryStoreThereAreNone()
    {
        Assert.Empty((await new NextQuestions(_clones, null).ForCloneAsync(Me, "tides")).Items);
    }

    [Fact]
    public async Task AnUnknownOrSomeoneElsesDraftCloneIsNotFound()
    {
        var questions = new NextQuestions(_clones, _summaries);
        await Assert.ThrowsAsync<NotFoundException>(() => questions.ForCloneAsync(Me, "nope"));
        await Assert.ThrowsAsync<NotFoundException>(() => questions.ForCloneAsync(Me, "draft"));
    }

    private sealed class InMemorySummaries : ISessionSummaryStore
    {
        public List<SessionSummary> Items { get; } = [];

        public Task<bool> TryAddAsync(SessionSummary summary, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SessionSummary?> GetAsync(string userId, string sessionId, CancellationToken cancellationToken = default) =>
            Task.FromResult(Items.FirstOrDefault(s => s.UserId == userId && s.SessionId == sessionId));

        public Task<IReadOnlyList<SessionSummary>> ListAsync(string userId, string? cloneId, int max, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<SessionSummary>>(Items.Where(s => s.UserId == userId && (cloneId is null || s.CloneId == cloneId))
                .OrderByDescending(s => s.SessionEndedAt).Take(max).ToList());

        public Task<bool> DeleteAsync(string userId, string sessionId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task MarkReceiptSentAsync(string userId, string sessionId, DateTimeOffset at, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
