using CloneAI.Azure.Summaries;
using CloneAI.Azure.Tests.Cosmos;
using CloneAI.Core.Summaries;

namespace CloneAI.Azure.Tests.Summaries;

/// <summary>The Cosmos summary store on an in-memory container with Cosmos's semantics (409 on an existing id, per-partition reads).</summary>
public sealed class CosmosSessionSummaryStoreTests
{
    private readonly InMemoryContainer _container = new("userId", typeof(SummaryItem));

    private CosmosSessionSummaryStore Store() => new(_container.Object);

    private static SessionSummary Summary(string sessionId, string userId = "u1", string cloneId = "c1", int day = 1) => new()
    {
        SessionId = sessionId, UserId = userId, CloneId = cloneId, Summary = "Build the long run slowly.", Method = SummaryMethods.Extractive,
        ActionItems = ["Rest after long runs."], SessionEndedAt = new DateTimeOffset(2026, 12, day, 10, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task ASummaryIsStoredOncePerSession()
    {
        var store = Store();
        Assert.True(await store.TryAddAsync(Summary("s1")));
        Assert.False(await store.TryAddAsync(Summary("s1") with { Summary = "A second writer" }));

        var read = await store.GetAsync("u1", "s1");
        Assert.Equal("Build the long run slowly.", read!.Summary);
        Assert.Equal(["Rest after long runs."], read.ActionItems);
        Assert.Single(_container.Documents());
    }

    [Fact]
    public async Task AnotherUserNeverReadsIt()
    {
        var store = Store();
        await store.TryAddAsync(Summary("s1"));
        Assert.Null(await store.GetAsync("u2", "s1"));
        Assert.False(await store.DeleteAsync("u2", "s1"));
        Assert.NotNull(await store.GetAsync("u1", "s1"));
    }

    [Fact]
    public async Task AUsersSummariesAreListedNewestSessionFirstAndByClone()
    {
        var store = Store();
        await store.TryAddAsync(Summary("s1", day: 1));
        await store.TryAddAsync(Summary("s2", day: 3, cloneId: "c2"));
        await store.TryAddAsync(Summary("s3", day: 2));
        await store.TryAddAsync(Summary("s4", userId: "u2", day: 4));

        Assert.Equal(["s2", "s3", "s1"], (await store.ListAsync("u1", null, 10)).Select(s => s.SessionId));
        Assert.Equal(["s3", "s1"], (await store.ListAsync("u1", "c1", 10)).Select(s => s.SessionId));
        Assert.Equal(["s2"], (await store.ListAsync("u1", null, 1)).Select(s => s.SessionId));
    }

    [Fact]
    public async Task DeletingRemovesIt()
    {
        var store = Store();
        await store.TryAddAsync(Summary("s1"));
        Assert.True(await store.DeleteAsync("u1", "s1"));
        Assert.Null(await store.GetAsync("u1", "s1"));
        Assert.False(await store.DeleteAsync("u1", "s1"));
    }

    [Fact]
    public async Task TheReceiptIsMarkedSentOnceOnItsUsersSummary()
    {
        var store = Store();
        await store.TryAddAsync(Summary("s1"));
        Assert.Null((await store.GetAsync("u1", "s1"))!.ReceiptSentAt);

        var at = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
        await store.MarkReceiptSentAsync("u1", "s1", at);
        await store.MarkReceiptSentAsync("u1", "s1", at.AddHours(1));
        await store.MarkReceiptSentAsync("u2", "s1", at); // another user's call finds nothing to mark
        await store.MarkReceiptSentAsync("u1", "gone", at);

        var marked = await store.GetAsync("u1", "s1");
        Assert.Equal(at, marked!.ReceiptSentAt);
        Assert.Equal("s1", marked.SessionId);
    }
}
