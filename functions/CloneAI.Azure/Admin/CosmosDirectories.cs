using System.Text;
using CloneAI.Azure.Cosmos;
using CloneAI.Azure.Users;
using CloneAI.Core.Admin;
using CloneAI.Core.Domain;
using Microsoft.Azure.Cosmos;
using User = CloneAI.Core.Domain.User;

namespace CloneAI.Azure.Admin;

/// <summary>
/// The admin console's user search over the <c>users</c> container: a cross-partition query on email and display name
/// (case-insensitive CONTAINS; the text is a parameter), leaving out the email reservations, newest first.
/// </summary>
public sealed class CosmosUserDirectory(Container users) : IUserDirectory
{
    public const int MaxPageSize = 100;

    public Task<Page<User>> SearchAsync(string? query, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder("SELECT * FROM c WHERE NOT STARTSWITH(c.id, @reservation) AND IS_DEFINED(c.email)");
        if (query is not null) sql.Append(" AND (CONTAINS(c.email, @q, true) OR CONTAINS(c.displayName, @q, true))");
        sql.Append(" ORDER BY c.createdAt DESC");
        var definition = new QueryDefinition(sql.ToString()).WithParameter("@reservation", CosmosUserStore.EmailReservationPrefix);
        if (query is not null) definition = definition.WithParameter("@q", query);
        return CosmosPaging.ReadPageAsync<User>(users, definition, Math.Clamp(pageSize, 1, MaxPageSize), continuationToken, partitionKey: null, cancellationToken);
    }
}

/// <summary>
/// The admin console's clone search over the <c>clones</c> container: every clone but deleted ones, by name, slug or owner
/// name (case-insensitive CONTAINS) or exact id, in one status when asked, newest first.
/// </summary>
public sealed class CosmosCloneDirectory(Container clones) : ICloneDirectory
{
    public const int MaxPageSize = 100;

    public Task<Page<Clone>> SearchAsync(string? query, string? status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder("SELECT * FROM c WHERE c.status != @deleted");
        if (status is not null) sql.Append(" AND c.status = @status");
        if (query is not null)
            sql.Append(" AND (CONTAINS(c.name, @q, true) OR CONTAINS(c.slug, @q, true) OR CONTAINS(c.ownerName, @q, true) OR c.id = @q)");
        sql.Append(" ORDER BY c.createdAt DESC");
        var definition = new QueryDefinition(sql.ToString()).WithParameter("@deleted", CloneStatus.Deleted);
        if (status is not null) definition = definition.WithParameter("@status", status);
        if (query is not null) definition = definition.WithParameter("@q", query);
        return CosmosPaging.ReadPageAsync<Clone>(clones, definition, Math.Clamp(pageSize, 1, MaxPageSize), continuationToken, partitionKey: null, cancellationToken);
    }
}
