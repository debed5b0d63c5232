using CloneAI.Core.Progress;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Progress;

/// <summary>Checklist ticks in the SQLite table <c>progress_ticks</c>, one row per user, clone and item.</summary>
public sealed class SqliteProgressTickStore(SqliteDatabase db) : IProgressTickStore
{
    public async Task<IReadOnlyList<ProgressTick>> ListAsync(string userId, string cloneId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT item_id, done, done_at, updated_at FROM progress_ticks WHERE user_id = $user AND clone_id = $clone",
            ("$user", userId), ("$clone", cloneId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<ProgressTick>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new ProgressTick
            {
                UserId = userId,
                CloneId = cloneId,
                ItemId = reader.GetString(0),
                Done = reader.GetInt64(1) != 0,
                DoneAt = reader.IsDBNull(2) ? null : SqliteExtensions.FromUnixMs(reader.GetInt64(2)),
                UpdatedAt = SqliteExtensions.FromUnixMs(reader.GetInt64(3)),
            });
        }
        return result;
    }

    public async Task<ProgressTick> UpsertAsync(ProgressTick tick, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO progress_ticks(user_id, clone_id, item_id, done, done_at, updated_at) VALUES ($user, $clone, $item, $done, $doneAt, $updated)
            ON CONFLICT(user_id, clone_id, item_id) DO UPDATE SET done = excluded.done, done_at = excluded.done_at, updated_at = excluded.updated_at
            """,
            ("$user", tick.UserId), ("$clone", tick.CloneId), ("$item", tick.ItemId), ("$done", tick.Done ? 1 : 0),
            ("$doneAt", tick.DoneAt?.ToUnixMs()), ("$updated", tick.UpdatedAt.ToUnixMs()));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return tick;
    }
}
