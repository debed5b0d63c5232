using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using CloneAI.Core.Chat;
using CloneAI.Azure.Cosmos;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Chat;

/// <summary>One user's record for one clone as stored (id <c>audience|&lt;sha-256 of the clone id&gt;</c>, in the user's partition).</summary>
/// <remarks><see cref="ETag"/> is Cosmos's <c>_etag</c>, read back and never written.</remarks>
public sealed record CloneAudienceDocument(string Id, string Type, string UserId, string CloneId, bool Counted, int? Stars, string? SessionId, DateTimeOffset? RatedAt,
    [property: JsonPropertyName("_etag"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ETag = null)
{
    public CloneAudienceEntry ToEntry() => new(CloneId, UserId, Counted, Stars, SessionId, RatedAt);
}

/// <summary>
/// Each user's use and rating of each clone in the Cosmos container <c>memories</c> (partition key <c>/userId</c>), as
/// documents of type <see cref="AudienceType"/> beside the user's memory items. A change is a create (409 when another got
/// there first) or an ETag-conditional replace (412), retried from a fresh read: one user's two sessions count them once.
/// </summary>
public sealed class CosmosCloneAudienceStore(Container memories) : ICloneAudienceStore
{
    public const string AudienceType = "clone-audience";
    public const string IdPrefix = "audience|";
    private const int Attempts = 10;

    public async Task<bool> AddUserAsync(string cloneId, string userId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = await ReadAsync(cloneId, userId, cancellationToken);
            if (existing is { Counted: true }) return false;
            var next = existing is null
                ? new CloneAudienceDocument(Id(cloneId), AudienceType, userId, cloneId, true, null, null, null)
                : existing with { Counted = true };
            if (await TryWriteAsync(next, existing?.ETag, cancellationToken)) return true;
            if (attempt == Attempts) throw new InvalidOperationException($"Could not count user {userId} for clone {cloneId}: it kept changing.");
        }
    }

    public async Task<int?> SetRatingAsync(string cloneId, string userId, int stars, string sessionId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = await ReadAsync(cloneId, userId, cancellationToken);
            var next = (existing ?? new CloneAudienceDocument(Id(cloneId), AudienceType, userId, cloneId, false, null, null, null))
                with { Stars = stars, SessionId = sessionId, RatedAt = at };
            if (await TryWriteAsync(next, existing?.ETag, cancellationToken)) return existing?.Stars;
            if (attempt == Attempts) throw new InvalidOperationException($"Could not record the rating of user {userId} for clone {cloneId}: it kept changing.");
        }
    }

    public async Task<IReadOnlyList<CloneAudienceEntry>> ListByUserAsync(string userId, CancellationToken cancellationToken = default) =>
        (await ListDocumentsAsync(userId, cancellationToken)).Select(d => d.ToEntry()).ToList();

    public async Task DeleteUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        foreach (var doc in await ListDocumentsAsync(userId, cancellationToken))
        {
            try
            {
                await memories.DeleteItemAsync<CloneAudienceDocument>(doc.Id, new PartitionKey(userId), cancellationToken: cancellationToken);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }
    }

    public static string Id(string cloneId) => IdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cloneId)));

    private async Task<List<CloneAudienceDocument>> ListDocumentsAsync(string userId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type").WithParameter("@type", AudienceType);
        var result = new List<CloneAudienceDocument>();
        using var iterator = memories.GetItemQueryIterator<CloneAudienceDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(userId) });
        while (iterator.HasMoreResults)
            result.AddRange((await iterator.ReadNextAsync(cancellationToken)).Where(d => d.UserId == userId && d.Type == AudienceType));
        return result;
    }

    private async Task<CloneAudienceDocument?> ReadAsync(string cloneId, string userId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await memories.ReadItemAsync<CloneAudienceDocument>(Id(cloneId), new PartitionKey(userId), cancellationToken: cancellationToken);
            return response.Resource with { ETag = response.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Creates the document (no <paramref name="etag"/>) or replaces the version read; false when another write got there first.</summary>
    private Task<bool> TryWriteAsync(CloneAudienceDocument document, string? etag, CancellationToken cancellationToken) =>
        memories.TryCreateOrReplaceAsync(document with { ETag = null }, document.Id, new PartitionKey(document.UserId), etag, cancellationToken);
}
