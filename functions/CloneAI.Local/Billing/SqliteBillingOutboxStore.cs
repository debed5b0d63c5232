using CloneAI.Core.Billing;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloneAI.Local.Billing;

/// <summary>The billing outbox in the local SQLite file: one row per usage key (INSERT OR IGNORE keeps the first).</summary>
public sealed class SqliteBillingOutboxStore(SqliteDatabase db) : IBillingOutboxStore
{
    private const string Columns = "doc, status, attempts, created_at, next_attempt_at, sent_at, last_error";

    public async Task<bool> AddAsync(BillableUsage usage, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var insert = connection.Command(
            "INSERT OR IGNORE INTO billing_outbox(key, status, attempts, created_at, next_attempt_at, doc) VALUES ($key, $status, 0, $at, $at, $doc)",
            ("$key", usage.Key), ("$status", OutboxStatus.Pending), ("$at", now.ToUnixMs()), ("$doc", Json.Write(usage)));
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<OutboxEvent>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var query = connection.Command(
            $"SELECT {Columns} FROM billing_outbox WHERE status = $status AND next_attempt_at <= $now ORDER BY next_attempt_at, created_at LIMIT $limit",
            ("$status", OutboxStatus.Pending), ("$now", now.ToUnixMs()), ("$limit", limit));
        return await ReadAsync(query, cancellationToken);
    }

    public async Task<OutboxEvent?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var query = connection.Command($"SELECT {Columns} FROM billing_outbox WHERE key = $key", ("$key", key));
        var found = await ReadAsync(query, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<IReadOnlyList<OutboxEvent>> FailedAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var query = connection.Command(
            $"SELECT {Columns} FROM billing_outbox WHERE status = $status ORDER BY created_at DESC LIMIT $limit",
            ("$status", OutboxStatus.Failed), ("$limit", limit));
        return await ReadAsync(query, cancellationToken);
    }

    public Task MarkSentAsync(string key, int attempts, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE billing_outbox SET status = $status, attempts = $attempts, sent_at = $at, last_error = NULL WHERE key = $key",
            cancellationToken, ("$status", OutboxStatus.Sent), ("$attempts", attempts), ("$at", at.ToUnixMs()), ("$key", key));

    public Task MarkRetryAsync(string key, int attempts, DateTimeOffset nextAttemptAt, string lastError, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE billing_outbox SET attempts = $attempts, next_attempt_at = $next, last_error = $error WHERE key = $key AND status = $status",
            cancellationToken, ("$status", OutboxStatus.Pending), ("$attempts", attempts), ("$next", nextAttemptAt.ToUnixMs()), ("$error", lastError), ("$key", key));

    public Task MarkFailedAsync(string key, int attempts, string lastError, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE billing_outbox SET status = $status, attempts = $attempts, last_error = $error WHERE key = $key",
            cancellationToken, ("$status", OutboxStatus.Failed), ("$attempts", attempts), ("$error", lastError), ("$key", key));

    private async Task UpdateAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var update = connection.Command(sql, parameters);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<OutboxEvent>> ReadAsync(SqliteCommand query, CancellationToken cancellationToken)
    {
        var events = new List<OutboxEvent>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            events.Add(new OutboxEvent(
                Json.Read<BillableUsage>(reader.GetString(0)), reader.GetString(1), reader.GetInt32(2),
                SqliteExtensions.FromUnixMs(reader.GetInt64(3)), SqliteExtensions.FromUnixMs(reader.GetInt64(4)),
                reader.IsDBNull(5) ? null : SqliteExtensions.FromUnixMs(reader.GetInt64(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        return events;
    }
}
