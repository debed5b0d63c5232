using CloneAI.Azure.Progress;
using CloneAI.Azure.Tests.Cosmos;
using CloneAI.Core.Progress;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Tests.Progress;

/// <summary>
/// Checklist ticks in the <c>memories</c> container (an <see cref="InMemoryContainer"/> partitioned by <c>/userId</c>, whose
/// upsert is a create, or on 409 a replace): one document per user, clone and item, in the user's partition, of its own type.
/// </summary>
public sealed class CosmosProgressTickStoreTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryContainer _container = new("userId", typeof(ProgressTickDocument));
    private readonly CosmosProgressTickStore _store;

    public CosmosProgressTickStoreTests()
    {
        _container.Mock.Setup(c => c.UpsertItemAsync(It.IsAny<ProgressTickDocument>(), It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Returns(async (ProgressTickDocument doc, PartitionKey? pk, ItemRequestOptions _, CancellationToken ct) =>
            {
                try
                {
                    return await _container.Object.CreateItemAsync(doc, pk, cancellationToken: ct);
                }
                catch (CosmosException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
                {
                    using var response = await _container.Object.CreateTransactionalBatch(pk!.Value).ReplaceItem(doc.Id, doc).ExecuteAsync(ct);
                    Assert.True(response.IsSuccessStatusCode);
                    return CosmosMocks.Item(doc);
                }
            });
        _store = new CosmosProgressTickStore(_container.Object);
    }

    private static ProgressTick Tick(string user, string clone, string item, bool done) => new()
    {
        UserId = user, CloneId = clone, ItemId = item, Done = done, DoneAt = done ? At : null, UpdatedAt = At,
    };

    [Fact]
    public async Task ATickIsOneDocumentPerUserCloneAndItemReplacedByTheNext()
    {
        await _store.UpsertAsync(Tick("alice", "c1", "goal:m1", true));
        await _store.UpsertAsync(Tick("alice", "c1", "action:s1:0", true));
        await _store.UpsertAsync(Tick("alice", "c1", "goal:m1", false));

        var ticks = await _store.ListAsync("alice", "c1");
        Assert.Equal(2, ticks.Count);
        Assert.False(ticks.Single(t => t.ItemId == "goal:m1").Done);
        Assert.Null(ticks.Single(t => t.ItemId == "goal:m1").DoneAt);
        Assert.True(ticks.Single(t => t.ItemId == "action:s1:0").Done);
        Assert.All(_container.Documents(), d =>
        {
            Assert.Equal(CosmosProgressTickStore.TickType, (string?)d["type"]);
            Assert.StartsWith(CosmosProgressTickStore.IdPrefix, (string?)d["id"], StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task TicksAreReadFromTheUsersPartitionAndTheCloneOnly()
    {
        await _store.UpsertAsync(Tick("alice", "c1", "goal:m1", true));
        await _store.UpsertAsync(Tick("alice", "c2", "goal:m1", true));
        await _store.UpsertAsync(Tick("bob", "c1", "goal:m1", true));

        Assert.Equal(["c1"], (await _store.ListAsync("alice", "c1")).Select(t => t.CloneId));
        Assert.Equal(["bob"], (await _store.ListAsync("bob", "c1")).Select(t => t.UserId));
        Assert.Empty(await _store.ListAsync("carol", "c1"));
        Assert.Equal(3, _container.Documents().Count);
    }

    [Fact]
    public void TheIdIsSafeForAnyItemIdAndDiffersPerClone()
    {
        var id = CosmosProgressTickStore.Id("c1", "action:s/1?#:0");
        Assert.Matches("^tick\\|[0-9a-f]{64}$", id);
        Assert.NotEqual(id, CosmosProgressTickStore.Id("c2", "action:s/1?#:0"));
    }
}
