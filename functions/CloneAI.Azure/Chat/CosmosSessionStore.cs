using System.Net;
using System.Text.Json.Serialization;
using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Azure.Cosmos;
using CloneAI.Azure.Cosmos;

namespace CloneAI.Azure.Chat;

/// <summary>A session as stored: the domain record plus the fields queries filter on (epoch milliseconds compare as numbers).</summary>
/// <remarks><see cref="ETag"/> is Cosmos's <c>_etag</c>, read with query results (so a listed session can be replaced on its ETag) and never written.</remarks>
public sealed record SessionItem(string Id, string SessionId, string Type, string UserId, string CloneId, string Status, long StartedMs, long LastActivityMs, ChatSession Session,
    [property: JsonPropertyName("_etag"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ETag = null)
{
    public ChatSession WithETag() => Session with { ETag = ETag };
}

public sealed record MessageItem(string Id, string SessionId, string Type, string Role, string? ClientMessageId, long Seq, SessionMessage Message);

/// <summary>A usage event as stored; <see cref="Unsettled"/> while its charge is not posted to the ledger (the sweep's filter).</summary>
public sealed record UsageItem(string Id, string SessionId, string Type, string CloneId, long CreatedMs, UsageEvent Usage, bool Unsettled = false)
{
    public static UsageItem Of(UsageEvent usage) =>
        new(usage.Id, usage.SessionId, CosmosSessionStore.UsageType, usage.CloneId, usage.CreatedAt.ToUnixTimeMilliseconds(), usage, usage.SettledAt is null);
}

/// <summary>
/// Sessions in the Cosmos container <c>sessions</c>, partition key <c>/sessionId</c>: a session, its messages and its usage
/// events share one logical partition, so an exchange (question, answer, usage event, the session's new totals) is one
/// transactional batch. A retried message conflicts on its deterministic ids and stores nothing; the session is replaced only
/// while its ETag matches (412 → <see cref="ConflictException"/>). A user's or a clone's sessions are cross-partition queries.
/// </summary>
public sealed class CosmosSessionStore(Container sessions) : ISessionStore
{
    public const string SessionType = "session";
    public const string MessageType = "message";
    public const string UsageType = "usage";

    /// <summary>A session its user has not deleted.</summary>
    private const string NotDeleted = "(NOT IS_DEFINED(c.session.deletedAt) OR IS_NULL(c.session.deletedAt))";

    private const string ChangedElsewhere = "The session was changed by another request. Reload and try again.";

    public async Task<ChatSession> CreateAsync(ChatSession session, SessionMessage? greeting, CancellationToken cancellationToken = default)
    {
        if (greeting is null)
        {
            try
            {
                var response = await sessions.CreateItemAsync(Item(session), new PartitionKey(session.Id), cancellationToken: cancellationToken);
                return session with { ETag = response.ETag };
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                throw new ConflictException("A session with this id exists.");
            }
        }
        // The session and its greeting share the session's partition: one transactional batch stores both or neither.
        var batch = sessions.CreateTransactionalBatch(new PartitionKey(session.Id))
            .CreateItem(Item(session))
            .CreateItem(Item(greeting, greeting.CreatedAt.ToUnixTimeMilliseconds() * 10));
        using var created = await batch.ExecuteAsync(cancellationToken);
        if (created.IsSuccessStatusCode) return session with { ETag = created[0].ETag };
        var (index, status) = FailedOperation(created);
        throw (index, status) switch
        {
            (0 or 1, HttpStatusCode.Conflict) => new ConflictException("A session with this id exists."),
            _ => new InvalidOperationException($"Starting the session failed: operation {index} answered {(int)status}."),
        };
    }

    public async Task<ChatSession?> GetAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(sessionId)) return null;
        try
        {
            var response = await sessions.ReadItemAsync<SessionItem>(sessionId, new PartitionKey(sessionId), cancellationToken: cancellationToken);
            return response.Resource.Session with { ETag = response.ETag ?? response.Resource.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<ChatSession> ReplaceAsync(ChatSession session, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await sessions.ReplaceItemAsync(Item(session), session.Id, new PartitionKey(session.Id),
                new ItemRequestOptions { IfMatchEtag = session.ETag }, cancellationToken);
            return session with { ETag = response.ETag };
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            throw new ConflictException(ChangedElsewhere);
        }
    }

    public async Task<Page<ChatSession>> ListByUserAsync(string userId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.userId = @user AND " + NotDeleted + " ORDER BY c.startedMs DESC")
            .WithParameter("@type", SessionType).WithParameter("@user", userId);
        var page = await CosmosPaging.ReadPageAsync<SessionItem>(sessions, query, pageSize, continuationToken, null, cancellationToken);
        return new Page<ChatSession>(page.Items.Select(i => i.WithETag()).ToList(), page.ContinuationToken);
    }

    public async Task<IReadOnlyList<ChatSession>> ListExpiredAsync(DateTimeOffset idleBefore, DateTimeOffset startedBefore, int max, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition(
                "SELECT TOP @max * FROM c WHERE c.type = @type AND c.status = @active AND (c.lastActivityMs < @idle OR c.startedMs < @started)")
            .WithParameter("@max", max).WithParameter("@type", SessionType).WithParameter("@active", SessionStatus.Active)
            .WithParameter("@idle", idleBefore.ToUnixTimeMilliseconds()).WithParameter("@started", startedBefore.ToUnixTimeMilliseconds());
        return (await CosmosPaging.ReadAllAsync<SessionItem>(sessions, query, null, cancellationToken)).Select(i => i.WithETag()).ToList();
    }

    public async Task<IReadOnlyList<SessionMessage>> GetMessagesAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(sessionId)) return [];
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type ORDER BY c.seq").WithParameter("@type", MessageType);
        return (await CosmosPaging.ReadAllAsync<MessageItem>(sessions, query, new PartitionKey(sessionId), cancellationToken)).Select(m => m.Message).ToList();
    }

    public async Task<SessionMessage?> FindAnswerAsync(string sessionId, string clientMessageId, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(sessionId)) return null;
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.role = @role AND c.clientMessageId = @key")
            .WithParameter("@type", MessageType).WithParameter("@role", MessageRoles.Assistant).WithParameter("@key", clientMessageId);
        return (await CosmosPaging.ReadAllAsync<MessageItem>(sessions, query, new PartitionKey(sessionId), cancellationToken)).FirstOrDefault()?.Message;
    }

    public async Task<bool> AddExchangeAsync(ChatSession session, SessionMessage question, SessionMessage answer, UsageEvent usage, CancellationToken cancellationToken = default)
    {
        var seq = question.CreatedAt.ToUnixTimeMilliseconds() * 10;
        var batch = sessions.CreateTransactionalBatch(new PartitionKey(session.Id))
            .CreateItem(Item(question, seq))
            .CreateItem(Item(answer, seq + 1))
            .CreateItem(UsageItem.Of(usage))
            .ReplaceItem(session.Id, Item(session), new TransactionalBatchItemRequestOptions { IfMatchEtag = session.ETag });
        using var response = await batch.ExecuteAsync(cancellationToken);
        if (response.IsSuccessStatusCode) return true;
        var (index, status) = FailedOperation(response);
        return (index, status) switch
        {
            (0 or 1 or 2, HttpStatusCode.Conflict) => false, // this message was stored already
            (3, HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound) => throw new ConflictException(ChangedElsewhere),
            _ => throw new InvalidOperationException($"Storing the exchange failed: operation {index} answered {(int)status}."),
        };
    }

    public Task<ChatSession> EndAsync(ChatSession session, IReadOnlyList<UsageEvent> minutes, CancellationToken cancellationToken = default) =>
        RecordAsync(session, minutes, "Ending the session", cancellationToken);

    public Task<ChatSession> RecordUsageAsync(ChatSession session, IReadOnlyList<UsageEvent> usage, CancellationToken cancellationToken = default) =>
        RecordAsync(session, usage, "Recording the session's usage", cancellationToken);

    /// <summary>
    /// The session's replacement (on its ETag) and its usage events in one transactional batch. A batch holds 100 operations: events
    /// beyond that are upserted first (an event is kept once per key, and its charge is posted once per key, so one stored ahead
    /// of a batch that then fails is charged once, when its minute is reached again).
    /// </summary>
    private async Task<ChatSession> RecordAsync(ChatSession session, IReadOnlyList<UsageEvent> usage, string what, CancellationToken cancellationToken)
    {
        const int inBatch = 99;
        foreach (var ahead in usage.Take(Math.Max(0, usage.Count - inBatch)))
            await sessions.UpsertItemAsync(UsageItem.Of(ahead), new PartitionKey(session.Id), cancellationToken: cancellationToken);
        var batch = sessions.CreateTransactionalBatch(new PartitionKey(session.Id))
            .ReplaceItem(session.Id, Item(session), new TransactionalBatchItemRequestOptions { IfMatchEtag = session.ETag });
        foreach (var u in usage.Skip(Math.Max(0, usage.Count - inBatch))) batch = batch.UpsertItem(UsageItem.Of(u));
        using var response = await batch.ExecuteAsync(cancellationToken);
        if (response.IsSuccessStatusCode) return session with { ETag = response[0].ETag };
        var (index, status) = FailedOperation(response);
        throw (index, status) switch
        {
            (0, HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound) => new ConflictException(ChangedElsewhere),
            _ => new InvalidOperationException($"{what} failed: operation {index} answered {(int)status}."),
        };
    }

    public async Task MarkSettledAsync(UsageEvent usage, long charged, DateTimeOffset settledAt, CancellationToken cancellationToken = default) =>
        await sessions.UpsertItemAsync(UsageItem.Of(usage with { SettledAt = settledAt, Charged = charged }), new PartitionKey(usage.SessionId), cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<UsageEvent>> ListUnsettledAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.type = @type AND c.unsettled = true AND c.createdMs < @before ORDER BY c.createdMs")
            .WithParameter("@max", max).WithParameter("@type", UsageType).WithParameter("@before", createdBefore.ToUnixTimeMilliseconds());
        return (await CosmosPaging.ReadAllAsync<UsageItem>(sessions, query, null, cancellationToken)).Select(u => u.Usage).ToList();
    }

    public async Task<IReadOnlyList<UsageEvent>> GetUsageAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(sessionId)) return [];
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type ORDER BY c.createdMs").WithParameter("@type", UsageType);
        return (await CosmosPaging.ReadAllAsync<UsageItem>(sessions, query, new PartitionKey(sessionId), cancellationToken)).Select(u => u.Usage).ToList();
    }

    public async Task<CloneSessionStats> GetCloneStatsAsync(string cloneId, string currency, CancellationToken cancellationToken = default)
    {
        var all = (await CosmosPaging.ReadAllAsync<SessionItem>(sessions,
            new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.cloneId = @clone").WithParameter("@type", SessionType).WithParameter("@clone", cloneId),
            null, cancellationToken)).Select(i => i.WithETag());
        var usage = await CosmosPaging.ReadAllAsync<UsageItem>(sessions,
            new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.cloneId = @clone").WithParameter("@type", UsageType).WithParameter("@clone", cloneId),
            null, cancellationToken);
        return CloneSessionStats.Of(all, usage.Select(u => u.Usage), currency);
    }

    public async Task<IReadOnlyList<ChatSession>> ListEndedAsync(DateTimeOffset endedSince, int max, CancellationToken cancellationToken = default)
    {
        // A session ends at or after its last activity, and never more than a day after it: the stored number narrows the query,
        // the end itself decides.
        var query = new QueryDefinition(
                "SELECT * FROM c WHERE c.type = @type AND c.status = @ended AND c.lastActivityMs >= @floor AND " + NotDeleted + " ORDER BY c.lastActivityMs")
            .WithParameter("@type", SessionType).WithParameter("@ended", SessionStatus.Ended)
            .WithParameter("@floor", endedSince.AddDays(-1).ToUnixTimeMilliseconds());
        return (await CosmosPaging.ReadAllAsync<SessionItem>(sessions, query, null, cancellationToken)).Select(i => i.WithETag())
            .Where(s => s.EndedAt >= endedSince).OrderBy(s => s.EndedAt).Take(max).ToList();
    }

    /// <summary>
    /// Deletes the session's messages and marks it deleted. A batch holds 100 operations: messages beyond 99 are deleted ahead of
    /// it, so a failure leaves a session still listed that its user can delete again.
    /// </summary>
    public async Task<ChatSession> DeleteAsync(ChatSession session, DateTimeOffset deletedAt, CancellationToken cancellationToken = default)
    {
        const int inBatch = 99;
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type").WithParameter("@type", MessageType);
        var messages = await CosmosPaging.ReadAllAsync<MessageItem>(sessions, query, new PartitionKey(session.Id), cancellationToken);
        foreach (var ahead in messages.Skip(inBatch))
        {
            try
            {
                await sessions.DeleteItemAsync<MessageItem>(ahead.Id, new PartitionKey(session.Id), cancellationToken: cancellationToken);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }
        var deleted = session with { DeletedAt = deletedAt };
        var batch = sessions.CreateTransactionalBatch(new PartitionKey(session.Id))
            .ReplaceItem(session.Id, Item(deleted), new TransactionalBatchItemRequestOptions { IfMatchEtag = session.ETag });
        foreach (var m in messages.Take(inBatch)) batch = batch.DeleteItem(m.Id);
        using var response = await batch.ExecuteAsync(cancellationToken);
        if (response.IsSuccessStatusCode) return deleted with { ETag = response[0].ETag };
        var (index, status) = FailedOperation(response);
        throw (index, status) switch
        {
            (0, HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound) => new ConflictException(ChangedElsewhere),
            _ => new InvalidOperationException($"Deleting the session failed: operation {index} answered {(int)status}."),
        };
    }

    public static SessionItem Item(ChatSession s) =>
        new(s.Id, s.Id, SessionType, s.UserId, s.CloneId, s.Status, s.StartedAt.ToUnixTimeMilliseconds(), s.LastActivityAt.ToUnixTimeMilliseconds(), s with { ETag = null });

    public static MessageItem Item(SessionMessage m, long seq) => new(m.Id, m.SessionId, MessageType, m.Role, m.ClientMessageId, seq, m);

    private static (int Index, HttpStatusCode Status) FailedOperation(TransactionalBatchResponse response)
    {
        for (var i = 0; i < response.Count; i++)
            if (response[i].StatusCode is not (HttpStatusCode.FailedDependency or HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent))
                return (i, response[i].StatusCode);
        return (-1, response.StatusCode);
    }
}
