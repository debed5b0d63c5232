using System.Net;
using System.Text;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using Microsoft.Azure.Cosmos;
using CloneAI.Azure.Cosmos;

namespace CloneAI.Azure.Knowledge;

/// <summary>
/// The reservation that makes a document's SHA-256 unique within its clone: id <c>sha|&lt;sha256&gt;</c>, in the clone's
/// partition of the <c>documents</c> container, naming the document that holds the content.
/// </summary>
public sealed record DocumentHashReservation
{
    public required string Id { get; init; }
    public required string CloneId { get; init; }
    public required string DocumentId { get; init; }
    public string Type { get; init; } = CosmosDocumentStore.HashReservationType;
    public DateTimeOffset ReservedAt { get; init; }
}

/// <summary>
/// Knowledge documents in the Cosmos container <c>documents</c>, partition key <c>/cloneId</c>: a clone's documents, and
/// everything written about one of them, live in one logical partition, so listing a knowledge base is a single-partition
/// query and every write that must hold together is a transactional batch.
/// <para>
/// A document's SHA-256 is unique within its clone through a <see cref="DocumentHashReservation"/> (id
/// <c>sha|&lt;sha256&gt;</c>) in the same partition. Create writes the reservation and the document in one batch, so a
/// duplicate fails atomically with a <see cref="ConflictException"/> and nothing is left behind. A replace that changes the
/// hash (an upload's <c>pending:&lt;id&gt;</c> placeholder becoming the real SHA-256) reserves the new hash, replaces the
/// document and releases the old hash in one batch; delete removes both in one batch.
/// </para>
/// <para>
/// Replace is conditional on the record's ETag: a 412 becomes a <see cref="ConflictException"/> (HTTP 409). Every value in a
/// query is a parameter. Queries skip reservations by requiring <c>c.status</c>, which only documents have.
/// </para>
/// </summary>
public sealed class CosmosDocumentStore(Container documents, TimeProvider time) : IDocumentStore
{
    public const string HashReservationPrefix = "sha|";
    public const string HashReservationType = "sha256";
    public const int MaxPageSize = 200;

    private const string DuplicateContent = "This clone already has a document with the same content.";
    private const string ChangedElsewhere = "The document was changed by another request. Reload and try again.";
    private const string NoSuchDocument = "No such document in this clone.";

    public CosmosDocumentStore(Container documents) : this(documents, TimeProvider.System) { }

    /// <summary>The id of the reservation that holds <paramref name="sha256"/> in a clone.</summary>
    public static string HashReservationId(string sha256) => HashReservationPrefix + sha256;

    public async Task<KnowledgeDocument> CreateAsync(KnowledgeDocument document, CancellationToken cancellationToken = default)
    {
        EnsureStorable(document);
        var batch = documents.CreateTransactionalBatch(new PartitionKey(document.CloneId))
            .CreateItem(Reservation(document))
            .CreateItem(document with { ETag = null });
        using var response = await batch.ExecuteAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var (index, status) = FailedOperation(response);
            throw (index, status) switch
            {
                (0, HttpStatusCode.Conflict) => new ConflictException(DuplicateContent),
                (1, HttpStatusCode.Conflict) => new ConflictException("A document with this id already exists."),
                _ => Failure(response, status),
            };
        }
        return document with { ETag = response[1].ETag };
    }

    public async Task<KnowledgeDocument?> GetAsync(string cloneId, string documentId, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(cloneId) || !IsDocumentId(documentId)) return null;
        try
        {
            var response = await documents.ReadItemAsync<KnowledgeDocument>(documentId, new PartitionKey(cloneId), cancellationToken: cancellationToken);
            return response.Resource with { ETag = response.ETag ?? response.Resource.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Two point reads in the clone's partition: the hash's reservation, then the document it names.</summary>
    public async Task<KnowledgeDocument?> FindByHashAsync(string cloneId, string sha256, CancellationToken cancellationToken = default)
    {
        var reservationId = HashReservationId(sha256);
        if (!CosmosIds.IsValid(cloneId) || !CosmosIds.IsValid(reservationId)) return null;
        DocumentHashReservation reservation;
        try
        {
            reservation = (await documents.ReadItemAsync<DocumentHashReservation>(reservationId, new PartitionKey(cloneId),
                cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        var document = await GetAsync(cloneId, reservation.DocumentId, cancellationToken);
        return document is not null && document.Sha256 == sha256 ? document : null;
    }

    /// <summary>
    /// Replaces the document if <see cref="KnowledgeDocument.ETag"/> still matches and returns it with its new ETag. Reads the
    /// stored record first (one point read) to learn whether the SHA-256 changes; if it does, the new hash is reserved in the
    /// same batch, and a hash another document holds is a <see cref="ConflictException"/> too.
    /// </summary>
    public async Task<KnowledgeDocument> ReplaceAsync(KnowledgeDocument document, CancellationToken cancellationToken = default)
    {
        EnsureStorable(document);
        var current = await GetAsync(document.CloneId, document.Id, cancellationToken) ?? throw new NotFoundException(NoSuchDocument);
        if (document.ETag is not null && current.ETag != document.ETag) throw new ConflictException(ChangedElsewhere);
        var stored = document with { ETag = null };
        var ifMatch = new ItemRequestOptions { IfMatchEtag = document.ETag };

        if (string.Equals(current.Sha256, document.Sha256, StringComparison.Ordinal))
        {
            try
            {
                var response = await documents.ReplaceItemAsync(stored, document.Id, new PartitionKey(document.CloneId), ifMatch, cancellationToken);
                return document with { ETag = response.ETag };
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
            {
                throw e.StatusCode == HttpStatusCode.NotFound ? new NotFoundException(NoSuchDocument) : new ConflictException(ChangedElsewhere);
            }
        }

        var releaseOld = true;
        while (true)
        {
            var batch = documents.CreateTransactionalBatch(new PartitionKey(document.CloneId))
                .CreateItem(Reservation(document))
                .ReplaceItem(document.Id, stored, new TransactionalBatchItemRequestOptions { IfMatchEtag = document.ETag });
            if (releaseOld) batch = batch.DeleteItem(HashReservationId(current.Sha256));
            using var response = await batch.ExecuteAsync(cancellationToken);
            if (response.IsSuccessStatusCode) return document with { ETag = response[1].ETag };

            var (index, status) = FailedOperation(response);
            switch (index, status)
            {
                case (0, HttpStatusCode.Conflict):
                    throw new ConflictException(DuplicateContent);
                case (1, HttpStatusCode.PreconditionFailed):
                    throw new ConflictException(ChangedElsewhere);
                case (1, HttpStatusCode.NotFound):
                    throw new NotFoundException(NoSuchDocument);
                case (2, HttpStatusCode.NotFound) when releaseOld:
                    // The old hash was not reserved (a record written before reservations existed): nothing to release.
                    releaseOld = false;
                    continue;
                default:
                    throw Failure(response, status);
            }
        }
    }

    /// <summary>Deletes the document and the reservation of its hash together. Deleting a missing document does nothing.</summary>
    public async Task DeleteAsync(string cloneId, string documentId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var current = await GetAsync(cloneId, documentId, cancellationToken);
            if (current is null) return;
            var batch = documents.CreateTransactionalBatch(new PartitionKey(cloneId))
                .DeleteItem(documentId, new TransactionalBatchItemRequestOptions { IfMatchEtag = current.ETag })
                .DeleteItem(HashReservationId(current.Sha256));
            using var response = await batch.ExecuteAsync(cancellationToken);
            if (response.IsSuccessStatusCode) return;

            var (index, status) = FailedOperation(response);
            switch (index, status)
            {
                case (0, HttpStatusCode.NotFound):
                    return;
                case (0, HttpStatusCode.PreconditionFailed):
                    continue; // Changed since the read (its hash may have too): read again.
                case (1, HttpStatusCode.NotFound):
                    await DeleteDocumentOnlyAsync(cloneId, documentId, cancellationToken);
                    return;
                default:
                    throw Failure(response, status);
            }
        }
        throw new ConflictException(ChangedElsewhere);
    }

    /// <summary>
    /// Newest first, one page at a time with Cosmos continuation tokens, within the clone's partition; optionally only one
    /// status, or only documents carrying a tag (tags are stored lower-case, so the tag is compared lower-case).
    /// </summary>
    public Task<Page<KnowledgeDocument>> ListAsync(string cloneId, DocumentFilter filter, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(cloneId)) return Task.FromResult(new Page<KnowledgeDocument>([], null));
        var sql = new StringBuilder("SELECT * FROM c WHERE c.cloneId = @cloneId");
        var parameters = new List<(string Name, object Value)> { ("@cloneId", cloneId) };
        if (!string.IsNullOrWhiteSpace(filter.Status))
        {
            sql.Append(" AND c.status = @status");
            parameters.Add(("@status", filter.Status));
        }
        else
        {
            sql.Append(" AND IS_DEFINED(c.status)");
        }
        if (!string.IsNullOrWhiteSpace(filter.Tag))
        {
            sql.Append(" AND ARRAY_CONTAINS(c.tags, @tag)");
            parameters.Add(("@tag", filter.Tag.Trim().ToLowerInvariant()));
        }
        sql.Append(" ORDER BY c.createdAt DESC");

        var definition = new QueryDefinition(sql.ToString());
        foreach (var (name, value) in parameters) definition = definition.WithParameter(name, value);
        return CosmosPaging.ReadPageAsync<KnowledgeDocument>(documents, definition, Math.Clamp(filter.PageSize, 1, MaxPageSize),
            filter.ContinuationToken, new PartitionKey(cloneId), cancellationToken);
    }

    /// <summary>A cross-partition query on <c>c.status</c>: every uploaded or processing document of any clone, oldest first.</summary>
    public async Task<IReadOnlyList<KnowledgeDocument>> ListUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        var definition = new QueryDefinition("SELECT * FROM c WHERE c.status IN (@uploaded, @processing) ORDER BY c.createdAt ASC")
            .WithParameter("@uploaded", DocumentStatus.Uploaded)
            .WithParameter("@processing", DocumentStatus.Processing);
        return await CosmosPaging.ReadAllAsync<KnowledgeDocument>(documents, definition, partitionKey: null, cancellationToken);
    }

    /// <summary>
    /// One aggregate query in the clone's partition, grouped by status and embedding model: counts, chunks and tokens (of
    /// ready documents), bytes (of all) and the models in use, without reading the documents themselves.
    /// </summary>
    public async Task<KnowledgeStats> GetStatsAsync(string cloneId, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(cloneId)) return new KnowledgeStats(0, 0, 0, 0, 0, 0, 0, []);
        var definition = new QueryDefinition(
                "SELECT c.status AS status, c.embeddingModel AS embeddingModel, COUNT(1) AS documents, SUM(c.chunkCount) AS chunks, " +
                "SUM(c.tokenCount) AS tokens, SUM(c.size) AS bytes FROM c WHERE c.cloneId = @cloneId AND IS_DEFINED(c.status) " +
                "GROUP BY c.status, c.embeddingModel")
            .WithParameter("@cloneId", cloneId);
        var rows = await CosmosPaging.ReadAllAsync<DocumentStatsRow>(documents, definition, new PartitionKey(cloneId), cancellationToken);

        var ready = rows.Where(r => r.Status == DocumentStatus.Ready).ToList();
        return new KnowledgeStats(
            Documents: rows.Sum(r => r.Documents),
            Ready: ready.Sum(r => r.Documents),
            Processing: rows.Where(r => r.Status is DocumentStatus.Uploaded or DocumentStatus.Processing).Sum(r => r.Documents),
            Failed: rows.Where(r => r.Status == DocumentStatus.Failed).Sum(r => r.Documents),
            Chunks: (int)ready.Sum(r => r.Chunks ?? 0),
            Tokens: (long)ready.Sum(r => r.Tokens ?? 0),
            Bytes: (long)rows.Sum(r => r.Bytes ?? 0),
            EmbeddingModels: rows.Select(r => r.EmbeddingModel).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
    }

    private static bool IsDocumentId(string? id) =>
        CosmosIds.IsValid(id) && !id!.StartsWith(HashReservationPrefix, StringComparison.Ordinal);

    private static void EnsureStorable(KnowledgeDocument document)
    {
        if (!CosmosIds.IsValid(document.CloneId)) throw new ValidationException("cloneId", "This clone id cannot be stored.");
        if (!IsDocumentId(document.Id)) throw new ValidationException("id", "This id cannot be stored.");
        if (!CosmosIds.IsValid(HashReservationId(document.Sha256))) throw new ValidationException("sha256", "This hash cannot be stored.");
    }

    private DocumentHashReservation Reservation(KnowledgeDocument document) => new()
    {
        Id = HashReservationId(document.Sha256),
        CloneId = document.CloneId,
        DocumentId = document.Id,
        ReservedAt = time.GetUtcNow(),
    };

    private async Task DeleteDocumentOnlyAsync(string cloneId, string documentId, CancellationToken cancellationToken)
    {
        try
        {
            await documents.DeleteItemAsync<KnowledgeDocument>(documentId, new PartitionKey(cloneId), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }

    /// <summary>The operation that made a batch fail: the others report 424 Failed Dependency.</summary>
    private static (int Index, HttpStatusCode Status) FailedOperation(TransactionalBatchResponse response)
    {
        for (var i = 0; i < response.Count; i++)
        {
            var status = response[i].StatusCode;
            if (status != HttpStatusCode.FailedDependency && !response[i].IsSuccessStatusCode) return (i, status);
        }
        return (-1, response.StatusCode);
    }

    private static CosmosException Failure(TransactionalBatchResponse response, HttpStatusCode status) =>
        new($"A transactional batch on knowledge documents failed: {response.ErrorMessage}", status, 0, response.ActivityId, response.RequestCharge);

    /// <summary>One group of <see cref="GetStatsAsync"/>; sums come back as JSON numbers, read as doubles.</summary>
    public sealed record DocumentStatsRow(string? Status, string? EmbeddingModel, int Documents, double? Chunks, double? Tokens, double? Bytes);
}
