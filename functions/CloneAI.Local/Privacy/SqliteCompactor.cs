using CloneAI.Core.Privacy;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CloneAI.Local.Privacy;

/// <summary>
/// After a deletion: the clone search index is merged (FTS5 keeps deleted terms until then), the file is vacuumed (no free page
/// keeps deleted rows) and the write-ahead log is checkpointed and truncated (no old page stays in it).
/// </summary>
public sealed class SqliteCompactor(SqliteDatabase db, ILogger<SqliteCompactor> logger) : IStorageCompactor
{
    public async Task CompactAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        foreach (var sql in new[] { "INSERT INTO clones_fts(clones_fts) VALUES('optimize')", "VACUUM" })
        {
            await using var command = connection.Command(sql);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var checkpoint = connection.Command("PRAGMA wal_checkpoint(TRUNCATE)");
        await using var reader = await checkpoint.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) != 0)
            logger.LogWarning("The write-ahead log could not be truncated after an account deletion (busy); the next checkpoint will");
    }
}
