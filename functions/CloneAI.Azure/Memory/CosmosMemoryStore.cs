using System.Net;
using System.Text.Json.Serialization;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Errors;
using CloneAI.Core.Memory;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Memory;

/// <summary>A memory item as stored: the domain record plus the fields queries filter on.</summary>
/// <remarks><see cref="ETag"/> is Cosmos's <c>_etag</c>, read back and never written.</remarks>
public sealed record MemoryDocument(string Id, string UserId, string Type, string? CloneId, string? SessionId, long CreatedMs, MemoryItem Item,
    [property: JsonPropertyName("_etag"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ETag = null)
{
    public MemoryItem WithETag(string? etag = null) => Item with { ETag = etag ?? ETag };
}

/// <summary>A user's settings for one clone as stored (id <c>prefs|{cloneId}</c>).</summary>
public sealed record ClonePreferencesDocument(string Id, string UserId, string Type, string CloneId, ClonePreferences Preferences);

/// <summary>
/// Memory items in the Cosmos container <c>memories</c>, partition key <c>/userId</c>: every read and write names the user's
/// partition, so no call reaches another user's memory. Items are documents of type <c>memory</c> (id = the item's id); a
/// replace is conditional on the ETag (412 → <see cref="ConflictException"/>). Per-clone settings live in the same partition
/// (<see cref="CosmosClonePreferenceStore"/>).
/// </summary>
public sealed class CosmosMemoryStore(Container memories) : IMemoryStore
{
    public const string MemoryType = "memory";

    public async Task<IReadOnlyList<MemoryItem>> ListAsync(string userId, string? cloneId, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(userId)) return [];
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type ORDER BY c.createdMs").WithParameter("@type", MemoryType);
        var items = new List<MemoryItem>();
        using var iterator = memories.GetItemQueryIterator<MemoryDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(userId) });
        while (iterator.HasMoreResults)
        {
            foreach (var doc in await iterator.ReadNextAsync(cancellationToken))
                if (doc.UserId == userId && (cloneId is null || doc.CloneId is null || doc.CloneId == cloneId)) items.Add(doc.WithETag());
        }
        return items;
    }

    public async Task<MemoryItem?> GetAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(userId) || !CosmosIds.IsValid(id) || id.StartsWith(CosmosClonePreferenceStore.IdPrefix, StringComparison.Ordinal)) return null;
        try
        {
            var response = await memories.ReadItemAsync<MemoryDocument>(id, new PartitionKey(userId), cancellationToken: cancellationToken);
            return response.Resource.Type == MemoryType ? response.Resource.WithETag(response.ETag) : null;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<MemoryItem> UpsertAsync(MemoryItem item, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(item.Id) || !CosmosIds.IsValid(item.UserId) || item.Id.StartsWith(CosmosClonePreferenceStore.IdPrefix, StringComparison.Ordinal))
            throw new ValidationException("id", "This id cannot be stored.");
        var doc = new MemoryDocument(item.Id, item.UserId, MemoryType, item.CloneId, item.Source?.SessionId, item.CreatedAt.ToUnixTimeMilliseconds(), item with { ETag = null });
        try
        {
            var response = item.ETag is null
                ? await memories.UpsertItemAsync(doc, new PartitionKey(item.UserId), cancellationToken: cancellationToken)
                : await memories.ReplaceItemAsync(doc, item.Id, new PartitionKey(item.UserId), new ItemRequestOptions { IfMatchEtag = item.ETag }, cancellationToken);
            return item with { ETag = response.ETag };
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            throw new ConflictException("This memory item was changed or deleted meanwhile. Reload and try again.");
        }
    }

    public async Task<bool> DeleteAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(userId, id, cancellationToken) is null) return false;
        try
        {
            await memories.DeleteItemAsync<MemoryDocument>(id, new PartitionKey(userId), cancellationToken: cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<int> DeleteFromSessionAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(userId)) return 0;
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.sessionId = @session")
            .WithParameter("@type", MemoryType).WithParameter("@session", sessionId);
        var ids = new List<string>();
        using (var iterator = memories.GetItemQueryIterator<MemoryDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(userId) }))
        {
            while (iterator.HasMoreResults)
                foreach (var doc in await iterator.ReadNextAsync(cancellationToken)) ids.Add(doc.Id);
        }
        var deleted = 0;
        foreach (var id in ids)
        {
            try
            {
                await memories.DeleteItemAsync<MemoryDocument>(id, new PartitionKey(userId), cancellationToken: cancellationToken);
                deleted++;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // Deleted meanwhile.
            }
        }
        return deleted;
    }
}

/// <summary>Users' per-clone settings in the container <c>memories</c>: one document per user and clone, id <c>prefs|{cloneId}</c>, type <c>clone-preferences</c>.</summary>
public sealed class CosmosClonePreferenceStore(Container memories) : IClonePreferenceStore
{
    public const string PreferencesType = "clone-preferences";
    public const string IdPrefix = "prefs|";

    public async Task<ClonePreferences?> GetAsync(string userId, string cloneId, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(userId) || !CosmosIds.IsValid(IdPrefix + cloneId)) return null;
        try
        {
            var response = await memories.ReadItemAsync<ClonePreferencesDocument>(IdPrefix + cloneId, new PartitionKey(userId), cancellationToken: cancellationToken);
            return response.Resource.Type == PreferencesType ? response.Resource.Preferences : null;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<ClonePreferences> UpsertAsync(ClonePreferences preferences, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(preferences.UserId) || !CosmosIds.IsValid(IdPrefix + preferences.CloneId)) throw new ValidationException("cloneId", "This id cannot be stored.");
        var doc = new ClonePreferencesDocument(IdPrefix + preferences.CloneId, preferences.UserId, PreferencesType, preferences.CloneId, preferences);
        await memories.UpsertItemAsync(doc, new PartitionKey(preferences.UserId), cancellationToken: cancellationToken);
        return preferences;
    }
}
