using System.Net;
using CloneAI.Azure.Memory;
using CloneAI.Core.Errors;
using CloneAI.Core.Memory;
using Microsoft.Azure.Cosmos;
using static CloneAI.Azure.Tests.Cosmos.CosmosMocks;

namespace CloneAI.Azure.Tests.Memory;

public sealed class CosmosMemoryStoreTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-06T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly Mock<Container> _container = new(MockBehavior.Strict);
    private readonly CosmosMemoryStore _store;
    private readonly CosmosClonePreferenceStore _preferences;

    public CosmosMemoryStoreTests()
    {
        _store = new CosmosMemoryStore(_container.Object);
        _preferences = new CosmosClonePreferenceStore(_container.Object);
    }

    private static MemoryItem NewItem(string id, string? cloneId, string? sessionId = "s-1", string? etag = null) => new()
    {
        Id = id, UserId = "u-1", CloneId = cloneId, Kind = MemoryKinds.Goal, Text = "Run a marathon in April",
        Source = sessionId is null ? null : new MemorySource(sessionId, "m-1"), CreatedAt = Now, UpdatedAt = Now, ETag = etag,
    };

    private static MemoryDocument Doc(MemoryItem item) =>
        new(item.Id, item.UserId, CosmosMemoryStore.MemoryType, item.CloneId, item.Source?.SessionId, item.CreatedAt.ToUnixTimeMilliseconds(), item, "\"e\"");

    [Fact]
    public async Task ANewItemIsUpsertedInItsUsersPartitionWithTheFieldsQueriesUse()
    {
        MemoryDocument? written = null;
        PartitionKey? partition = null;
        _container.Setup(c => c.UpsertItemAsync(It.IsAny<MemoryDocument>(), It.IsAny<PartitionKey?>(), null, It.IsAny<CancellationToken>()))
            .Callback((MemoryDocument d, PartitionKey? pk, ItemRequestOptions _, CancellationToken _) => (written, partition) = (d, pk))
            .ReturnsAsync((MemoryDocument d, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(d, "\"e1\""));

        var stored = await _store.UpsertAsync(NewItem("m-1", "c-1"));

        Assert.Equal(new PartitionKey("u-1"), partition);
        Assert.Equal(("m-1", "u-1", "memory", "c-1", "s-1"), (written!.Id, written.UserId, written.Type, written.CloneId, written.SessionId));
        Assert.Null(written.Item.ETag);
        Assert.Equal("\"e1\"", stored.ETag);
    }

    [Fact]
    public async Task AStaleReplaceIsAConflict()
    {
        _container.Setup(c => c.ReplaceItemAsync(It.IsAny<MemoryDocument>(), "m-1", new PartitionKey("u-1"), It.Is<ItemRequestOptions>(o => o.IfMatchEtag == "\"old\""), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.PreconditionFailed));

        await Assert.ThrowsAsync<ConflictException>(() => _store.UpsertAsync(NewItem("m-1", "c-1", etag: "\"old\"")));
    }

    [Fact]
    public async Task AClonesListHoldsItsItemsAndTheSharedOnesQueriedInTheUsersPartitionOnly()
    {
        QueryDefinition? query = null;
        QueryRequestOptions? options = null;
        _container.Setup(c => c.GetItemQueryIterator<MemoryDocument>(It.IsAny<QueryDefinition>(), null, It.IsAny<QueryRequestOptions>()))
            .Callback((QueryDefinition q, string _, QueryRequestOptions o) => (query, options) = (q, o))
            .Returns(() => Feed<MemoryDocument>([Doc(NewItem("a", "c-1")), Doc(NewItem("b", null)), Doc(NewItem("c", "c-2"))]));

        var items = await _store.ListAsync("u-1", "c-1");

        Assert.Equal(["a", "b"], items.Select(i => i.Id));
        Assert.Equal(new PartitionKey("u-1"), options!.PartitionKey);
        Assert.Equal("SELECT * FROM c WHERE c.type = @type ORDER BY c.createdMs", query!.QueryText);
        Assert.Equal(3, (await _store.ListAsync("u-1", null)).Count);
    }

    [Fact]
    public async Task DeletingASessionsItemsDeletesThoseTakenFromIt()
    {
        QueryDefinition? query = null;
        _container.Setup(c => c.GetItemQueryIterator<MemoryDocument>(It.IsAny<QueryDefinition>(), null, It.Is<QueryRequestOptions>(o => o.PartitionKey == new PartitionKey("u-1"))))
            .Callback((QueryDefinition q, string _, QueryRequestOptions _) => query = q)
            .Returns(() => Feed<MemoryDocument>([Doc(NewItem("a", "c-1", "s-9")), Doc(NewItem("b", null, "s-9"))]));
        var deleted = new List<string>();
        _container.Setup(c => c.DeleteItemAsync<MemoryDocument>(It.IsAny<string>(), new PartitionKey("u-1"), null, It.IsAny<CancellationToken>()))
            .Callback((string id, PartitionKey _, ItemRequestOptions _, CancellationToken _) => deleted.Add(id))
            .ReturnsAsync(Item<MemoryDocument>(default!, "", HttpStatusCode.NoContent));

        Assert.Equal(2, await _store.DeleteFromSessionAsync("u-1", "s-9"));

        Assert.Equal(["a", "b"], deleted);
        Assert.Equal("SELECT * FROM c WHERE c.type = @type AND c.sessionId = @session", query!.QueryText);
        Assert.Contains(query.GetQueryParameters(), p => p.Name == "@session" && (string)p.Value == "s-9");
    }

    [Fact]
    public async Task AnItemOfAnotherUserIsNotFoundInThisUsersPartition()
    {
        _container.Setup(c => c.ReadItemAsync<MemoryDocument>("m-1", new PartitionKey("u-2"), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.NotFound));

        Assert.Null(await _store.GetAsync("u-2", "m-1"));
        Assert.False(await _store.DeleteAsync("u-2", "m-1"));
        Assert.Null(await _store.GetAsync("u-2", CosmosClonePreferenceStore.IdPrefix + "c-1"));
    }

    [Fact]
    public async Task ClonePreferencesAreOneDocumentPerUserAndClone()
    {
        ClonePreferencesDocument? written = null;
        _container.Setup(c => c.UpsertItemAsync(It.IsAny<ClonePreferencesDocument>(), new PartitionKey("u-1"), null, It.IsAny<CancellationToken>()))
            .Callback((ClonePreferencesDocument d, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => written = d)
            .ReturnsAsync((ClonePreferencesDocument d, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(d));
        _container.Setup(c => c.ReadItemAsync<ClonePreferencesDocument>("prefs|c-1", new PartitionKey("u-1"), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Item(written!));
        _container.Setup(c => c.ReadItemAsync<ClonePreferencesDocument>("prefs|c-2", new PartitionKey("u-1"), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.NotFound));

        await _preferences.UpsertAsync(new ClonePreferences { UserId = "u-1", CloneId = "c-1", MemoryEnabled = false, UpdatedAt = Now });

        Assert.Equal(("prefs|c-1", "clone-preferences", "c-1"), (written!.Id, written.Type, written.CloneId));
        Assert.False((await _preferences.GetAsync("u-1", "c-1"))!.MemoryEnabled);
        Assert.Null(await _preferences.GetAsync("u-1", "c-2"));
    }
}
