using CloneAI.Azure.Chat;
using CloneAI.Azure.Knowledge;
using CloneAI.Azure.Tests.Cosmos;

namespace CloneAI.Azure.Tests.Limits;

/// <summary>Issue 15, limits in Azure: one rating and one count per user per clone, and the embedding budget, in the memories container.</summary>
public sealed class CosmosLimitsStoreTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-06T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly InMemoryContainer _memories = new("userId", typeof(CloneAudienceDocument), typeof(EmbeddingUsageDocument));

    [Fact]
    public async Task AUserIsCountedOncePerCloneAndTheirLatestRatingReplacesTheEarlierOne()
    {
        var store = new CosmosCloneAudienceStore(_memories.Object);
        Assert.True(await store.AddUserAsync("clone-1", "u-1"));
        Assert.False(await store.AddUserAsync("clone-1", "u-1"));
        Assert.True(await store.AddUserAsync("clone-2", "u-1"));
        Assert.True(await store.AddUserAsync("clone-1", "u-2"));

        Assert.Null(await store.SetRatingAsync("clone-1", "u-1", 5, "s-1", Now));
        Assert.Equal(5, await store.SetRatingAsync("clone-1", "u-1", 2, "s-2", Now.AddMinutes(1)));
        Assert.Null(await store.SetRatingAsync("clone-3", "u-1", 4, "s-3", Now));
        // Rating before use does not count the user; using it afterwards still does, once.
        Assert.True(await store.AddUserAsync("clone-3", "u-1"));

        var mine = (await store.ListByUserAsync("u-1")).OrderBy(e => e.CloneId).ToList();
        Assert.Equal(["clone-1", "clone-2", "clone-3"], mine.Select(e => e.CloneId));
        Assert.Equal((true, 2, "s-2"), (mine[0].Counted, mine[0].Stars, mine[0].SessionId));
        Assert.All(_memories.Documents(), d => Assert.StartsWith(CosmosCloneAudienceStore.IdPrefix, (string?)d["id"], StringComparison.Ordinal));

        await store.DeleteUserAsync("u-1");
        Assert.Empty(await store.ListByUserAsync("u-1"));
        Assert.Single(await store.ListByUserAsync("u-2"));
    }

    [Fact]
    public async Task EmbeddingWorkIsSummedPerUserAndDayAndARunIsChargedOnce()
    {
        var store = new CosmosEmbeddingUsageStore(_memories.Object);
        await store.AddAsync("u-1", "2026-12-06", "doc-1:1", 1000, Now);
        await store.AddAsync("u-1", "2026-12-06", "doc-1:1", 1000, Now); // a retried step
        await store.AddAsync("u-1", "2026-12-06", "doc-1:2", 500, Now);
        await store.AddAsync("u-1", "2026-12-05", "doc-0:1", 9000, Now.AddDays(-1));
        await store.AddAsync("u-2", "2026-12-06", "doc-2:1", 7000, Now);

        Assert.Equal(1500, await store.UsedAsync("u-1", "2026-12-06"));
        Assert.Equal(9000, await store.UsedAsync("u-1", "2026-12-05"));
        Assert.Equal(7000, await store.UsedAsync("u-2", "2026-12-06"));

        await store.DeleteUserAsync("u-1");
        Assert.Equal(0, await store.UsedAsync("u-1", "2026-12-06"));
        Assert.Equal(7000, await store.UsedAsync("u-2", "2026-12-06"));
    }
}
