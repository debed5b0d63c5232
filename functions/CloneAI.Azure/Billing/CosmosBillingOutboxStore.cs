using System.Net;
using System.Security.Cryptography;
using System.Text;
using CloneAI.Core.Billing;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Billing;

/// <summary>
/// The billing outbox in the Cosmos container <c>billing</c> (partition key <c>/id</c>): one document per usage key, id
/// <c>outbox|{sha-256 of the key}</c> (any key makes a valid id), created once (a second create is a 409, so the first stays).
/// Due events are found with a cross-partition query on <c>kind</c>, <c>status</c> and <c>nextAttemptAt</c> (unix ms).
/// </summary>
public sealed class CosmosBillingOutboxStore(Container billing) : IBillingOutboxStore
{
    public const string Kind = "outbox";

    public sealed record Document
    {
        public required string Id { get; init; }
        public string Kind { get; init; } = CosmosBillingOutboxStore.Kind;
        public required BillableUsage Usage { get; init; }
        public required string Status { get; init; }
        public int Attempts { get; init; }
        public long CreatedAt { get; init; }
        public long NextAttemptAt { get; init; }
        public long? SentAt { get; init; }
        public string? LastError { get; init; }

        public OutboxEvent ToEvent() => new(Usage, Status, Attempts, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
            DateTimeOffset.FromUnixTimeMilliseconds(NextAttemptAt), SentAt is { } s ? DateTimeOffset.FromUnixTimeMilliseconds(s) : null, LastError);
    }

    public static string IdOf(string key) => Kind + "|" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async Task<bool> AddAsync(BillableUsage usage, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var at = now.ToUnixTimeMilliseconds();
        var document = new Document { Id = IdOf(usage.Key), Usage = usage, Status = OutboxStatus.Pending, CreatedAt = at, NextAttemptAt = at };
        try
        {
            await billing.CreateItemAsync(document, new PartitionKey(document.Id), cancellationToken: cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<OutboxEvent>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.kind = @kind AND c.status = @status AND c.nextAttemptAt <= @now")
            .WithParameter("@kind", Kind).WithParameter("@status", OutboxStatus.Pending).WithParameter("@now", now.ToUnixTimeMilliseconds());
        var due = await QueryAsync(query, cancellationToken);
        return due.OrderBy(d => d.NextAttemptAt).ThenBy(d => d.CreatedAt).Take(limit).Select(d => d.ToEvent()).ToList();
    }

    public async Task<OutboxEvent?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        (await ReadAsync(key, cancellationToken))?.ToEvent();

    public async Task<IReadOnlyList<OutboxEvent>> FailedAsync(int limit, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.kind = @kind AND c.status = @status")
            .WithParameter("@kind", Kind).WithParameter("@status", OutboxStatus.Failed);
        return (await QueryAsync(query, cancellationToken)).OrderByDescending(d => d.CreatedAt).Take(limit).Select(d => d.ToEvent()).ToList();
    }

    public Task MarkSentAsync(string key, int attempts, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        UpdateAsync(key, d => d with { Status = OutboxStatus.Sent, Attempts = attempts, SentAt = at.ToUnixTimeMilliseconds(), LastError = null }, cancellationToken);

    public Task MarkRetryAsync(string key, int attempts, DateTimeOffset nextAttemptAt, string lastError, CancellationToken cancellationToken = default) =>
        UpdateAsync(key, d => d.Status != OutboxStatus.Pending ? d
            : d with { Attempts = attempts, NextAttemptAt = nextAttemptAt.ToUnixTimeMilliseconds(), LastError = lastError }, cancellationToken);

    public Task MarkFailedAsync(string key, int attempts, string lastError, CancellationToken cancellationToken = default) =>
        UpdateAsync(key, d => d with { Status = OutboxStatus.Failed, Attempts = attempts, LastError = lastError }, cancellationToken);

    private async Task<Document?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var id = IdOf(key);
        try
        {
            return (await billing.ReadItemAsync<Document>(id, new PartitionKey(id), cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task UpdateAsync(string key, Func<Document, Document> change, CancellationToken cancellationToken)
    {
        var document = await ReadAsync(key, cancellationToken);
        if (document is null) return;
        await billing.ReplaceItemAsync(change(document), document.Id, new PartitionKey(document.Id), cancellationToken: cancellationToken);
    }

    private async Task<List<Document>> QueryAsync(QueryDefinition query, CancellationToken cancellationToken)
    {
        var found = new List<Document>();
        using var iterator = billing.GetItemQueryIterator<Document>(query);
        while (iterator.HasMoreResults)
            found.AddRange((await iterator.ReadNextAsync(cancellationToken)).Resource);
        return found;
    }
}
