using System.Net;
using System.Text.Json.Serialization;
using CloneAI.Core.Errors;
using CloneAI.Core.Privacy;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Privacy;

/// <summary>A data export as stored, with the fields queries filter on.</summary>
public sealed record ExportItem(string Id, string UserId, string Type, string Status, bool Unfinished, long? ExpiresMs, DataExport Export,
    [property: JsonPropertyName("_etag"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ETag = null);

/// <summary>The lock that lets a user have one export being built (id <c>building</c>), naming it.</summary>
public sealed record ExportLockItem(string Id, string UserId, string Type, string ExportId);

/// <summary>An account deletion under way (id <c>deletion</c>).</summary>
public sealed record DeletionItem(string Id, string UserId, string Type, string Pseudonym, long RequestedMs);

/// <summary>
/// Data exports in the Cosmos container <c>privacy</c>, partition key <c>/userId</c>. An export being built holds the lock
/// document <c>building</c> of its user's partition, created with it in one batch and deleted with the change that ends the
/// building, so a second request finds the first.
/// </summary>
public sealed class CosmosDataExportStore(Container privacy) : IDataExportStore
{
    public const string ExportType = "export";
    public const string LockType = "export-lock";
    public const string LockId = "building";

    public async Task<(DataExport Export, bool Created)> CreateUnlessBuildingAsync(DataExport dataExport, CancellationToken cancellationToken = default)
    {
        var pk = new PartitionKey(dataExport.UserId);
        using var batch = await privacy.CreateTransactionalBatch(pk)
            .CreateItem(new ExportLockItem(LockId, dataExport.UserId, LockType, dataExport.Id))
            .CreateItem(Item(dataExport))
            .ExecuteAsync(cancellationToken);
        if (batch.IsSuccessStatusCode) return (await GetAsync(dataExport.UserId, dataExport.Id, cancellationToken) ?? dataExport, true);
        if (batch.StatusCode != HttpStatusCode.Conflict) throw new ConflictException("The export could not be recorded; try again.");
        var held = await privacy.ReadItemAsync<ExportLockItem>(LockId, pk, cancellationToken: cancellationToken);
        return (await GetAsync(dataExport.UserId, held.Resource.ExportId, cancellationToken) ?? throw new ConflictException("Try again."), false);
    }

    public async Task<DataExport?> GetAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        if (!Cosmos.CosmosIds.IsValid(userId) || !Cosmos.CosmosIds.IsValid(id) || id == LockId) return null;
        try
        {
            var response = await privacy.ReadItemAsync<ExportItem>(id, new PartitionKey(userId), cancellationToken: cancellationToken);
            return response.Resource.Type == ExportType ? response.Resource.Export with { ETag = response.ETag } : null;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<DataExport?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        (await QueryAsync(new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.id = @id").WithParameter("@type", ExportType).WithParameter("@id", id), null, cancellationToken))
        .FirstOrDefault();

    public async Task<DataExport> ReplaceAsync(DataExport dataExport, CancellationToken cancellationToken = default)
    {
        var pk = new PartitionKey(dataExport.UserId);
        var batch = privacy.CreateTransactionalBatch(pk)
            .ReplaceItem(dataExport.Id, Item(dataExport), new TransactionalBatchItemRequestOptions { IfMatchEtag = dataExport.ETag });
        if (dataExport.Status != DataExportStatus.Building)
        {
            try
            {
                var held = await privacy.ReadItemAsync<ExportLockItem>(LockId, pk, cancellationToken: cancellationToken);
                if (held.Resource.ExportId == dataExport.Id) batch = batch.DeleteItem(LockId, new TransactionalBatchItemRequestOptions { IfMatchEtag = held.ETag });
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }
        using var response = await batch.ExecuteAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new ConflictException("The export changed meanwhile.");
        return await GetAsync(dataExport.UserId, dataExport.Id, cancellationToken) ?? dataExport;
    }

    public async Task<IReadOnlyList<DataExport>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
        Cosmos.CosmosIds.IsValid(userId)
            ? [.. (await QueryAsync(new QueryDefinition("SELECT * FROM c WHERE c.type = @type").WithParameter("@type", ExportType), userId, cancellationToken))
                .OrderByDescending(e => e.CreatedAt)]
            : [];

    public async Task<IReadOnlyList<DataExport>> ListUnfinishedAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.unfinished = @yes").WithParameter("@type", ExportType).WithParameter("@yes", true), null, cancellationToken);

    public async Task<IReadOnlyList<DataExport>> ListExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        [.. (await QueryAsync(new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.status = @ready")
                .WithParameter("@type", ExportType).WithParameter("@ready", DataExportStatus.Ready), null, cancellationToken))
            .Where(e => e.ExpiresAt <= now)];

    public async Task DeleteAllAsync(string userId, CancellationToken cancellationToken = default)
    {
        if (!Cosmos.CosmosIds.IsValid(userId)) return;
        foreach (var export in await ListAsync(userId, cancellationToken)) await DeleteAsync(export.Id, userId, cancellationToken);
        await DeleteAsync(LockId, userId, cancellationToken);
    }

    private async Task DeleteAsync(string id, string userId, CancellationToken cancellationToken)
    {
        try
        {
            await privacy.DeleteItemAsync<ExportItem>(id, new PartitionKey(userId), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    private async Task<List<DataExport>> QueryAsync(QueryDefinition query, string? userId, CancellationToken cancellationToken)
    {
        var options = userId is null ? new QueryRequestOptions() : new QueryRequestOptions { PartitionKey = new PartitionKey(userId) };
        var result = new List<DataExport>();
        using var iterator = privacy.GetItemQueryIterator<ExportItem>(query, requestOptions: options);
        while (iterator.HasMoreResults)
            foreach (var item in await iterator.ReadNextAsync(cancellationToken))
                if (item.Type == ExportType) result.Add(item.Export with { ETag = item.ETag });
        return result;
    }

    private static ExportItem Item(DataExport e) => new(e.Id, e.UserId, ExportType, e.Status,
        e.Status == DataExportStatus.Building || (e.Status == DataExportStatus.Ready && e.EmailedAt is null), e.ExpiresAt?.ToUnixTimeMilliseconds(), e with { ETag = null });
}

/// <summary>Account deletions under way in the container <c>privacy</c>: one document <c>deletion</c> in the user's partition.</summary>
public sealed class CosmosAccountDeletionStore(Container privacy) : IAccountDeletionStore
{
    public const string DeletionType = "account-deletion";
    public const string DeletionId = "deletion";

    public async Task<AccountDeletionMarker> RecordAsync(AccountDeletionMarker marker, CancellationToken cancellationToken = default)
    {
        try
        {
            await privacy.CreateItemAsync(new DeletionItem(DeletionId, marker.UserId, DeletionType, marker.Pseudonym, marker.RequestedAt.ToUnixTimeMilliseconds()),
                new PartitionKey(marker.UserId), cancellationToken: cancellationToken);
            return marker;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            var held = (await privacy.ReadItemAsync<DeletionItem>(DeletionId, new PartitionKey(marker.UserId), cancellationToken: cancellationToken)).Resource;
            return new AccountDeletionMarker(held.UserId, held.Pseudonym, DateTimeOffset.FromUnixTimeMilliseconds(held.RequestedMs));
        }
    }

    public async Task<IReadOnlyList<AccountDeletionMarker>> ListPendingAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<AccountDeletionMarker>();
        using var iterator = privacy.GetItemQueryIterator<DeletionItem>(new QueryDefinition("SELECT * FROM c WHERE c.type = @type").WithParameter("@type", DeletionType));
        while (iterator.HasMoreResults)
            foreach (var item in await iterator.ReadNextAsync(cancellationToken))
                result.Add(new AccountDeletionMarker(item.UserId, item.Pseudonym, DateTimeOffset.FromUnixTimeMilliseconds(item.RequestedMs)));
        return result;
    }

    public async Task CompleteAsync(string userId, CancellationToken cancellationToken = default)
    {
        try
        {
            await privacy.DeleteItemAsync<DeletionItem>(DeletionId, new PartitionKey(userId), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
