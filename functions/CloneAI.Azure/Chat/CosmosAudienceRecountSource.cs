using System.Net;
using System.Runtime.CompilerServices;
using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Chat;

/// <summary>
/// The audience recount's reads in Cosmos: every session (type <c>session</c>, across the partitions of <c>sessions</c>),
/// every audience record (type <c>clone-audience</c>, across the users' partitions of <c>memories</c>), every clone; and its
/// writes of audience records, created or replaced on their ETag (retried from a fresh read when another write got there first).
/// </summary>
public sealed class CosmosAudienceRecountSource(Container sessions, Container memories, Container clones) : IAudienceRecountSource
{
    private const int Attempts = 10;

    public async IAsyncEnumerable<ChatSession> ReadSessionsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type").WithParameter("@type", CosmosSessionStore.SessionType);
        await foreach (var item in ReadAllAsync<SessionItem>(sessions, query, cancellationToken))
            if (item.Type == CosmosSessionStore.SessionType) yield return item.Session;
    }

    public async IAsyncEnumerable<CloneAudienceEntry> ReadAudienceAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type").WithParameter("@type", CosmosCloneAudienceStore.AudienceType);
        await foreach (var doc in ReadAllAsync<CloneAudienceDocument>(memories, query, cancellationToken))
            if (doc.Type == CosmosCloneAudienceStore.AudienceType) yield return doc.ToEntry();
    }

    public IAsyncEnumerable<Clone> ReadClonesAsync(CancellationToken cancellationToken = default) =>
        ReadAllAsync<Clone>(clones, new QueryDefinition("SELECT * FROM c"), cancellationToken);

    public async Task PutAudienceAsync(CloneAudienceEntry entry, CancellationToken cancellationToken = default)
    {
        var id = CosmosCloneAudienceStore.Id(entry.CloneId);
        var key = new PartitionKey(entry.UserId);
        var document = new CloneAudienceDocument(id, CosmosCloneAudienceStore.AudienceType, entry.UserId, entry.CloneId, entry.Counted,
            entry.Stars, entry.SessionId, entry.RatedAt);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            string? etag;
            try
            {
                etag = (await memories.ReadItemAsync<CloneAudienceDocument>(id, key, cancellationToken: cancellationToken)).ETag;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                etag = null;
            }
            try
            {
                if (etag is null) await memories.CreateItemAsync(document, key, cancellationToken: cancellationToken);
                else await memories.ReplaceItemAsync(document, id, key, new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken);
                return;
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
            {
            }
        }
        throw new InvalidOperationException($"Could not recount user {entry.UserId} for clone {entry.CloneId}: the record kept changing.");
    }

    private static async IAsyncEnumerable<T> ReadAllAsync<T>(Container container, QueryDefinition query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var iterator = container.GetItemQueryIterator<T>(query);
        while (iterator.HasMoreResults)
            foreach (var item in await iterator.ReadNextAsync(cancellationToken))
                yield return item;
    }
}
