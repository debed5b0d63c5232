using CloneAI.Core.Billing;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloneAI.Local.Billing;

/// <summary>
/// Payouts in the local SQLite file: one row per payout (unique per creator and idempotency key), replaced only while its ETag
/// matches; creators' connected Stripe accounts beside them.
/// </summary>
public sealed class SqlitePayoutStore(SqliteDatabase db) : IPayoutStore
{
    private const string Columns = "doc, etag";

    public async Task<Payout> CreateAsync(Payout payout, CancellationToken cancellationToken = default)
    {
        var etag = Json.NewETag();
        await using var connection = await db.OpenAsync(cancellationToken);
        try
        {
            await using var insert = connection.Command(
                "INSERT INTO payouts(id, creator_id, idempotency_key, status, amount, doc, etag) VALUES ($id, $creator, $key, $status, $amount, $doc, $etag)",
                ("$id", payout.Id), ("$creator", payout.CreatorId), ("$key", payout.IdempotencyKey), ("$status", payout.Status),
                ("$amount", payout.Amount), ("$doc", Json.Write(payout with { ETag = null })), ("$etag", etag));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteExtensions.ConstraintError)
        {
            throw new ConflictException("A payout with this id or idempotency key exists.");
        }
        return payout with { ETag = etag };
    }

    public async Task<Payout?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return (await ReadAsync(connection.Command($"SELECT {Columns} FROM payouts WHERE id = $id", ("$id", id)), cancellationToken)).SingleOrDefault();
    }

    public async Task<Payout?> FindByKeyAsync(string creatorId, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return (await ReadAsync(connection.Command($"SELECT {Columns} FROM payouts WHERE creator_id = $creator AND idempotency_key = $key",
            ("$creator", creatorId), ("$key", idempotencyKey)), cancellationToken)).SingleOrDefault();
    }

    public async Task<Payout> ReplaceAsync(Payout payout, CancellationToken cancellationToken = default)
    {
        var etag = Json.NewETag();
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var update = connection.Command(
            "UPDATE payouts SET status = $status, doc = $doc, etag = $etag WHERE id = $id AND etag = $previous",
            ("$id", payout.Id), ("$status", payout.Status), ("$doc", Json.Write(payout with { ETag = null })), ("$etag", etag), ("$previous", payout.ETag));
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            throw new ConflictException("The payout was changed by another request. Reload and try again.");
        return payout with { ETag = etag };
    }

    public async Task<Page<Payout>> ListByCreatorAsync(string creatorId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var offset = OffsetToken.Decode(continuationToken);
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await ReadAsync(connection.Command(
            $"SELECT {Columns} FROM payouts WHERE creator_id = $creator ORDER BY seq DESC LIMIT $limit OFFSET $offset",
            ("$creator", creatorId), ("$limit", pageSize + 1), ("$offset", offset)), cancellationToken);
        return OffsetToken.Paginate(rows, pageSize, offset);
    }

    public async Task<Page<Payout>> ListByStatusAsync(string status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var offset = OffsetToken.Decode(continuationToken);
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await ReadAsync(connection.Command(
            $"SELECT {Columns} FROM payouts WHERE status = $status ORDER BY seq LIMIT $limit OFFSET $offset",
            ("$status", status), ("$limit", pageSize + 1), ("$offset", offset)), cancellationToken);
        return OffsetToken.Paginate(rows, pageSize, offset);
    }

    public async Task<long> SumAsync(string creatorId, string status, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var sum = connection.Command("SELECT COALESCE(SUM(amount), 0) FROM payouts WHERE creator_id = $creator AND status = $status",
            ("$creator", creatorId), ("$status", status));
        return Convert.ToInt64(await sum.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<PayoutAccount?> GetAccountAsync(string creatorId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var read = connection.Command("SELECT doc FROM payout_accounts WHERE creator_id = $creator", ("$creator", creatorId));
        return await read.ExecuteScalarAsync(cancellationToken) is string doc ? Json.Read<PayoutAccount>(doc) : null;
    }

    public async Task<PayoutAccount> SetAccountAsync(PayoutAccount account, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var upsert = connection.Command(
            "INSERT INTO payout_accounts(creator_id, doc) VALUES ($creator, $doc) ON CONFLICT(creator_id) DO UPDATE SET doc = excluded.doc",
            ("$creator", account.CreatorId), ("$doc", Json.Write(account)));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
        return account;
    }

    private static async Task<List<Payout>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<Payout>();
            while (await reader.ReadAsync(cancellationToken)) rows.Add(Json.Read<Payout>(reader.GetString(0)) with { ETag = reader.GetString(1) });
            return rows;
        }
    }
}
