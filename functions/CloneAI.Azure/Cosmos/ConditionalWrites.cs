using System.Net;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Cosmos;

/// <summary>Optimistic writes of a document read with its ETag: the stores that read, change and write back retry on false.</summary>
internal static class ConditionalWrites
{
    /// <summary>
    /// Creates <paramref name="document"/> (no <paramref name="etag"/>: it was not there when read) or replaces the version read;
    /// false when another write got there first (409 on create, 412 on replace, 404 when it was deleted meanwhile).
    /// </summary>
    public static async Task<bool> TryCreateOrReplaceAsync<T>(this Container container, T document, string id, PartitionKey partitionKey, string? etag,
        CancellationToken cancellationToken)
    {
        try
        {
            if (etag is null)
                await container.CreateItemAsync(document, partitionKey, cancellationToken: cancellationToken);
            else
                await container.ReplaceItemAsync(document, id, partitionKey, new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
