using System.Net;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Cosmos;

/// <summary>Reading query results page by page (Cosmos continuation tokens) or to the end.</summary>
internal static class CosmosPaging
{
    /// <summary>
    /// One page of up to <paramref name="pageSize"/> items. A query may hand back short or empty pages with a continuation,
    /// so this keeps reading (asking only for what is still missing) until the page is full or the results end, and returns
    /// the continuation that resumes exactly after the last item returned. A token Cosmos refuses is a validation error.
    /// </summary>
    public static async Task<Page<T>> ReadPageAsync<T>(Container container, QueryDefinition definition, int pageSize,
        string? continuationToken, PartitionKey? partitionKey, CancellationToken cancellationToken)
    {
        var items = new List<T>(pageSize);
        var token = string.IsNullOrWhiteSpace(continuationToken) ? null : continuationToken;
        try
        {
            do
            {
                var options = new QueryRequestOptions { MaxItemCount = pageSize - items.Count, PartitionKey = partitionKey };
                using var iterator = container.GetItemQueryIterator<T>(definition, token, options);
                if (!iterator.HasMoreResults) { token = null; break; }
                var page = await iterator.ReadNextAsync(cancellationToken);
                items.AddRange(page.Resource ?? []);
                token = page.ContinuationToken;
            }
            while (token is not null && items.Count < pageSize);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.BadRequest && continuationToken is not null)
        {
            throw new ValidationException("continuationToken", "This continuation token is not valid. Start again from the first page.");
        }
        return new Page<T>(items, token);
    }

    /// <summary>Every result of the query.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(Container container, QueryDefinition definition, PartitionKey? partitionKey,
        CancellationToken cancellationToken)
    {
        var items = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>(definition, requestOptions: new QueryRequestOptions { PartitionKey = partitionKey });
        while (iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync(cancellationToken);
            items.AddRange(page.Resource ?? []);
        }
        return items;
    }
}
