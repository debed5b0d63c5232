using System.Net;
using System.Text;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Azure.Cosmos;
using CloneAI.Azure.Cosmos;

namespace CloneAI.Azure.Clones;

/// <summary>
/// Clones in the Cosmos container <c>clones</c>, partition key <c>/id</c> (the clone id): reading, editing and chatting
/// with one clone are point operations, and the marketplace is a cross-partition query over published clones.
/// Slugs are unique through the container <c>slugs</c>, partition key <c>/id</c>, one document per slug whose id is the
/// slug and whose <c>ownerId</c> is the clone id. Create reserves the slug first and releases it if the clone cannot be
/// written; a rename reserves the new slug, replaces the clone, then releases the old slug. Replace is conditional on the
/// record's ETag: a 412 becomes a <see cref="ConflictException"/> (HTTP 409).
/// </summary>
public sealed class CosmosCloneStore(Container clones, Container slugs, Database database, TimeProvider time) : ICloneStore
{
    public const int MaxPageSize = 100;
    private const string SlugTaken = "This slug is taken. Choose another.";

    private readonly Reservations _slugs = new(slugs, "slug", time);

    public CosmosCloneStore(Container clones, Container slugs, Database database) : this(clones, slugs, database, TimeProvider.System) { }

    public async Task<Clone?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(id)) return null;
        try
        {
            return WithETag(await clones.ReadItemAsync<Clone>(id, new PartitionKey(id), cancellationToken: cancellationToken));
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Two point reads: the slug's reservation, then the clone it names.</summary>
    public async Task<Clone?> GetBySlugAsync(string slug, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(slug)) return null;
        var reservation = await _slugs.ReadAsync(slug, cancellationToken);
        if (reservation is null) return null;
        var clone = await GetAsync(reservation.OwnerId, cancellationToken);
        // A reservation left behind by an interrupted rename names a clone that has moved on.
        return clone is not null && clone.Slug == slug ? clone : null;
    }

    public async Task<Clone> CreateAsync(Clone clone, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(clone.Id)) throw new ValidationException("id", "This id cannot be stored.");
        if (!CosmosIds.IsValid(clone.Slug)) throw new ValidationException("slug", "This slug cannot be stored.");
        var reserved = await _slugs.ReserveAsync(clone.Slug, clone.Id, (ownerId, ct) => HoldsSlugAsync(ownerId, clone.Slug, ct), SlugTaken, cancellationToken);
        try
        {
            return WithETag(await clones.CreateItemAsync(clone with { ETag = null }, new PartitionKey(clone.Id), cancellationToken: cancellationToken));
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            if (reserved) await _slugs.ReleaseAsync(clone.Slug, clone.Id);
            throw new ConflictException("A clone with this id already exists.");
        }
        catch
        {
            if (reserved) await _slugs.ReleaseAsync(clone.Slug, clone.Id);
            throw;
        }
    }

    public async Task<Clone> ReplaceAsync(Clone clone, string? previousSlug, CancellationToken cancellationToken = default)
    {
        var renamed = previousSlug is not null && !string.Equals(previousSlug, clone.Slug, StringComparison.Ordinal);
        if (renamed && !CosmosIds.IsValid(clone.Slug)) throw new ValidationException("slug", "This slug cannot be stored.");
        var reserved = renamed
            && await _slugs.ReserveAsync(clone.Slug, clone.Id, (ownerId, ct) => HoldsSlugAsync(ownerId, clone.Slug, ct), SlugTaken, cancellationToken);
        Clone replaced;
        try
        {
            replaced = WithETag(await clones.ReplaceItemAsync(clone, clone.Id, new PartitionKey(clone.Id),
                new ItemRequestOptions { IfMatchEtag = clone.ETag }, cancellationToken));
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            if (reserved) await _slugs.ReleaseAsync(clone.Slug, clone.Id);
            throw e.StatusCode == HttpStatusCode.NotFound
                ? new NotFoundException("No such clone.")
                : new ConflictException("This clone was changed by someone else. Reload it and try again.");
        }
        catch
        {
            if (reserved) await _slugs.ReleaseAsync(clone.Slug, clone.Id);
            throw;
        }
        if (renamed) await _slugs.ReleaseAsync(previousSlug!, clone.Id);
        return replaced;
    }

    /// <summary>
    /// Published clones, filtered and sorted, one page at a time. The SQL text is built only from constant fragments;
    /// every value the caller supplies (text, category, prices, rating) is a query parameter. Paging uses Cosmos
    /// continuation tokens with <see cref="QueryRequestOptions.MaxItemCount"/> = page size.
    /// </summary>
    public Task<Page<Clone>> SearchPublishedAsync(MarketplaceQuery query, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder("SELECT * FROM c WHERE c.status = @status");
        var parameters = new List<(string Name, object Value)> { ("@status", CloneStatus.Published) };
        if (!string.IsNullOrWhiteSpace(query.Query))
        {
            sql.Append(" AND (CONTAINS(c.name, @q, true) OR CONTAINS(c.tagline, @q, true) OR CONTAINS(c.description, @q, true)")
               .Append(" OR EXISTS(SELECT VALUE t FROM t IN c.tags WHERE CONTAINS(t, @q, true)))");
            parameters.Add(("@q", query.Query.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(query.Category))
        {
            sql.Append(" AND c.category = @category");
            parameters.Add(("@category", query.Category));
        }
        if (query.MinPrice is { } minPrice)
        {
            sql.Append(" AND c.sortPrice >= @minPrice");
            parameters.Add(("@minPrice", minPrice));
        }
        if (query.MaxPrice is { } maxPrice)
        {
            sql.Append(" AND c.sortPrice <= @maxPrice");
            parameters.Add(("@maxPrice", maxPrice));
        }
        if (query.MinRating is { } minRating)
        {
            sql.Append(" AND c.rating >= @minRating");
            parameters.Add(("@minRating", minRating));
        }
        sql.Append(" ORDER BY ").Append(query.Sort switch
        {
            MarketplaceSort.Rating => "c.rating DESC",
            MarketplaceSort.Newest => "c.publishedAt DESC",
            MarketplaceSort.Price => "c.sortPrice ASC",
            // The default order: clones an admin featured first (a composite index in the Bicep), then the most used.
            _ => "c.featured DESC, c.sessionCount DESC",
        });

        var definition = new QueryDefinition(sql.ToString());
        foreach (var (name, value) in parameters) definition = definition.WithParameter(name, value);
        return ReadPageAsync(definition, query.PageSize, query.ContinuationToken, cancellationToken);
    }

    public Task<Page<Clone>> ListByOwnerAsync(string ownerId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var definition = new QueryDefinition("SELECT * FROM c WHERE c.ownerId = @ownerId AND c.status != @deleted ORDER BY c.createdAt DESC")
            .WithParameter("@ownerId", ownerId)
            .WithParameter("@deleted", CloneStatus.Deleted);
        return ReadPageAsync(definition, pageSize, continuationToken, cancellationToken);
    }

    /// <summary>Reads the database's properties: true when the account answers and the database exists.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await database.ReadAsync(cancellationToken: cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (CosmosException)
        {
            return false;
        }
    }

    private Task<Page<Clone>> ReadPageAsync(QueryDefinition definition, int pageSize, string? continuationToken, CancellationToken cancellationToken) =>
        CosmosPaging.ReadPageAsync<Clone>(clones, definition, Math.Clamp(pageSize, 1, MaxPageSize), continuationToken, partitionKey: null, cancellationToken);

    private async Task<bool> HoldsSlugAsync(string cloneId, string slug, CancellationToken cancellationToken) =>
        await GetAsync(cloneId, cancellationToken) is { } holder && string.Equals(holder.Slug, slug, StringComparison.Ordinal);

    private static Clone WithETag(ItemResponse<Clone> response) =>
        response.Resource with { ETag = response.ETag ?? response.Resource.ETag };
}
