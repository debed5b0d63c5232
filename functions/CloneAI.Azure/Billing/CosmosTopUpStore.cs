using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Billing;
using CloneAI.Core.Errors;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Billing;

/// <summary>A top-up as stored: the domain record plus the fields queries filter on.</summary>
/// <remarks><see cref="ETag"/> is Cosmos's <c>_etag</c>, read back with query results and never written.</remarks>
public sealed record TopUpItem(string Id, string UserId, string Type, string Provider, string? ProviderReference, string Status, long CreatedMs, TopUp TopUp,
    [property: JsonPropertyName("_etag"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ETag = null)
{
    public TopUp WithETag(string? etag = null) => TopUp with { ETag = etag ?? ETag };
}

/// <summary>The reservation of a user's idempotency key: which top-up it names.</summary>
public sealed record TopUpKeyItem(string Id, string UserId, string Type, string TopUpId);

/// <summary>
/// Top-ups in the Cosmos container <c>topups</c>, partition key <c>/userId</c>: a user's top-up is one point read. One
/// top-up per user and idempotency key: a key document (id <c>key|&lt;sha-256 of the key&gt;</c>) and the top-up are created
/// in one transactional batch in the user's partition, so a retry with the same key conflicts on the key document and reads
/// the first top-up. A notice names a top-up by id or by the provider's reference without its user: those lookups query
/// across partitions. Replace is conditional on the ETag (412 → <see cref="ConflictException"/>).
/// </summary>
public sealed class CosmosTopUpStore(Container topUps) : ITopUpStore
{
    public const string TopUpType = "topup";
    public const string KeyType = "key";
    public const string KeyPrefix = "key|";

    private const string ChangedElsewhere = "The top-up was changed by another request. Reload it and try again.";

    public async Task<TopUpCreation> CreateAsync(TopUp topUp, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(topUp.Id) || topUp.Id.StartsWith(KeyPrefix, StringComparison.Ordinal)) throw new ValidationException("id", "This id cannot be stored.");
        var key = new TopUpKeyItem(KeyId(topUp.IdempotencyKey), topUp.UserId, KeyType, topUp.Id);
        var batch = topUps.CreateTransactionalBatch(new PartitionKey(topUp.UserId))
            .CreateItem(key)
            .CreateItem(Item(topUp));
        using (var response = await batch.ExecuteAsync(cancellationToken))
        {
            if (response.IsSuccessStatusCode) return new TopUpCreation(topUp with { ETag = response[1].ETag }, true);
            var (index, status) = FailedOperation(response);
            if (index != 0 || status != HttpStatusCode.Conflict)
                throw (index, status) switch
                {
                    (1, HttpStatusCode.Conflict) => new ConflictException("A top-up with this id exists."),
                    _ => new InvalidOperationException($"Storing the top-up failed: operation {index} answered {(int)status}."),
                };
        }
        // The key is taken: the user created a top-up with it before.
        var reserved = await topUps.ReadItemAsync<TopUpKeyItem>(key.Id, new PartitionKey(topUp.UserId), cancellationToken: cancellationToken);
        var existing = await GetAsync(topUp.UserId, reserved.Resource.TopUpId, cancellationToken)
            ?? throw new InvalidOperationException("The top-up its idempotency key names is missing.");
        return new TopUpCreation(existing, false);
    }

    public async Task<TopUp?> GetAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(id) || !CosmosIds.IsValid(userId) || id.StartsWith(KeyPrefix, StringComparison.Ordinal)) return null;
        try
        {
            var response = await topUps.ReadItemAsync<TopUpItem>(id, new PartitionKey(userId), cancellationToken: cancellationToken);
            return response.Resource.Type == TopUpType ? response.Resource.WithETag(response.ETag) : null;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<TopUp?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(id)) return null;
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.id = @id").WithParameter("@type", TopUpType).WithParameter("@id", id);
        return (await CosmosPaging.ReadAllAsync<TopUpItem>(topUps, query, null, cancellationToken)).FirstOrDefault()?.WithETag();
    }

    public async Task<TopUp?> FindByProviderReferenceAsync(string provider, string providerReference, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.provider = @provider AND c.providerReference = @reference")
            .WithParameter("@type", TopUpType).WithParameter("@provider", provider).WithParameter("@reference", providerReference);
        return (await CosmosPaging.ReadAllAsync<TopUpItem>(topUps, query, null, cancellationToken)).FirstOrDefault()?.WithETag();
    }

    public async Task<TopUp> ReplaceAsync(TopUp topUp, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await topUps.ReplaceItemAsync(Item(topUp), topUp.Id, new PartitionKey(topUp.UserId),
                new ItemRequestOptions { IfMatchEtag = topUp.ETag }, cancellationToken);
            return topUp with { ETag = response.ETag };
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            throw new ConflictException(ChangedElsewhere);
        }
    }

    public static TopUpItem Item(TopUp t) =>
        new(t.Id, t.UserId, TopUpType, t.Provider, t.ProviderReference, t.Status, t.CreatedAt.ToUnixTimeMilliseconds(), t with { ETag = null });

    /// <summary>The key document's id: a hash, because a client's key may hold characters a Cosmos id may not.</summary>
    public static string KeyId(string idempotencyKey) =>
        KeyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));

    private static (int Index, HttpStatusCode Status) FailedOperation(TransactionalBatchResponse response)
    {
        for (var i = 0; i < response.Count; i++)
            if (response[i].StatusCode is not (HttpStatusCode.FailedDependency or HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent))
                return (i, response[i].StatusCode);
        return (-1, response.StatusCode);
    }
}
