using System.Security.Cryptography;
using System.Text;
using CloneAI.Core.Progress;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Progress;

/// <summary>A tick as stored: the domain record plus the id and document type the container's queries filter on.</summary>
public sealed record ProgressTickDocument(string Id, string Type, string UserId, string CloneId, string ItemId, bool Done, DateTimeOffset? DoneAt, DateTimeOffset UpdatedAt)
{
    public ProgressTick ToTick() => new() { UserId = UserId, CloneId = CloneId, ItemId = ItemId, Done = Done, DoneAt = DoneAt, UpdatedAt = UpdatedAt };
}

/// <summary>
/// Checklist ticks in the Cosmos container <c>memories</c>, partition key <c>/userId</c>, as their own document type
/// (<see cref="TickType"/>) beside the user's memory items and per-clone settings: a user's ticks with a clone are one
/// single-partition query. The id is <c>tick|&lt;sha-256 of clone id and item id&gt;</c> (an item id may hold characters an
/// id may not), so a tick of an item is one document, upserted.
/// </summary>
public sealed class CosmosProgressTickStore(Container memories) : IProgressTickStore
{
    public const string TickType = "progress-tick";
    public const string IdPrefix = "tick|";

    public async Task<IReadOnlyList<ProgressTick>> ListAsync(string userId, string cloneId, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.cloneId = @cloneId")
            .WithParameter("@type", TickType).WithParameter("@cloneId", cloneId);
        var result = new List<ProgressTick>();
        using var iterator = memories.GetItemQueryIterator<ProgressTickDocument>(query,
            requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(userId) });
        while (iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync(cancellationToken);
            result.AddRange(page.Resource.Where(d => d.UserId == userId).Select(d => d.ToTick()));
        }
        return result;
    }

    public async Task<ProgressTick> UpsertAsync(ProgressTick tick, CancellationToken cancellationToken = default)
    {
        var document = new ProgressTickDocument(Id(tick.CloneId, tick.ItemId), TickType, tick.UserId, tick.CloneId, tick.ItemId, tick.Done, tick.DoneAt, tick.UpdatedAt);
        var response = await memories.UpsertItemAsync(document, new PartitionKey(tick.UserId), cancellationToken: cancellationToken);
        return (response.Resource ?? document).ToTick();
    }

    public static string Id(string cloneId, string itemId) =>
        IdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cloneId + "\n" + itemId)));
}
