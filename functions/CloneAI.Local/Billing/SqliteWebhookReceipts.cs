using CloneAI.Core.Billing;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Billing;

/// <summary>Receipts of applied webhooks in the local SQLite file, one per provider and unique key.</summary>
public sealed class SqliteWebhookReceipts(SqliteDatabase db) : IWebhookReceipts
{
    public async Task<bool> ExistsAsync(string provider, string uniqueKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var query = connection.Command("SELECT 1 FROM webhook_receipts WHERE provider = $provider AND unique_key = $key",
            ("$provider", provider), ("$key", uniqueKey));
        return await query.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task RecordAsync(WebhookReceipt receipt, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var insert = connection.Command(
            "INSERT OR IGNORE INTO webhook_receipts(provider, unique_key, type, received_at, reference) VALUES ($provider, $key, $type, $at, $reference)",
            ("$provider", receipt.Provider), ("$key", receipt.UniqueKey), ("$type", receipt.Type), ("$at", receipt.ReceivedAt.ToUnixMs()), ("$reference", receipt.Reference));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
