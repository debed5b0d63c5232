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
            """
            SELECT t.user_id, t.family, t.expires_at, t.used_at, r.revoked_at
            FROM tokens t LEFT JOIN token_revocations r ON r.hash = t.hash
            WHERE t.hash = $hash AND t.kind = $kind
            """, ("$hash", hash), ("$kind", kind));
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
            RevokedAt = reader.IsDBNull(4) ? null : SqliteExtensions.FromUnixMs(reader.GetInt64(4)),
        };
        var outcome = spent ? ConsumeOutcome.Consumed : token.ExpiresAt <= now && token.UsedAt is null ? ConsumeOutcome.Expired : ConsumeOutcome.AlreadyUsed;
        return new ConsumeResult(outcome, token);
    }

    public async Task RevokeFamilyAsync(string family, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        // Rotated tokens are marked revoked too, so that the reuse grace window no longer applies to them.
        await RevokeAsync("family = $family", now, cancellationToken, ("$family", family));
    }

    public async Task RevokeAllAsync(string userId, string kind, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await RevokeAsync("user_id = $user AND kind = $kind", now, cancellationToken, ("$user", userId), ("$kind", kind));
    }

    /// <summary>Spends the unexpired tokens <paramref name="where"/> selects and records them as revoked, in one transaction.</summary>
    private async Task RevokeAsync(string where, DateTimeOffset now, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var tx = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        (string, object?)[] all = [.. parameters, ("$now", now.ToUnixMs())];
        await using (var revoke = connection.Command(
            $"INSERT OR IGNORE INTO token_revocations(hash, revoked_at) SELECT hash, $now FROM tokens WHERE {where} AND expires_at > $now", all))
        {
            revoke.Transaction = tx;
            await revoke.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var spend = connection.Command($"UPDATE tokens SET used_at = $now WHERE {where} AND used_at IS NULL", all))
        {
            spend.Transaction = tx;
            await spend.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<LoginGate> BeginLoginAttemptAsync(string key, SlowDownPolicy policy, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var nowMs = now.ToUnixMs();
        // One statement counts the attempt and sets the wait its count earns, unless the key must still wait: of many concurrent
        // attempts only as many as the policy allows get a row back. Waits double per attempt past the free ones (a left shift).
        await using var count = connection.Command(
            """
            INSERT INTO login_failures(key, failures, last_failure_at, blocked_until)
            VALUES ($key, 1, $now, CASE WHEN 1 >= $free THEN $now + $base ELSE 0 END)
            ON CONFLICT(key) DO UPDATE SET
                failures = CASE WHEN last_failure_at <= $now - $window THEN 1 ELSE failures + 1 END,
                last_failure_at = $now,
                blocked_until = CASE
                    WHEN (CASE WHEN last_failure_at <= $now - $window THEN 1 ELSE failures + 1 END) >= $free
                    THEN $now + MIN($max, $base << MIN((CASE WHEN last_failure_at <= $now - $window THEN 1 ELSE failures + 1 END) - $free, 30))
                    ELSE 0 END
            WHERE blocked_until <= $now
            RETURNING failures
            """,
            ("$key", key), ("$now", nowMs), ("$free", policy.FreeFailures), ("$base", (long)policy.BaseDelay.TotalMilliseconds),
            ("$max", (long)policy.MaxDelay.TotalMilliseconds), ("$window", (long)policy.Window.TotalMilliseconds));
        if (await count.ExecuteScalarAsync(cancellationToken) is not null) return new LoginGate(true, TimeSpan.Zero);

        await using var wait = connection.Command("SELECT blocked_until FROM login_failures WHERE key = $key", ("$key", key));
        var until = await wait.ExecuteScalarAsync(cancellationToken) is long ms ? ms : nowMs;
        return new LoginGate(false, TimeSpan.FromMilliseconds(Math.Max(1000, until - nowMs)));
    }

    public async Task ForgiveLoginAttemptAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var update = connection.Command("UPDATE login_failures SET failures = MAX(0, failures - 1) WHERE key = $key", ("$key", key));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ClearLoginFailuresAsync(string keyPrefix, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command(
            "DELETE FROM login_failures WHERE substr(key, 1, length($prefix)) = $prefix", ("$prefix", keyPrefix));
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
