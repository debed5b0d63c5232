using System.Net;
using System.Text.Json;
using CloneAI.Azure.Billing;
using CloneAI.Azure.Cosmos;
using CloneAI.Azure.Tests.Cosmos;
using CloneAI.Core.Billing;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Tests.Billing;

/// <summary>
/// The billing outbox and webhook receipts on the Cosmos container <c>billing</c>, over a Moq container that keeps documents
/// in memory as Cosmos would (409 on a second create, 404 on a missing read, the due query's parameters applied).
/// </summary>
public sealed class CosmosBillingStoreTests
{
    private readonly Dictionary<string, string> _documents = new(StringComparer.Ordinal);
    private readonly JsonSerializerOptions _json = CosmosSystemTextJsonSerializer.CreateOptions();

    private Container Container()
    {
        var container = new Mock<Container>(MockBehavior.Strict);
        container.Setup(c => c.CreateItemAsync(It.IsAny<CosmosBillingOutboxStore.Document>(), It.IsAny<PartitionKey?>(), null, It.IsAny<CancellationToken>()))
            .Returns((CosmosBillingOutboxStore.Document d, PartitionKey? pk, ItemRequestOptions? _, CancellationToken _) => Create(d.Id, d, pk));
        container.Setup(c => c.CreateItemAsync(It.IsAny<CosmosWebhookReceipts.Document>(), It.IsAny<PartitionKey?>(), null, It.IsAny<CancellationToken>()))
            .Returns((CosmosWebhookReceipts.Document d, PartitionKey? pk, ItemRequestOptions? _, CancellationToken _) => Create(d.Id, d, pk));
        container.Setup(c => c.ReplaceItemAsync(It.IsAny<CosmosBillingOutboxStore.Document>(), It.IsAny<string>(), It.IsAny<PartitionKey?>(), null, It.IsAny<CancellationToken>()))
            .Returns((CosmosBillingOutboxStore.Document d, string id, PartitionKey? pk, ItemRequestOptions? _, CancellationToken _) =>
            {
                Assert.True(CosmosMocks.Is(pk, id));
                if (!_documents.ContainsKey(id)) throw CosmosMocks.Error(HttpStatusCode.NotFound);
                _documents[id] = JsonSerializer.Serialize(d, _json);
                return Task.FromResult(CosmosMocks.Item(d));
            });
        container.Setup(c => c.ReadItemAsync<CosmosBillingOutboxStore.Document>(It.IsAny<string>(), It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .Returns((string id, PartitionKey pk, ItemRequestOptions? _, CancellationToken _) => Read<CosmosBillingOutboxStore.Document>(id, pk));
        container.Setup(c => c.ReadItemAsync<CosmosWebhookReceipts.Document>(It.IsAny<string>(), It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .Returns((string id, PartitionKey pk, ItemRequestOptions? _, CancellationToken _) => Read<CosmosWebhookReceipts.Document>(id, pk));
        container.Setup(c => c.GetItemQueryIterator<CosmosBillingOutboxStore.Document>(It.IsAny<QueryDefinition>(), null, null))
            .Returns((QueryDefinition q, string? _, QueryRequestOptions? _) =>
            {
                var parameters = q.GetQueryParameters().ToDictionary(p => p.Name, p => p.Value);
                var matching = _documents.Values.Select(v => JsonSerializer.Deserialize<CosmosBillingOutboxStore.Document>(v, _json)!)
                    .Where(d => d.Kind == (string)parameters["@kind"] && d.Status == (string)parameters["@status"])
                    .Where(d => !parameters.TryGetValue("@now", out var now) || d.NextAttemptAt <= (long)now)
                    .ToList();
                return CosmosMocks.Feed<CosmosBillingOutboxStore.Document>(matching);
            });
        return container.Object;
    }

    private Task<ItemResponse<T>> Create<T>(string id, T document, PartitionKey? pk)
    {
        Assert.True(CosmosMocks.Is(pk, id), "the partition key is the id");
        if (_documents.ContainsKey(id)) throw CosmosMocks.Error(HttpStatusCode.Conflict);
        _documents[id] = JsonSerializer.Serialize(document, _json);
        return Task.FromResult(CosmosMocks.Item(document, status: HttpStatusCode.Created));
    }

    private Task<ItemResponse<T>> Read<T>(string id, PartitionKey pk)
    {
        Assert.Equal(new PartitionKey(id), pk);
        return _documents.TryGetValue(id, out var json)
            ? Task.FromResult(CosmosMocks.Item(JsonSerializer.Deserialize<T>(json, _json)!))
            : throw CosmosMocks.Error(HttpStatusCode.NotFound);
    }

    private static BillableUsage Usage(string key) =>
        new(key, "user-1", BillableMetrics.SessionMinutes, 2, 50, "USD", "session/1?#", "clone-1", DateTimeOffset.UtcNow);

    [Fact]
    public async Task TheOutboxKeepsOneDocumentPerKeyAndTracksItsDelivery()
    {
        var store = new CosmosBillingOutboxStore(Container());
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        Assert.True(await store.AddAsync(Usage("charge/1#x"), now)); // any key: the id is its hash
        Assert.False(await store.AddAsync(Usage("charge/1#x"), now.AddSeconds(5)));
        Assert.True(await store.AddAsync(Usage("charge-2"), now.AddSeconds(1)));
        Assert.Equal(2, _documents.Count);

        Assert.Equal(["charge/1#x", "charge-2"], (await store.DueAsync(now.AddSeconds(1), 10)).Select(e => e.Key));
        Assert.Equal(["charge/1#x"], (await store.DueAsync(now, 10)).Select(e => e.Key));

        await store.MarkRetryAsync("charge/1#x", 1, now.AddSeconds(30), "Lago said 500");
        Assert.Equal(["charge-2"], (await store.DueAsync(now.AddSeconds(10), 10)).Select(e => e.Key));
        var retried = (await store.GetAsync("charge/1#x"))!;
        Assert.Equal((1, now.AddSeconds(30), "Lago said 500"), (retried.Attempts, retried.NextAttemptAt, retried.LastError));

        await store.MarkSentAsync("charge/1#x", 2, now.AddSeconds(31));
        await store.MarkFailedAsync("charge-2", 1, "Lago said 422");
        Assert.Empty(await store.DueAsync(now.AddHours(1), 10));
        Assert.Equal(OutboxStatus.Sent, (await store.GetAsync("charge/1#x"))!.Status);
        Assert.Equal("Lago said 422", Assert.Single(await store.FailedAsync(10)).LastError);
        Assert.Null(await store.GetAsync("unknown"));
    }

    [Fact]
    public async Task AWebhookReceiptIsRecordedOnce()
    {
        var receipts = new CosmosWebhookReceipts(Container());
        Assert.False(await receipts.ExistsAsync("lago", "key-1"));
        await receipts.RecordAsync(new WebhookReceipt("lago", "key-1", "wallet_transaction.updated", DateTimeOffset.UtcNow, "wt-1"));
        await receipts.RecordAsync(new WebhookReceipt("lago", "key-1", "wallet_transaction.updated", DateTimeOffset.UtcNow, "wt-1"));
        Assert.True(await receipts.ExistsAsync("lago", "key-1"));
        Assert.False(await receipts.ExistsAsync("lago", "key-2"));
        Assert.Single(_documents);
    }
}
