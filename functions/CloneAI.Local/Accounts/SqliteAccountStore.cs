using CloneAI.Core.Accounts;
using Microsoft.Data.Sqlite;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Accounts;

public sealed class SqliteAccountStore(SqliteDatabase db) : IAccountStore
{
    public async Task CreateCredentialAsync(Credential credential, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var insert = connection.Command(
            "INSERT INTO credentials(user_id, password_hash, failed_logins, locked_until) VALUES ($id, $hash, $failed, $locked)",
            ("$id", credential.UserId), ("$hash", credential.PasswordHash), ("$failed", credential.FailedLogins), ("$locked", credential.LockedUntil?.ToUnixMs()));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Credential?> GetCredentialAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT password_hash, failed_logins, locked_until FROM credentials WHERE user_id = $id", ("$id", userId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new Credential
        {
            UserId = userId,
            PasswordHash = reader.GetString(0),
            FailedLogins = reader.GetInt32(1),
            LockedUntil = reader.IsDBNull(2) ? null : SqliteExtensions.FromUnixMs(reader.GetInt64(2)),
        };
    }

    public async Task UpdateCredentialAsync(Credential credential, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var update = connection.Command(
            "UPDATE credentials SET password_hash = $hash, failed_logins = $failed, locked_until = $locked WHERE user_id = $id",
            ("$id", credential.UserId), ("$hash", credential.PasswordHash), ("$failed", credential.FailedLogins), ("$locked", credential.LockedUntil?.ToUnixMs()));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AddTokenAsync(OneTimeToken token, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var insert = connection.Command(
            "INSERT INTO tokens(hash, kind, user_id, family, expires_at, used_at) VALUES ($hash, $kind, $user, $family, $expires, NULL)",
            ("$hash", token.Hash), ("$kind", token.Kind), ("$user", token.UserId), ("$family", token.Family), ("$expires", token.ExpiresAt.ToUnixMs()));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ConsumeResult> ConsumeTokenAsync(string hash, string kind, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        // One statement: of two concurrent uses exactly one succeeds.
        await using var spend = connection.Command(
            "UPDATE tokens SET used_at = $now WHERE hash = $hash AND kind = $kind AND used_at IS NULL AND expires_at > $now",
            ("$hash", hash), ("$kind", kind), ("$now", now.ToUnixMs()));
        var spent = await spend.ExecuteNonQueryAsync(cancellationToken) == 1;

        await using var select = connection.Command(
            "SELECT user_id, family, expires_at, used_at FROM tokens WHERE hash = $hash AND kind = $kind", ("$hash", hash), ("$kind", kind));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return new ConsumeResult(ConsumeOutcome.NotFound, null);
        var token = new OneTimeToken
        {
            Hash = hash,
            Kind = kind,
            UserId = reader.GetString(0),
            Family = reader.IsDBNull(1) ? null : reader.GetString(1),
            ExpiresAt = SqliteExtensions.FromUnixMs(reader.GetInt64(2)),
            UsedAt = reader.IsDBNull(3) ? null : SqliteExtensions.FromUnixMs(reader.GetInt64(3)),
        };
        var outcome = spent ? ConsumeOutcome.Consumed : token.ExpiresAt <= now && token.UsedAt is null ? ConsumeOutcome.Expired : ConsumeOutcome.AlreadyUsed;
        return new ConsumeResult(outcome, token);
    }

    public async Task RevokeFamilyAsync(string family, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var update = connection.Command("UPDATE tokens SET used_at = $now WHERE family = $family AND used_at IS NULL", ("$family", family), ("$now", now.ToUnixMs()));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RevokeAllAsync(string userId, string kind, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var update = connection.Command(
            "UPDATE tokens SET used_at = $now WHERE user_id = $user AND kind = $kind AND used_at IS NULL", ("$user", userId), ("$kind", kind), ("$now", now.ToUnixMs()));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }
}
