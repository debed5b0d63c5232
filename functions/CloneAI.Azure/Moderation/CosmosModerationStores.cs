using System.Net;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Moderation;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Moderation;

/// <summary>
/// Reports in the Cosmos container <c>reports</c>, partition key <c>/cloneId</c>: a clone's open reports (counted for
/// auto-hiding) are read in its own partition. The admins' queue, a report by id and a reporter's own reports are
/// cross-partition queries (small and rare). A report's id is deterministic (see <see cref="ReportService"/>), so a repeat
/// meets 409 and gets the stored one back.
/// </summary>
public sealed class CosmosReportStore(Container reports) : IReportStore
{
    public const int MaxPageSize = 100;

    public async Task<(Report Report, bool Created)> AddAsync(Report report, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(report.Id) || !CosmosIds.IsValid(report.CloneId)) throw new ValidationException("id", "This report cannot be stored.");
        try
        {
            var created = await reports.CreateItemAsync(report, new PartitionKey(report.CloneId), cancellationToken: cancellationToken);
            return (created.Resource, true);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            var existing = await reports.ReadItemAsync<Report>(report.Id, new PartitionKey(report.CloneId), cancellationToken: cancellationToken);
            return (existing.Resource, false);
        }
    }

    public async Task<Report?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(id)) return null;
        var query = new QueryDefinition("SELECT * FROM c WHERE c.id = @id").WithParameter("@id", id);
        return (await CosmosPaging.ReadAllAsync<Report>(reports, query, null, cancellationToken)).FirstOrDefault();
    }

    public async Task<Report> UpdateAsync(Report report, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await reports.ReplaceItemAsync(report, report.Id, new PartitionKey(report.CloneId), cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new NotFoundException("No such report.");
        }
    }

    public async Task<IReadOnlyList<Report>> ListOpenForCloneAsync(string cloneId, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(cloneId)) return [];
        var query = new QueryDefinition("SELECT * FROM c WHERE c.status = @status ORDER BY c.createdMs").WithParameter("@status", ReportStatus.Open);
        return await CosmosPaging.ReadAllAsync<Report>(reports, query, new PartitionKey(cloneId), cancellationToken);
    }

    public Task<Page<Report>> ListAsync(string status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.status = @status ORDER BY c.createdMs").WithParameter("@status", status);
        return CosmosPaging.ReadPageAsync<Report>(reports, query, Math.Clamp(pageSize, 1, MaxPageSize), continuationToken, null, cancellationToken);
    }

    public async Task<IReadOnlyList<Report>> ListByReporterAsync(string reporterId, int max, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT TOP @n * FROM c WHERE c.reporterId = @reporter ORDER BY c.createdMs DESC")
            .WithParameter("@n", max).WithParameter("@reporter", reporterId);
        return await CosmosPaging.ReadAllAsync<Report>(reports, query, null, cancellationToken);
    }

    public async Task DeleteByReporterAsync(string reporterId, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.reporterId = @reporter").WithParameter("@reporter", reporterId);
        foreach (var report in await CosmosPaging.ReadAllAsync<Report>(reports, query, null, cancellationToken))
        {
            try
            {
                await reports.DeleteItemAsync<Report>(report.Id, new PartitionKey(report.CloneId), cancellationToken: cancellationToken);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }
    }
}

/// <summary>
/// Verification requests in the Cosmos container <c>verifications</c>, partition key <c>/userId</c>: a creator's own
/// requests are read in their partition; the admins' list and a request by id are cross-partition queries.
/// </summary>
public sealed class CosmosVerificationStore(Container requests) : IVerificationStore
{
    public const int MaxPageSize = 100;

    public async Task<VerificationRequest> CreateAsync(VerificationRequest request, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(request.Id) || !CosmosIds.IsValid(request.UserId)) throw new ValidationException("id", "This request cannot be stored.");
        try
        {
            return (await requests.CreateItemAsync(request, new PartitionKey(request.UserId), cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ConflictException("This verification request exists already.");
        }
    }

    public async Task<VerificationRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(id)) return null;
        var query = new QueryDefinition("SELECT * FROM c WHERE c.id = @id").WithParameter("@id", id);
        return (await CosmosPaging.ReadAllAsync<VerificationRequest>(requests, query, null, cancellationToken)).FirstOrDefault();
    }

    public async Task<VerificationRequest> UpdateAsync(VerificationRequest request, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await requests.ReplaceItemAsync(request, request.Id, new PartitionKey(request.UserId), cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new NotFoundException("No such verification request.");
        }
    }

    public async Task<IReadOnlyList<VerificationRequest>> ListByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        if (!CosmosIds.IsValid(userId)) return [];
        var query = new QueryDefinition("SELECT * FROM c ORDER BY c.createdMs DESC");
        return await CosmosPaging.ReadAllAsync<VerificationRequest>(requests, query, new PartitionKey(userId), cancellationToken);
    }

    public Task<Page<VerificationRequest>> ListAsync(string status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.status = @status ORDER BY c.createdMs").WithParameter("@status", status);
        return CosmosPaging.ReadPageAsync<VerificationRequest>(requests, query, Math.Clamp(pageSize, 1, MaxPageSize), continuationToken, null, cancellationToken);
    }

    public async Task DeleteByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        foreach (var request in await ListByUserAsync(userId, cancellationToken))
        {
            try
            {
                await requests.DeleteItemAsync<VerificationRequest>(request.Id, new PartitionKey(userId), cancellationToken: cancellationToken);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }
    }
}
