using System.Net;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Summaries;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Summaries;

/// <summary>A summary as stored: the domain record plus the fields queries filter on (epoch milliseconds compare as numbers).</summary>
public sealed record SummaryItem(string Id, string UserId, string Type, string CloneId, long EndedMs, SessionSummary Summary);

/// <summary>
/// Session summaries in the Cosmos container <c>summaries</c>, partition key <c>/userId</c>: the id is the session's, so a
/// second write of one conflicts and stores nothing, and a user's summary is one point read.
/// </summary>
public sealed class CosmosSessionSummaryStore(Container summaries) : ISessionSummaryStore
{
    public const string SummaryType = "summary";

    public async Task<bool> TryAddAsync(SessionSummary summary, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(summary.SessionId)) throw new ArgumentException("This session id cannot be stored.", nameof(summary));
        try
        {
            await summaries.CreateItemAsync(Item(summary), new PartitionKey(summary.UserId), cancellationToken: cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public async Task<SessionSummary?> GetAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(sessionId)) return null;
        try
        {
            var response = await summaries.ReadItemAsync<SummaryItem>(sessionId, new PartitionKey(userId), cancellationToken: cancellationToken);
            return response.Resource.Summary;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<SessionSummary>> ListAsync(string userId, string? cloneId, int max, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.type = @type" + (cloneId is null ? "" : " AND c.cloneId = @clone") + " ORDER BY c.endedMs DESC")
            .WithParameter("@max", max).WithParameter("@type", SummaryType);
        if (cloneId is not null) query = query.WithParameter("@clone", cloneId);
        return (await CosmosPaging.ReadAllAsync<SummaryItem>(summaries, query, new PartitionKey(userId), cancellationToken)).Select(i => i.Summary).ToList();
    }

    public async Task MarkReceiptSentAsync(string userId, string sessionId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var summary = await GetAsync(userId, sessionId, cancellationToken);
        if (summary is null || summary.ReceiptSentAt is not null) return;
        try
        {
            await summaries.ReplaceItemAsync(Item(summary with { ReceiptSentAt = at }), sessionId, new PartitionKey(userId), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Deleted meanwhile (with its session): nothing to record.
        }
    }

    public async Task<bool> DeleteAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(sessionId)) return false;
        try
        {
            await summaries.DeleteItemAsync<SummaryItem>(sessionId, new PartitionKey(userId), cancellationToken: cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public static SummaryItem Item(SessionSummary s) => new(s.SessionId, s.UserId, SummaryType, s.CloneId, s.SessionEndedAt.ToUnixTimeMilliseconds(), s);
}
