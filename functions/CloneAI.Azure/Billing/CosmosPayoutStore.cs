using System.Net;
using System.Text.Json.Serialization;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Billing;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Billing;

/// <summary>A payout as stored: the domain record plus the fields queries filter and sort on.</summary>
/// <remarks><see cref="ETag"/> is Cosmos's <c>_etag</c>, read with query results and never written.</remarks>
public sealed record PayoutItem(string Id, string CreatorId, string Type, string Status, string IdempotencyKey, long Amount, long CreatedMs, Payout Payout,
    [property: JsonPropertyName("_etag"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ETag = null)
{
    public Payout WithETag() => Payout with { ETag = ETag };
}

/// <summary>Holds one idempotency key of a creator's payouts: created in the same batch as the payout, so a key is used once.</summary>
public sealed record PayoutKeyItem(string Id, string CreatorId, string Type, string PayoutId);

/// <summary>A creator's connected Stripe account, in their partition under the fixed id <c>account</c>.</summary>
public sealed record PayoutAccountItem(string Id, string CreatorId, string Type, PayoutAccount Account);

/// <summary>
/// Payouts in the Cosmos container <c>payouts</c>, partition key <c>/creatorId</c>: a creator's payouts, their idempotency-key
/// reservations (<c>key|{idempotencyKey}</c>) and their payout account share one logical partition, so a payout and its key
/// are created in one transactional batch. A payout is replaced only while its ETag matches. An admin's listing by status and a
/// read by id alone are cross-partition queries.
/// </summary>
public sealed class CosmosPayoutStore(Container payouts) : IPayoutStore
{
    public const string PayoutType = "payout";
    public const string KeyType = "payout-key";
    public const string AccountType = "payout-account";
    public const string AccountId = "account";

    public static string KeyId(string idempotencyKey) => "key|" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(idempotencyKey)));

    public async Task<Payout> CreateAsync(Payout payout, CancellationToken cancellationToken = default)
    {
        var batch = payouts.CreateTransactionalBatch(new PartitionKey(payout.CreatorId))
            .CreateItem(new PayoutKeyItem(KeyId(payout.IdempotencyKey), payout.CreatorId, KeyType, payout.Id))
            .CreateItem(Item(payout));
        using var response = await batch.ExecuteAsync(cancellationToken);
        if (response.IsSuccessStatusCode) return payout with { ETag = response[1].ETag };
        if (Enumerable.Range(0, response.Count).Any(i => response[i].StatusCode == HttpStatusCode.Conflict))
            throw new ConflictException("A payout with this id or idempotency key exists.");
        throw new InvalidOperationException($"Storing the payout failed: {(int)response.StatusCode}.");
    }

    public async Task<Payout?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(id)) return null;
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.id = @id").WithParameter("@type", PayoutType).WithParameter("@id", id);
        return (await CosmosPaging.ReadAllAsync<PayoutItem>(payouts, query, null, cancellationToken)).FirstOrDefault()?.WithETag();
    }

    public async Task<Payout?> FindByKeyAsync(string creatorId, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.idempotencyKey = @key")
            .WithParameter("@type", PayoutType).WithParameter("@key", idempotencyKey);
        return (await CosmosPaging.ReadAllAsync<PayoutItem>(payouts, query, new PartitionKey(creatorId), cancellationToken)).FirstOrDefault()?.WithETag();
    }

    public async Task<Payout> ReplaceAsync(Payout payout, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await payouts.ReplaceItemAsync(Item(payout), payout.Id, new PartitionKey(payout.CreatorId),
                new ItemRequestOptions { IfMatchEtag = payout.ETag }, cancellationToken);
            return payout with { ETag = response.ETag };
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            throw new ConflictException("The payout was changed by another request. Reload and try again.");
        }
    }

    public async Task<Page<Payout>> ListByCreatorAsync(string creatorId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type ORDER BY c.createdMs DESC").WithParameter("@type", PayoutType);
        var page = await CosmosPaging.ReadPageAsync<PayoutItem>(payouts, query, pageSize, continuationToken, new PartitionKey(creatorId), cancellationToken);
        return new Page<Payout>(page.Items.Select(i => i.WithETag()).ToList(), page.ContinuationToken);
    }

    public async Task<Page<Payout>> ListByStatusAsync(string status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.status = @status ORDER BY c.createdMs")
            .WithParameter("@type", PayoutType).WithParameter("@status", status);
        var page = await CosmosPaging.ReadPageAsync<PayoutItem>(payouts, query, pageSize, continuationToken, null, cancellationToken);
        return new Page<Payout>(page.Items.Select(i => i.WithETag()).ToList(), page.ContinuationToken);
    }

    public async Task<long> SumAsync(string creatorId, string status, CancellationToken cancellationToken = default)
    {
        // The amounts are summed here: a creator's partition holds few payouts, and an aggregate of no rows has no value.
        var query = new QueryDefinition("SELECT VALUE c.amount FROM c WHERE c.type = @type AND c.status = @status")
            .WithParameter("@type", PayoutType).WithParameter("@status", status);
        return (await CosmosPaging.ReadAllAsync<long>(payouts, query, new PartitionKey(creatorId), cancellationToken)).Sum();
    }

    public async Task<PayoutAccount?> GetAccountAsync(string creatorId, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(creatorId)) return null;
        try
        {
            var response = await payouts.ReadItemAsync<PayoutAccountItem>(AccountId, new PartitionKey(creatorId), cancellationToken: cancellationToken);
            return response.Resource.Account;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<PayoutAccount> SetAccountAsync(PayoutAccount account, CancellationToken cancellationToken = default)
    {
        await payouts.UpsertItemAsync(new PayoutAccountItem(AccountId, account.CreatorId, AccountType, account), new PartitionKey(account.CreatorId),
            cancellationToken: cancellationToken);
        return account;
    }

    public static PayoutItem Item(Payout p) =>
        new(p.Id, p.CreatorId, PayoutType, p.Status, p.IdempotencyKey, p.Amount, p.CreatedAt.ToUnixTimeMilliseconds(), p with { ETag = null });
}
