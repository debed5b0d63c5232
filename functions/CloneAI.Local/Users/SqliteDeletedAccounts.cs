using CloneAI.Core.Users;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Users;

/// <summary>Deleted accounts by the hash of their id (<see cref="DeletedAccountKeys"/>), in <c>deleted_accounts</c>.</summary>
public sealed class SqliteDeletedAccounts(SqliteDatabase db) : IDeletedAccounts
{
    public async Task RememberAsync(string userId, DateTimeOffset deletedAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var upsert = connection.Command(
            "INSERT INTO deleted_accounts(hash, deleted_at) VALUES ($hash, $at) ON CONFLICT(hash) DO UPDATE SET deleted_at = max(deleted_at, excluded.deleted_at)",
            ("$hash", DeletedAccountKeys.Of(userId)), ("$at", deletedAt.ToUnixMs()));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DateTimeOffset?> DeletedAtAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT deleted_at FROM deleted_accounts WHERE hash = $hash", ("$hash", DeletedAccountKeys.Of(userId)));
        return await select.ExecuteScalarAsync(cancellationToken) is long ms ? SqliteExtensions.FromUnixMs(ms) : null;
    }
}
