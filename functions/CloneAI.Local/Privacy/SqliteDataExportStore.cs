using CloneAI.Core.Errors;
using CloneAI.Core.Privacy;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloneAI.Local.Privacy;

/// <summary>Data exports in the SQLite table <c>data_exports</c>; a unique index allows one export being built per user.</summary>
public sealed class SqliteDataExportStore(SqliteDatabase db) : IDataExportStore
{
    public async Task<(DataExport Export, bool Created)> CreateUnlessBuildingAsync(DataExport dataExport, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var stored = dataExport with { ETag = Json.NewETag() };
        await using var insert = connection.Command(
            """
            INSERT INTO data_exports(id, user_id, status, created_at, expires_at, emailed, doc, etag)
            VALUES ($id, $user, $status, $created, NULL, 0, $doc, $etag) ON CONFLICT DO NOTHING
            """,
            ("$id", stored.Id), ("$user", stored.UserId), ("$status", stored.Status), ("$created", stored.CreatedAt.ToUnixMs()),
            ("$doc", Json.Write(stored with { ETag = null })), ("$etag", stored.ETag));
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1) return (stored, true);
        var building = await QueryAsync(connection, "WHERE user_id = $p AND status = 'building'", dataExport.UserId, cancellationToken);
        return building.Count > 0 ? (building[0], false) : throw new ConflictException("Another export is being recorded; try again.");
    }

    public async Task<DataExport?> GetAsync(string userId, string id, CancellationToken cancellationToken = default) =>
        (await FindAsync(id, cancellationToken)) is { } e && e.UserId == userId ? e : null;

    public async Task<DataExport?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return (await QueryAsync(connection, "WHERE id = $p", id, cancellationToken)).FirstOrDefault();
    }

    public async Task<DataExport> ReplaceAsync(DataExport dataExport, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var stored = dataExport with { ETag = Json.NewETag() };
        await using var update = connection.Command(
            """
            UPDATE data_exports SET status = $status, expires_at = $expires, emailed = $emailed, doc = $doc, etag = $etag
            WHERE id = $id AND etag = $previous
            """,
            ("$id", stored.Id), ("$status", stored.Status), ("$expires", stored.ExpiresAt?.ToUnixMs()), ("$emailed", stored.EmailedAt is null ? 0 : 1),
            ("$doc", Json.Write(stored with { ETag = null })), ("$etag", stored.ETag), ("$previous", dataExport.ETag));
        if (await update.ExecuteNonQueryAsync(cancellationToken) != 1) throw new ConflictException("The export changed meanwhile.");
        return stored;
    }

    public async Task<IReadOnlyList<DataExport>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await QueryAsync(connection, "WHERE user_id = $p ORDER BY created_at DESC", userId, cancellationToken);
    }

    public async Task<IReadOnlyList<DataExport>> ListUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await QueryAsync(connection, "WHERE status = 'building' OR (status = 'ready' AND emailed = 0)", null, cancellationToken);
    }

    public async Task<IReadOnlyList<DataExport>> ListExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await QueryAsync(connection, "WHERE status = 'ready' AND expires_at <= $p", now.ToUnixMs(), cancellationToken);
    }

    public async Task DeleteAllAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM data_exports WHERE user_id = $user", ("$user", userId));
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<DataExport>> QueryAsync(SqliteConnection connection, string where, object? parameter, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"SELECT doc, etag FROM data_exports {where}", ("$p", parameter));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<DataExport>();
        while (await reader.ReadAsync(cancellationToken)) result.Add(Json.Read<DataExport>(reader.GetString(0)) with { ETag = reader.GetString(1) });
        return result;
    }
}

/// <summary>Account deletions under way, in the SQLite table <c>account_deletions</c>.</summary>
public sealed class SqliteAccountDeletionStore(SqliteDatabase db) : IAccountDeletionStore
{
    public async Task<AccountDeletionMarker> RecordAsync(AccountDeletionMarker marker, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var insert = connection.Command(
            "INSERT INTO account_deletions(user_id, pseudonym, requested_at) VALUES ($user, $pseudonym, $at) ON CONFLICT(user_id) DO NOTHING",
            ("$user", marker.UserId), ("$pseudonym", marker.Pseudonym), ("$at", marker.RequestedAt.ToUnixMs()));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return (await ReadAsync(connection, "WHERE user_id = $user", marker.UserId, cancellationToken)).Single();
    }

    public async Task<IReadOnlyList<AccountDeletionMarker>> ListPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await ReadAsync(connection, "ORDER BY requested_at", null, cancellationToken);
    }

    public async Task CompleteAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM account_deletions WHERE user_id = $user", ("$user", userId));
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<AccountDeletionMarker>> ReadAsync(SqliteConnection connection, string where, string? userId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"SELECT user_id, pseudonym, requested_at FROM account_deletions {where}", ("$user", userId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<AccountDeletionMarker>();
        while (await reader.ReadAsync(cancellationToken))
            result.Add(new AccountDeletionMarker(reader.GetString(0), reader.GetString(1), SqliteExtensions.FromUnixMs(reader.GetInt64(2))));
        return result;
    }
}
