using System.Net;
using CloneAI.Core.Errors;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Cosmos;

/// <summary>
/// A uniqueness reservation: a document whose <c>id</c> is the unique value (a slug, or <c>email|&lt;sha256&gt;</c>), so
/// Cosmos' per-partition id uniqueness (partition key <c>/id</c>) enforces it across the whole container.
/// </summary>
public sealed record Reservation
{
    public required string Id { get; init; }
    /// <summary>The id of the clone or user that holds the value.</summary>
    public required string OwnerId { get; init; }
    /// <summary><c>slug</c> or <c>email</c>.</summary>
    public required string Kind { get; init; }
    public DateTimeOffset ReservedAt { get; init; }
    public string? ETag { get; init; }
}

/// <summary>Reserve, take over and release <see cref="Reservation"/> documents in a container partitioned by <c>/id</c>.</summary>
internal sealed class Reservations(Container container, string kind, TimeProvider time)
{
    /// <summary>How long a reservation whose owner does not (yet) hold the value is left alone before it may be taken over.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    public async Task<Reservation?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReadItemAsync<Reservation>(id, new PartitionKey(id), cancellationToken: cancellationToken);
            return response.Resource with { ETag = response.ETag ?? response.Resource.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Reserves <paramref name="id"/> for <paramref name="ownerId"/>. Returns true when this call created (or took over) the
    /// reservation, false when <paramref name="ownerId"/> already held it. Throws <see cref="ConflictException"/> when someone
    /// else holds it. A reservation left behind by a failed write (its owner does not hold the value, per
    /// <paramref name="ownerHolds"/>, and it is older than <see cref="Grace"/>) is taken over.
    /// </summary>
    public async Task<bool> ReserveAsync(string id, string ownerId, Func<string, CancellationToken, Task<bool>> ownerHolds,
        string takenMessage, CancellationToken cancellationToken)
    {
        var reservation = new Reservation { Id = id, OwnerId = ownerId, Kind = kind, ReservedAt = time.GetUtcNow() };
        try
        {
            await container.CreateItemAsync(reservation, new PartitionKey(id), cancellationToken: cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
        }

        var existing = await ReadAsync(id, cancellationToken);
        if (existing is null)
        {
            // Released between our create and read: try once more, and let a second conflict stand.
            try
            {
                await container.CreateItemAsync(reservation, new PartitionKey(id), cancellationToken: cancellationToken);
                return true;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                throw new ConflictException(takenMessage);
            }
        }
        if (existing.OwnerId == ownerId) return false;
        if (time.GetUtcNow() - existing.ReservedAt < Grace || await ownerHolds(existing.OwnerId, cancellationToken))
            throw new ConflictException(takenMessage);

        try
        {
            await container.ReplaceItemAsync(reservation, id, new PartitionKey(id),
                new ItemRequestOptions { IfMatchEtag = existing.ETag }, cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            throw new ConflictException(takenMessage);
        }
    }

    /// <summary>Deletes the reservation if <paramref name="ownerId"/> still holds it. Best effort: a leftover is taken over later.</summary>
    public async Task ReleaseAsync(string id, string ownerId)
    {
        try
        {
            var existing = await ReadAsync(id, CancellationToken.None);
            if (existing is null || existing.OwnerId != ownerId) return;
            await container.DeleteItemAsync<Reservation>(id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = existing.ETag });
        }
        catch (CosmosException)
        {
            // Left behind; ReserveAsync takes it over once its owner no longer holds the value.
        }
    }
}
