using CloneAI.Core.Limits;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloneAI.Local.Limits;

/// <summary>
/// The throttles' sliding windows in the SQLite table <c>rate_events</c>, one row per counted request under the hash of its key.
/// An acquire is one IMMEDIATE transaction (prune, count, insert), so concurrent requests, and hosts sharing the data folder,
/// are counted one at a time; rows that left their window are pruned on every acquire.
/// </summary>
public sealed class SqliteRateWindowStore(SqliteDatabase db) : IRateWindowStore
{
    public async Task<RateWindowDecision> TryAcquireAsync(string key, int limit, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var stored = RateWindows.StoredKey(key);
        var nowMs = now.ToUnixMs();
        await using var connection = await db.OpenAsync(cancellationToken);
        // BEGIN IMMEDIATE (the default of Microsoft.Data.Sqlite): the write lock is taken before the count is read.
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var prune = connection.Command("DELETE FROM rate_events WHERE expires_at <= $now OR (key = $key AND at <= $now - $window)",
            ("$now", nowMs), ("$key", stored), ("$window", (long)window.TotalMilliseconds)))
        {
            prune.Transaction = tx;
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }
        var times = new List<DateTimeOffset>();
        await using (var select = connection.Command("SELECT at FROM rate_events WHERE key = $key ORDER BY at", ("$key", stored)))
        {
            select.Transaction = tx;
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) times.Add(SqliteExtensions.FromUnixMs(reader.GetInt64(0)));
        }
        var decision = RateWindows.Decide(times, limit, window, now);
        if (decision.Allowed)
        {
            await using var insert = connection.Command("INSERT INTO rate_events(key, at, expires_at) VALUES ($key, $at, $expires)",
                ("$key", stored), ("$at", nowMs), ("$expires", (now + window).ToUnixMs()));
            insert.Transaction = tx;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        return decision;
    }

    public async Task ReleaseAsync(string key, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command(
            "DELETE FROM rate_events WHERE id = (SELECT id FROM rate_events WHERE key = $key AND at = $at ORDER BY id DESC LIMIT 1)",
            ("$key", RateWindows.StoredKey(key)), ("$at", at.ToUnixMs()));
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ForgetAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM rate_events WHERE key = $key", ("$key", RateWindows.StoredKey(key)));
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
