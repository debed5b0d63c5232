using System.Net;
using CloneAI.Core.Users;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Users;

/// <summary>A deleted account in the container <c>privacy</c>: the partition is the hash of its id, never the id.</summary>
public sealed record DeletedAccountItem(string Id, string UserId, string Type, long DeletedMs);

/// <summary>Deleted accounts by the hash of their id (<see cref="DeletedAccountKeys"/>), one document each in the container <c>privacy</c>.</summary>
public sealed class CosmosDeletedAccounts(Container privacy) : IDeletedAccounts
{
    public const string Type = "deleted-account";
    public const string ItemId = "deleted-account";

    public async Task RememberAsync(string userId, DateTimeOffset deletedAt, CancellationToken cancellationToken = default)
    {
        var key = DeletedAccountKeys.Of(userId);
        var item = new DeletedAccountItem(ItemId, key, Type, deletedAt.ToUnixTimeMilliseconds());
        try
        {
            await privacy.CreateItemAsync(item, new PartitionKey(key), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            var held = await privacy.ReadItemAsync<DeletedAccountItem>(ItemId, new PartitionKey(key), cancellationToken: cancellationToken);
            if (held.Resource.DeletedMs >= item.DeletedMs) return;
            await privacy.ReplaceItemAsync(item, ItemId, new PartitionKey(key), new ItemRequestOptions { IfMatchEtag = held.ETag }, cancellationToken);
        }
    }

    public async Task<DateTimeOffset?> DeletedAtAsync(string userId, CancellationToken cancellationToken = default)
    {
        var key = DeletedAccountKeys.Of(userId);
        try
        {
            var held = await privacy.ReadItemAsync<DeletedAccountItem>(ItemId, new PartitionKey(key), cancellationToken: cancellationToken);
            return DateTimeOffset.FromUnixTimeMilliseconds(held.Resource.DeletedMs);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
