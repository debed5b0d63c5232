using System.Net;
using System.Security.Cryptography;
using System.Text;
using CloneAI.Core.Knowledge;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Knowledge;

/// <summary>One ingestion run's embedding work as stored (id <c>embedding|&lt;sha-256 of its key&gt;</c>, in the user's partition).</summary>
public sealed record EmbeddingUsageDocument(string Id, string Type, string UserId, string Day, string Key, long Characters, DateTimeOffset At);

/// <summary>
/// Embedding work per user and UTC day in the Cosmos container <c>memories</c> (partition key <c>/userId</c>), one document of
/// type <see cref="UsageType"/> per ingestion run (created once: a second create of the same run is a 409, ignored). The day's
/// total is a single-partition query, so the budget is shared by every instance and survives restarts.
/// </summary>
public sealed class CosmosEmbeddingUsageStore(Container memories) : IEmbeddingUsageStore
{
    public const string UsageType = "embedding-usage";
    public const string IdPrefix = "embedding|";

    public async Task<long> UsedAsync(string userId, string day, CancellationToken cancellationToken = default)
    {
        long total = 0;
        foreach (var doc in await ListAsync(userId, day, cancellationToken)) total += doc.Characters;
        return total;
    }

    public async Task AddAsync(string userId, string day, string key, long characters, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var document = new EmbeddingUsageDocument(Id(key), UsageType, userId, day, key, characters, at);
        try
        {
            await memories.CreateItemAsync(document, new PartitionKey(userId), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // This run was charged already (a retried step).
        }
    }

    public async Task DeleteUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        foreach (var doc in await ListAsync(userId, null, cancellationToken))
        {
            try
            {
                await memories.DeleteItemAsync<EmbeddingUsageDocument>(doc.Id, new PartitionKey(userId), cancellationToken: cancellationToken);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }
    }

    public static string Id(string key) => IdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private async Task<List<EmbeddingUsageDocument>> ListAsync(string userId, string? day, CancellationToken cancellationToken)
    {
        var query = day is null
            ? new QueryDefinition("SELECT * FROM c WHERE c.type = @type").WithParameter("@type", UsageType)
            : new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.day = @day").WithParameter("@type", UsageType).WithParameter("@day", day);
        var result = new List<EmbeddingUsageDocument>();
        using var iterator = memories.GetItemQueryIterator<EmbeddingUsageDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(userId) });
        while (iterator.HasMoreResults)
            result.AddRange((await iterator.ReadNextAsync(cancellationToken)).Where(d => d.UserId == userId && d.Type == UsageType && (day is null || d.Day == day)));
        return result;
    }
}
