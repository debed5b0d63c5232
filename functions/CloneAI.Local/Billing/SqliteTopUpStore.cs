using CloneAI.Core.Billing;
using CloneAI.Core.Errors;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloneAI.Local.Billing;

/// <summary>
/// Top-ups in the local SQLite file (table <c>topups</c>): one per user and idempotency key (a unique index, so a concurrent
/// retry finds the first), replaced only while their ETag matches.
/// </summary>
public sealed class SqliteTopUpStore(SqliteDatabase db) : ITopUpStore
{
    public async Task<TopUpCreation> CreateAsync(TopUp topUp, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var etag = Json.NewETag();
        await using var insert = connection.Command(
            """
            INSERT INTO topups(id, user_id, idempotency_key, provider, provider_reference, status, created_at, doc, etag)
            VALUES ($id, $user, $key, $provider, $reference, $status, $at, $doc, $etag)
            ON CONFLICT(user_id, idempotency_key) DO NOTHING
            """,
            ("$id", topUp.Id), ("$user", topUp.UserId), ("$key", topUp.IdempotencyKey), ("$provider", topUp.Provider),
            ("$reference", topUp.ProviderReference), ("$status", topUp.Status), ("$at", topUp.CreatedAt.ToUnixMs()),
            ("$doc", Json.Write(topUp with { ETag = null })), ("$etag", etag));
        try
        {
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1) return new TopUpCreation(topUp with { ETag = etag }, true);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteExtensions.ConstraintError)
        {
            throw new ConflictException("A top-up with this id exists.");
        }
        await using var read = connection.Command("SELECT doc, etag FROM topups WHERE user_id = $user AND idempotency_key = $key",
            ("$user", topUp.UserId), ("$key", topUp.IdempotencyKey));
        return new TopUpCreation(await ReadOneAsync(read, cancellationToken) ?? throw new InvalidOperationException("The top-up vanished."), false);
    }

    public async Task<TopUp?> GetAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        var topUp = await FindAsync(id, cancellationToken);
        return topUp?.UserId == userId ? topUp : null;
    }

    public async Task<TopUp?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var read = connection.Command("SELECT doc, etag FROM topups WHERE id = $id", ("$id", id));
        return await ReadOneAsync(read, cancellationToken);
    }

    public async Task<TopUp?> FindByProviderReferenceAsync(string provider, string providerReference, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var read = connection.Command("SELECT doc, etag FROM topups WHERE provider = $provider AND provider_reference = $reference LIMIT 1",
            ("$provider", provider), ("$reference", providerReference));
        return await ReadOneAsync(read, cancellationToken);
    }

    public async Task<TopUp> ReplaceAsync(TopUp topUp, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var etag = Json.NewETag();
        await using var update = connection.Command(
            """
            UPDATE topups SET provider_reference = $reference, status = $status, doc = $doc, etag = $etag
            WHERE id = $id AND user_id = $user AND etag = $old
            """,
            ("$reference", topUp.ProviderReference), ("$status", topUp.Status), ("$doc", Json.Write(topUp with { ETag = null })),
            ("$etag", etag), ("$id", topUp.Id), ("$user", topUp.UserId), ("$old", topUp.ETag));
        if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
            throw new ConflictException("The top-up was changed by another request. Reload it and try again.");
        return topUp with { ETag = etag };
    }

    private static async Task<TopUp?> ReadOneAsync(SqliteCommand read, CancellationToken cancellationToken)
    {
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Json.Read<TopUp>(reader.GetString(0)) with { ETag = reader.GetString(1) } : null;
    }
}
