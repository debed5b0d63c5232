using CloneAI.Core.Accounts;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Accounts;

/// <summary>
/// Queued account emails in <c>account_email_jobs</c>. A claim is one <c>UPDATE … RETURNING</c>, so of two workers (threads or
/// processes on one data folder) each job goes to one: it moves the job's <c>due_at</c> to the end of the lease and counts the attempt.
/// </summary>
public sealed class SqliteAccountEmailJobs(SqliteDatabase db) : IAccountEmailJobs
{
    public async Task AddAsync(AccountEmailJob job, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var insert = connection.Command(
            "INSERT INTO account_email_jobs(id, kind, address, created_at, attempts, due_at) VALUES ($id, $kind, $address, $created, $attempts, $created)",
            ("$id", job.Id), ("$kind", job.Kind), ("$address", job.Address), ("$created", job.CreatedAt.ToUnixMs()), ("$attempts", job.Attempts));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AccountEmailJob>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var claim = connection.Command(
            """
            UPDATE account_email_jobs SET due_at = $until, attempts = attempts + 1
            WHERE id IN (SELECT id FROM account_email_jobs WHERE due_at <= $now ORDER BY due_at, created_at LIMIT $limit)
            RETURNING id, kind, address, created_at, attempts
            """,
            ("$now", now.ToUnixMs()), ("$until", (now + lease).ToUnixMs()), ("$limit", limit));
        var claimed = new List<AccountEmailJob>();
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            claimed.Add(new AccountEmailJob(reader.GetString(0), reader.GetString(1), reader.GetString(2), SqliteExtensions.FromUnixMs(reader.GetInt64(3)))
            {
                Attempts = reader.GetInt32(4),
            });
        return [.. claimed.OrderBy(j => j.CreatedAt)];
    }

    public async Task ReleaseAsync(string id, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var update = connection.Command("UPDATE account_email_jobs SET due_at = $due WHERE id = $id", ("$id", id), ("$due", dueAt.ToUnixMs()));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM account_email_jobs WHERE id = $id", ("$id", id));
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> DeleteByAddressAsync(string address, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM account_email_jobs WHERE address = $address", ("$address", address));
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
