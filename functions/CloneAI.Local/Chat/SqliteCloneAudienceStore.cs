using CloneAI.Core.Chat;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloneAI.Local.Chat;

/// <summary>Each user's use and rating of each clone in the SQLite table <c>clone_audience</c>, one row per (clone, user).</summary>
public sealed class SqliteCloneAudienceStore(SqliteDatabase db) : ICloneAudienceStore
{
    public async Task<bool> AddUserAsync(string cloneId, string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var upsert = connection.Command(
            """
            INSERT INTO clone_audience(clone_id, user_id, counted) VALUES ($clone, $user, 1)
            ON CONFLICT(clone_id, user_id) DO UPDATE SET counted = 1 WHERE counted = 0
            """, ("$clone", cloneId), ("$user", userId));
        return await upsert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<int?> SetRatingAsync(string cloneId, string userId, int stars, string sessionId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        // BEGIN IMMEDIATE: the read of the earlier rating and the write are one step for every other writer.
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var read = connection.Command("SELECT stars FROM clone_audience WHERE clone_id = $clone AND user_id = $user", ("$clone", cloneId), ("$user", userId));
        read.Transaction = tx;
        var previous = await read.ExecuteScalarAsync(cancellationToken) is long p ? (int?)p : null;
        await using var upsert = connection.Command(
            """
            INSERT INTO clone_audience(clone_id, user_id, counted, stars, session_id, rated_at) VALUES ($clone, $user, 0, $stars, $session, $at)
            ON CONFLICT(clone_id, user_id) DO UPDATE SET stars = excluded.stars, session_id = excluded.session_id, rated_at = excluded.rated_at
            """, ("$clone", cloneId), ("$user", userId), ("$stars", stars), ("$session", sessionId), ("$at", at.ToUnixMs()));
        upsert.Transaction = tx;
        await upsert.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return previous;
    }

    public async Task<IReadOnlyList<CloneAudienceEntry>> ListByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command(
            "SELECT clone_id, counted, stars, session_id, rated_at FROM clone_audience WHERE user_id = $user ORDER BY clone_id", ("$user", userId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var result = new List<CloneAudienceEntry>();
        while (await reader.ReadAsync(cancellationToken))
            result.Add(new CloneAudienceEntry(reader.GetString(0), userId, reader.GetInt64(1) != 0,
                reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : SqliteExtensions.FromUnixMs(reader.GetInt64(4))));
        return result;
    }

    public async Task DeleteUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM clone_audience WHERE user_id = $user", ("$user", userId));
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
