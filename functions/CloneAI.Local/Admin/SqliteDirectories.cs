using System.Text;
using CloneAI.Core.Admin;
using CloneAI.Core.Domain;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloneAI.Local.Admin;

/// <summary>The admin console's user search in SQLite: email or display name contains the text (case-insensitive for ASCII), newest first.</summary>
public sealed class SqliteUserDirectory(SqliteDatabase db) : IUserDirectory
{
    public async Task<Page<User>> SearchAsync(string? query, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var offset = OffsetToken.Decode(continuationToken);
        var sql = new StringBuilder("SELECT doc, etag FROM users");
        var parameters = new List<(string, object?)> { ("$limit", pageSize + 1), ("$offset", offset) };
        if (query is not null)
        {
            sql.Append(" WHERE email LIKE $q ESCAPE '\\' OR json_extract(doc, '$.displayName') LIKE $q ESCAPE '\\'");
            parameters.Add(("$q", Like.Contains(query)));
        }
        sql.Append(" ORDER BY rowid DESC LIMIT $limit OFFSET $offset");
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command(sql.ToString(), [.. parameters]);
        var rows = new List<User>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add(Json.Read<User>(reader.GetString(0)) with { ETag = reader.GetString(1) });
        return OffsetToken.Paginate(rows, pageSize, offset);
    }
}

/// <summary>The admin console's clone search in SQLite: every clone but deleted ones, by name, slug or owner name, newest first.</summary>
public sealed class SqliteCloneDirectory(SqliteDatabase db) : ICloneDirectory
{
    public async Task<Page<Clone>> SearchAsync(string? query, string? status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var offset = OffsetToken.Decode(continuationToken);
        var sql = new StringBuilder("SELECT doc, etag FROM clones WHERE status <> 'deleted'");
        var parameters = new List<(string, object?)> { ("$limit", pageSize + 1), ("$offset", offset) };
        if (status is not null)
        {
            sql.Append(" AND status = $status");
            parameters.Add(("$status", status));
        }
        if (query is not null)
        {
            sql.Append(" AND (json_extract(doc, '$.name') LIKE $q ESCAPE '\\' OR slug LIKE $q ESCAPE '\\' OR json_extract(doc, '$.ownerName') LIKE $q ESCAPE '\\' OR id = $id)");
            parameters.Add(("$q", Like.Contains(query)));
            parameters.Add(("$id", query));
        }
        sql.Append(" ORDER BY created_at DESC, seq DESC LIMIT $limit OFFSET $offset");
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command(sql.ToString(), [.. parameters]);
        var rows = new List<Clone>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add(Json.Read<Clone>(reader.GetString(0)) with { ETag = reader.GetString(1) });
        return OffsetToken.Paginate(rows, pageSize, offset);
    }
}

/// <summary>A LIKE pattern that matches the text anywhere, with <c>%</c>, <c>_</c> and <c>\</c> in it taken literally.</summary>
internal static class Like
{
    public static string Contains(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
