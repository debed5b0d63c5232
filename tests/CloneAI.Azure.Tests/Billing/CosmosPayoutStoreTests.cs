using System.Net;
using CloneAI.Azure.Billing;
using CloneAI.Core.Billing;
using CloneAI.Core.Errors;
using Microsoft.Azure.Cosmos;
using static CloneAI.Azure.Tests.Cosmos.CosmosMocks;

namespace CloneAI.Azure.Tests.Billing;

public sealed class CosmosPayoutStoreTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-06T02:00:00Z");

    private readonly Mock<Container> _payouts = new(MockBehavior.Strict);
    private readonly CosmosPayoutStore _store;
    private readonly List<(string Kind, string Id, object Item)> _operations = [];
    private PartitionKey? _batchPartition;
    private HttpStatusCode[]? _outcome;

    public CosmosPayoutStoreTests()
    {
        _store = new CosmosPayoutStore(_payouts.Object);
        _payouts.Setup(c => c.CreateTransactionalBatch(It.IsAny<PartitionKey>())).Returns((PartitionKey pk) =>
        {
            _batchPartition = pk;
            var batch = new Mock<TransactionalBatch>(MockBehavior.Strict);
            batch.Setup(b => b.CreateItem(It.IsAny<PayoutKeyItem>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
                .Callback((PayoutKeyItem k, TransactionalBatchItemRequestOptions _) => _operations.Add(("create", k.Id, k))).Returns(batch.Object);
            batch.Setup(b => b.CreateItem(It.IsAny<PayoutItem>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
                .Callback((PayoutItem p, TransactionalBatchItemRequestOptions _) => _operations.Add(("create", p.Id, p))).Returns(batch.Object);
            batch.Setup(b => b.ExecuteAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() =>
                BatchResponse(_outcome ?? _operations.Select(_ => HttpStatusCode.Created).ToArray()));
            return batch.Object;
        });
    }

    private static Payout Payout(string id = "p-1", string status = PayoutStatus.Requested, string? etag = null) => new()
    {
        Id = id, CreatorId = "creator-1", Amount = 2_500, Currency = "USD", IdempotencyKey = "key-1", Status = status, CreatedAt = Now, ETag = etag,
    };

    [Fact]
    public async Task APayoutAndItsIdempotencyKeyAreCreatedInOneBatchInTheCreatorsPartition()
    {
        var created = await _store.CreateAsync(Payout());

        Assert.Equal(new PartitionKey("creator-1"), _batchPartition);
        Assert.Equal([CosmosPayoutStore.KeyId("key-1"), "p-1"], _operations.Select(o => o.Id));
        var key = (PayoutKeyItem)_operations[0].Item;
        Assert.Equal(("creator-1", CosmosPayoutStore.KeyType, "p-1"), (key.CreatorId, key.Type, key.PayoutId));
        var item = (PayoutItem)_operations[1].Item;
        Assert.Equal((CosmosPayoutStore.PayoutType, PayoutStatus.Requested, 2_500L, Now.ToUnixTimeMilliseconds()), (item.Type, item.Status, item.Amount, item.CreatedMs));
        Assert.Null(item.Payout.ETag);
        Assert.Equal("\"b1\"", created.ETag);
    }

    [Fact]
    public async Task AnIdempotencyKeyUsedBeforeIsAConflictAndStoresNothing()
    {
        _outcome = [HttpStatusCode.Conflict, HttpStatusCode.FailedDependency];

        await Assert.ThrowsAsync<ConflictException>(() => _store.CreateAsync(Payout()));
    }

    [Fact]
    public async Task ReplacingIsConditionalOnTheETagAndAChangedPayoutIsAConflict()
    {
        _payouts.Setup(c => c.ReplaceItemAsync(It.Is<PayoutItem>(i => i.Status == PayoutStatus.Paid), "p-1", It.Is<PartitionKey?>(pk => Is(pk, "creator-1")),
                It.Is<ItemRequestOptions>(o => o.IfMatchEtag == "\"v1\""), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PayoutItem i, string _, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(i, "\"v2\""));
        _payouts.Setup(c => c.ReplaceItemAsync(It.IsAny<PayoutItem>(), "p-1", It.IsAny<PartitionKey?>(),
                It.Is<ItemRequestOptions>(o => o.IfMatchEtag == "\"stale\""), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.PreconditionFailed));

        var paid = await _store.ReplaceAsync(Payout(etag: "\"v1\"") with { Status = PayoutStatus.Paid, Reference = "BANK-1" });

        Assert.Equal(("\"v2\"", "BANK-1"), (paid.ETag, paid.Reference));
        await Assert.ThrowsAsync<ConflictException>(() => _store.ReplaceAsync(Payout(etag: "\"stale\"") with { Status = PayoutStatus.Rejected }));
    }

    [Fact]
    public async Task TheAdminsListingByStatusIsACrossPartitionQueryOldestFirst()
    {
        QueryDefinition? query = null;
        QueryRequestOptions? options = null;
        _payouts.Setup(c => c.GetItemQueryIterator<PayoutItem>(It.IsAny<QueryDefinition>(), null, It.IsAny<QueryRequestOptions>()))
            .Callback<QueryDefinition, string, QueryRequestOptions>((q, _, o) => (query, options) = (q, o))
            .Returns(Feed<PayoutItem>([CosmosPayoutStore.Item(Payout()) with { ETag = "\"q1\"" }], "next"));

        var page = await _store.ListByStatusAsync(PayoutStatus.Requested, 1, null);

        Assert.Equal("SELECT * FROM c WHERE c.type = @type AND c.status = @status ORDER BY c.createdMs", query!.QueryText);
        Assert.Equal([("@type", (object)CosmosPayoutStore.PayoutType), ("@status", PayoutStatus.Requested)], query.GetQueryParameters().Select(p => (p.Name, p.Value)));
        Assert.Null(options!.PartitionKey);
        Assert.Equal(1, options.MaxItemCount);
        Assert.Equal("\"q1\"", Assert.Single(page.Items).ETag);
        Assert.Equal("next", page.ContinuationToken);
    }

    [Fact]
    public async Task ACreatorsPayoutsAndSumsAreReadInTheirOwnPartition()
    {
        var partitions = new List<PartitionKey?>();
        _payouts.Setup(c => c.GetItemQueryIterator<PayoutItem>(It.IsAny<QueryDefinition>(), null, It.IsAny<QueryRequestOptions>()))
            .Callback<QueryDefinition, string, QueryRequestOptions>((_, _, o) => partitions.Add(o.PartitionKey))
            .Returns(() => Feed<PayoutItem>([CosmosPayoutStore.Item(Payout())]));
        _payouts.Setup(c => c.GetItemQueryIterator<long>(It.Is<QueryDefinition>(q => q.QueryText.StartsWith("SELECT VALUE c.amount", StringComparison.Ordinal)), null, It.IsAny<QueryRequestOptions>()))
            .Callback<QueryDefinition, string, QueryRequestOptions>((_, _, o) => partitions.Add(o.PartitionKey))
            .Returns(() => Feed<long>([1_000, 2_500]));

        var mine = await _store.ListByCreatorAsync("creator-1", 20, null);
        var byKey = await _store.FindByKeyAsync("creator-1", "key-1");
        var pending = await _store.SumAsync("creator-1", PayoutStatus.Requested);

        Assert.Equal("p-1", Assert.Single(mine.Items).Id);
        Assert.Equal("p-1", byKey!.Id);
        Assert.Equal(3_500, pending);
        Assert.All(partitions, pk => Assert.Equal(new PartitionKey("creator-1"), pk));
        Assert.Equal(3, partitions.Count);
    }

    [Fact]
    public async Task AReadByIdAloneFindsThePayoutAcrossPartitionsAndAnIdCosmosCannotHoldIsAMiss()
    {
        _payouts.Setup(c => c.GetItemQueryIterator<PayoutItem>(It.Is<QueryDefinition>(q => q.QueryText == "SELECT * FROM c WHERE c.type = @type AND c.id = @id"), null,
                It.Is<QueryRequestOptions>(o => o.PartitionKey == null)))
            .Returns(Feed<PayoutItem>([CosmosPayoutStore.Item(Payout()) with { ETag = "\"e\"" }]));

        Assert.Equal("\"e\"", (await _store.GetAsync("p-1"))!.ETag);
        Assert.Null(await _store.GetAsync("a/b"));
    }

    [Fact]
    public async Task APayoutAccountIsOneDocumentInTheCreatorsPartition()
    {
        var account = new PayoutAccount("creator-1", "acct_1Creator", Now);
        _payouts.Setup(c => c.UpsertItemAsync(It.Is<PayoutAccountItem>(i => i.Id == CosmosPayoutStore.AccountId && i.Type == CosmosPayoutStore.AccountType && i.Account == account),
                It.Is<PartitionKey?>(pk => Is(pk, "creator-1")), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync((PayoutAccountItem i, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(i));
        _payouts.Setup(c => c.ReadItemAsync<PayoutAccountItem>(CosmosPayoutStore.AccountId, new PartitionKey("creator-1"), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(new PayoutAccountItem(CosmosPayoutStore.AccountId, "creator-1", CosmosPayoutStore.AccountType, account)));
        _payouts.Setup(c => c.ReadItemAsync<PayoutAccountItem>(CosmosPayoutStore.AccountId, new PartitionKey("creator-2"), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.NotFound));

        await _store.SetAccountAsync(account);

        Assert.Equal(account, await _store.GetAccountAsync("creator-1"));
        Assert.Null(await _store.GetAccountAsync("creator-2"));
        _payouts.Verify(c => c.UpsertItemAsync(It.IsAny<PayoutAccountItem>(), It.IsAny<PartitionKey?>(), null, It.IsAny<CancellationToken>()), Times.Once);
    }
}
