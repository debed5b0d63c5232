using CloneAI.Core.Knowledge;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Knowledge;

/// <summary>Embedding work per user and UTC day in the SQLite table <c>embedding_usage</c> (one row per ingestion run): it survives restarts.</summary>
public sealed class SqliteEmbeddingUsageStore(SqliteDatabase db) : IEmbeddingUsageStore
{
    public async Task<long> UsedAsync(string userId, string day, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var sum = connection.Command("SELECT COALESCE(SUM(characters), 0) FROM embedding_usage WHERE user_id = $user AND day = $day", ("$user", userId), ("$day", day));
        return (long)(await sum.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task AddAsync(string userId, string day, string key, long characters, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var insert = connection.Command(
            "INSERT OR IGNORE INTO embedding_usage(user_id, key, day, characters, at) VALUES ($user, $key, $day, $characters, $at)",
            ("$user", userId), ("$key", key), ("$day", day), ("$characters", characters), ("$at", at.ToUnixMs()));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM embedding_usage WHERE user_id = $user", ("$user", userId));
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
