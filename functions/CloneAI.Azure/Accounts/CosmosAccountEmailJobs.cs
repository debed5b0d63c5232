using System.Net;
using System.Text.Json.Serialization;
using CloneAI.Core.Accounts;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Accounts;

/// <summary>A queued account email as stored: times in unix milliseconds; the address in <c>address</c> (never <c>email</c>, which marks a user).</summary>
public sealed record AccountEmailJobDocument(string Id, string Type, string Kind, string Address, long CreatedAt, int Attempts, long DueAt,
    [property: JsonPropertyName("_etag"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ETag = null)
{
    public AccountEmailJob ToJob() =>
        new(Id[CosmosAccountEmailJobs.IdPrefix.Length..], Kind, Address, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt)) { Attempts = Attempts };
}

/// <summary>
/// Queued account emails in the Cosmos container <c>users</c> (partition key <c>/id</c>), one document each, id
/// <c>account-email|{job id}</c>, type <c>account-email-job</c>; user lookups never see them (they hold no <c>email</c>, and the
/// user store refuses the id prefix). Due jobs are found with a cross-partition query; a claim is a replace on the job's ETag,
/// so of two instances that found the same job only one gets it (the other's replace is a 412).
/// </summary>
public sealed class CosmosAccountEmailJobs(Container users) : IAccountEmailJobs
{
    public const string IdPrefix = "account-email|";
    public const string Type = "account-email-job";

    public async Task AddAsync(AccountEmailJob job, CancellationToken cancellationToken = default)
    {
        var at = job.CreatedAt.ToUnixTimeMilliseconds();
        var document = new AccountEmailJobDocument(IdPrefix + job.Id, Type, job.Kind, job.Address, at, job.Attempts, at);
        await users.CreateItemAsync(document, new PartitionKey(document.Id), cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<AccountEmailJob>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default)
    {
        // Few jobs are ever due at once (they are sent within seconds), so the oldest are picked here rather than by the query.
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.dueAt < @before")
            .WithParameter("@type", Type).WithParameter("@before", now.ToUnixTimeMilliseconds() + 1);
        var until = (now + lease).ToUnixTimeMilliseconds();
        var claimed = new List<AccountEmailJob>();
        foreach (var due in (await QueryAsync(query, cancellationToken)).OrderBy(d => d.DueAt).ThenBy(d => d.CreatedAt).Take(limit))
        {
            try
            {
                var response = await users.ReplaceItemAsync(due with { Attempts = due.Attempts + 1, DueAt = until, ETag = null }, due.Id, new PartitionKey(due.Id),
                    new ItemRequestOptions { IfMatchEtag = due.ETag }, cancellationToken);
                claimed.Add(response.Resource.ToJob());
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
            {
                // Another instance claimed (or finished) it first.
            }
        }
        return [.. claimed.OrderBy(j => j.CreatedAt)];
    }

    public async Task ReleaseAsync(string id, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        var documentId = IdPrefix + id;
        try
        {
            var held = (await users.ReadItemAsync<AccountEmailJobDocument>(documentId, new PartitionKey(documentId), cancellationToken: cancellationToken)).Resource;
            await users.ReplaceItemAsync(held with { DueAt = dueAt.ToUnixTimeMilliseconds(), ETag = null }, documentId, new PartitionKey(documentId),
                new ItemRequestOptions { IfMatchEtag = held.ETag }, cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            // Deleted, or claimed again, meanwhile.
        }
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        var documentId = IdPrefix + id;
        try
        {
            await users.DeleteItemAsync<AccountEmailJobDocument>(documentId, new PartitionKey(documentId), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    public async Task<int> DeleteByAddressAsync(string address, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.address = @address")
            .WithParameter("@type", Type).WithParameter("@address", address);
        var found = await QueryAsync(query, cancellationToken);
        foreach (var job in found) await DeleteAsync(job.Id[IdPrefix.Length..], cancellationToken);
        return found.Count;
    }

    private async Task<List<AccountEmailJobDocument>> QueryAsync(QueryDefinition query, CancellationToken cancellationToken)
    {
        var found = new List<AccountEmailJobDocument>();
        using var iterator = users.GetItemQueryIterator<AccountEmailJobDocument>(query);
        while (iterator.HasMoreResults)
            found.AddRange((await iterator.ReadNextAsync(cancellationToken)).Resource);
        return found;
    }
}
