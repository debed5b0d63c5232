using System.Net;
using CloneAI.Azure.Billing;
using CloneAI.Core.Billing;
using CloneAI.Core.Errors;
using Microsoft.Azure.Cosmos;
using static CloneAI.Azure.Tests.Cosmos.CosmosMocks;

namespace CloneAI.Azure.Tests.Billing;

public sealed class CosmosTopUpStoreTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-06T02:00:00Z");

    private readonly Mock<Container> _topUps = new(MockBehavior.Strict);
    private readonly CosmosTopUpStore _store;
    private readonly List<(string Kind, string Id, object Item)> _operations = [];
    private PartitionKey? _batchPartition;
    private HttpStatusCode[]? _outcome;

    public CosmosTopUpStoreTests()
    {
        _store = new CosmosTopUpStore(_topUps.Object);
        _topUps.Setup(c => c.CreateTransactionalBatch(It.IsAny<PartitionKey>())).Returns((PartitionKey pk) =>
        {
            _batchPartition = pk;
            var batch = new Mock<TransactionalBatch>(MockBehavior.Strict);
            batch.Setup(b => b.CreateItem(It.IsAny<TopUpKeyItem>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
                .Callback((TopUpKeyItem k, TransactionalBatchItemRequestOptions _) => _operations.Add(("create", k.Id, k))).Returns(batch.Object);
            batch.Setup(b => b.CreateItem(It.IsAny<TopUpItem>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
                .Callback((TopUpItem t, TransactionalBatchItemRequestOptions _) => _operations.Add(("create", t.Id, t))).Returns(batch.Object);
            batch.Setup(b => b.ExecuteAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() =>
                BatchResponse(_outcome ?? _operations.Select(_ => HttpStatusCode.Created).ToArray()));
            return batch.Object;
        });
    }

    private static TopUp TopUp(string id = "t-1", string key = "key 1", long amount = 1000, string? etag = null) => new()
    {
        Id = id, UserId = "u-1", Amount = amount, Currency = "USD", IdempotencyKey = key, Provider = PaymentProviders.Test, CreatedAt = Now, ETag = etag,
    };

    [Fact]
    public async Task ATopUpAndItsKeyAreCreatedInOneBatchInTheUsersPartition()
    {
        var created = await _store.CreateAsync(TopUp());

        Assert.True(created.Created);
        Assert.Equal(new PartitionKey("u-1"), _batchPartition);
        Assert.Equal([CosmosTopUpStore.KeyId("key 1"), "t-1"], _operations.Select(o => o.Id));
        Assert.StartsWith("key|", _operations[0].Id, StringComparison.Ordinal);
        Assert.Equal("t-1", ((TopUpKeyItem)_operations[0].Item).TopUpId);
        var item = (TopUpItem)_operations[1].Item;
        Assert.Equal(("topup", "u-1", "pending"), (item.Type, item.UserId, item.Status));
        Assert.Null(item.TopUp.ETag);
        Assert.Equal("\"b1\"", created.TopUp.ETag);
    }

    [Fact]
    public async Task ARetryWithTheSameKeyReturnsTheFirstTopUp()
    {
        _outcome = [HttpStatusCode.Conflict, HttpStatusCode.FailedDependency];
        var keyId = CosmosTopUpStore.KeyId("key 1");
        _topUps.Setup(c => c.ReadItemAsync<TopUpKeyItem>(keyId, new PartitionKey("u-1"), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(new TopUpKeyItem(keyId, "u-1", CosmosTopUpStore.KeyType, "t-first")));
        _topUps.Setup(c => c.ReadItemAsync<TopUpItem>("t-first", new PartitionKey("u-1"), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(CosmosTopUpStore.Item(TopUp("t-first")), "\"e7\""));

        var again = await _store.CreateAsync(TopUp("t-second"));

        Assert.False(again.Created);
        Assert.Equal("t-first", again.TopUp.Id);
        Assert.Equal("\"e7\"", again.TopUp.ETag);
    }

    [Fact]
    public async Task ATakenTopUpIdIsAConflict()
    {
        _outcome = [HttpStatusCode.FailedDependency, HttpStatusCode.Conflict];
        await Assert.ThrowsAsync<ConflictException>(() => _store.CreateAsync(TopUp()));
    }

    [Fact]
    public async Task AnotherUsersTopUpAKeyDocumentOrAnInvalidIdIsNoTopUp()
    {
        _topUps.Setup(c => c.ReadItemAsync<TopUpItem>("t-1", new PartitionKey("u-2"), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.NotFound));
        Assert.Null(await _store.GetAsync("u-2", "t-1"));
        // The strict mock would throw on any call for these.
        Assert.Null(await _store.GetAsync("u-1", CosmosTopUpStore.KeyId("key 1")));
        Assert.Null(await _store.GetAsync("u-1", "../t-1"));
    }

    [Fact]
    public async Task ANoticesTopUpIsFoundAcrossPartitionsByParameter()
    {
        var queries = new List<(QueryDefinition Query, QueryRequestOptions Options)>();
        _topUps.Setup(c => c.GetItemQueryIterator<TopUpItem>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Callback((QueryDefinition q, string _, QueryRequestOptions o) => queries.Add((q, o)))
            .Returns(() => Feed<TopUpItem>([CosmosTopUpStore.Item(TopUp()) with { ETag = "\"q1\"" }]));

        var byId = await _store.FindAsync("t-1");
        var byReference = await _store.FindByProviderReferenceAsync(PaymentProviders.Lago, "lago' OR 1=1");

        Assert.Equal("\"q1\"", byId!.ETag);
        Assert.Equal("t-1", byReference!.Id);
        Assert.All(queries, q => Assert.Null(q.Options.PartitionKey));
        Assert.Contains(queries[0].Query.GetQueryParameters(), p => p.Name == "@id" && (string)p.Value == "t-1");
        Assert.DoesNotContain("OR 1=1", queries[1].Query.QueryText, StringComparison.Ordinal);
        Assert.Contains(queries[1].Query.GetQueryParameters(), p => p.Name == "@reference" && (string)p.Value == "lago' OR 1=1");
    }

    [Fact]
    public async Task ReplaceIsConditionalOnTheETagAndAChangedTopUpIsAConflict()
    {
        ItemRequestOptions? options = null;
        _topUps.Setup(c => c.ReplaceItemAsync(It.IsAny<TopUpItem>(), "t-1", new PartitionKey("u-1"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Callback((TopUpItem _, string _, PartitionKey? _, ItemRequestOptions o, CancellationToken _) => options = o)
            .ReturnsAsync((TopUpItem i, string _, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(i, "\"e2\""));
        var replaced = await _store.ReplaceAsync(TopUp(etag: "\"e1\"") with { Status = TopUpStatus.Succeeded });
        Assert.Equal("\"e1\"", options!.IfMatchEtag);
        Assert.Equal("\"e2\"", replaced.ETag);

        _topUps.Setup(c => c.ReplaceItemAsync(It.IsAny<TopUpItem>(), "t-1", new PartitionKey("u-1"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.PreconditionFailed));
        await Assert.ThrowsAsync<ConflictException>(() => _store.ReplaceAsync(TopUp(etag: "\"old\"")));
    }
}
