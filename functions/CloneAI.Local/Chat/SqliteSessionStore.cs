using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Data.Sqlite;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Chat;

/// <summary>
/// Chat sessions in SQLite. An exchange (question, answer, usage event, session totals) is one transaction; the unique
/// (session, role, client message id) index makes a retried message a no-op, and usage events are keyed by their idempotency key.
/// </summary>
public sealed class SqliteSessionStore(SqliteDatabase db) : ISessionStore
{
    public async Task<ChatSession> CreateAsync(ChatSession session, SessionMessage? greeting, CancellationToken cancellationToken = default)
    {
        var stored = session with { ETag = Json.NewETag() };
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.Command(
            "INSERT INTO sessions(id, user_id, clone_id, status, started_at, last_activity_at, doc, etag) VALUES ($id, $user, $clone, $status, $started, $last, $doc, $etag)",
            ("$id", stored.Id), ("$user", stored.UserId), ("$clone", stored.CloneId), ("$status", stored.Status), ("$started", stored.StartedAt.ToUnixMs()),
            ("$last", stored.LastActivityAt.ToUnixMs()), ("$doc", Json.Write(stored with { ETag = null })), ("$etag", stored.ETag));
        insert.Transaction = tx;
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
            if (greeting is not null) await InsertMessageAsync(connection, tx, greeting, cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteExtensions.ConstraintError)
        {
            await tx.RollbackAsync(cancellationToken);
            throw new ConflictException("A session with this id exists.");
        }
        await tx.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<ChatSession?> GetAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT doc, etag FROM sessions WHERE id = $id", ("$id", sessionId));
        return (await ReadSessionsAsync(select, cancellationToken)).FirstOrDefault();
    }

    public async Task<ChatSession> ReplaceAsync(ChatSession session, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var stored = await ReplaceInAsync(connection, tx, session, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<Page<ChatSession>> ListByUserAsync(string userId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var offset = OffsetToken.Decode(continuationToken);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command(
            "SELECT doc, etag FROM sessions WHERE user_id = $user AND json_extract(doc, '$.deletedAt') IS NULL ORDER BY started_at DESC, seq DESC LIMIT $limit OFFSET $offset",
            ("$user", userId), ("$limit", pageSize + 1), ("$offset", offset));
        return OffsetToken.Paginate(await ReadSessionsAsync(select, cancellationToken), pageSize, offset);
    }

    public async Task<IReadOnlyList<ChatSession>> ListExpiredAsync(DateTimeOffset idleBefore, DateTimeOffset startedBefore, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command(
            "SELECT doc, etag FROM sessions WHERE status = 'active' AND (last_activity_at < $idle OR started_at < $started) ORDER BY last_activity_at LIMIT $max",
            ("$idle", idleBefore.ToUnixMs()), ("$started", startedBefore.ToUnixMs()), ("$max", max));
        return await ReadSessionsAsync(select, cancellationToken);
    }

    public async Task<IReadOnlyList<SessionMessage>> GetMessagesAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT doc FROM messages WHERE session_id = $id ORDER BY seq", ("$id", sessionId));
        return await ReadMessagesAsync(select, cancellationToken);
    }

    public async Task<SessionMessage?> FindAnswerAsync(string sessionId, string clientMessageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command(
            "SELECT doc FROM messages WHERE session_id = $id AND role = 'assistant' AND client_message_id = $key",
            ("$id", sessionId), ("$key", clientMessageId));
        return (await ReadMessagesAsync(select, cancellationToken)).FirstOrDefault();
    }

    public async Task<bool> AddExchangeAsync(ChatSession session, SessionMessage question, SessionMessage answer, UsageEvent usage, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await InsertMessageAsync(connection, tx, question, cancellationToken);
            await InsertMessageAsync(connection, tx, answer, cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteExtensions.ConstraintError)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }
        await InsertUsageAsync(connection, tx, usage, cancellationToken);
        await ReplaceInAsync(connection, tx, session, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    public Task<ChatSession> EndAsync(ChatSession session, IReadOnlyList<UsageEvent> minutes, CancellationToken cancellationToken = default) =>
        RecordUsageAsync(session, minutes, cancellationToken);

    public async Task<ChatSession> RecordUsageAsync(ChatSession session, IReadOnlyList<UsageEvent> usage, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var stored = await ReplaceInAsync(connection, tx, session, cancellationToken);
        foreach (var u in usage) await InsertUsageAsync(connection, tx, u, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task MarkSettledAsync(UsageEvent usage, long charged, DateTimeOffset settledAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = connection.Command(
            "UPDATE usage_events SET doc = json_set(doc, '$.settledAt', $at, '$.charged', $charged) WHERE id = $id AND json_extract(doc, '$.settledAt') IS NULL",
            ("$id", usage.Id), ("$at", settledAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)), ("$charged", charged)))
        {
            update.Transaction = tx;
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var done = connection.Command("DELETE FROM usage_unsettled WHERE usage_id = $id", ("$id", usage.Id)))
        {
            done.Transaction = tx;
            await done.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<UsageEvent>> ListUnsettledAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command(
            "SELECT u.doc FROM usage_unsettled p JOIN usage_events u ON u.id = p.usage_id WHERE p.created_at < $before ORDER BY p.created_at LIMIT $max",
            ("$before", createdBefore.ToUnixMs()), ("$max", max));
        return await ReadUsageAsync(select, cancellationToken);
    }

    public async Task<IReadOnlyList<UsageEvent>> GetUsageAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT doc FROM usage_events WHERE session_id = $id ORDER BY created_at, id", ("$id", sessionId));
        return await ReadUsageAsync(select, cancellationToken);
    }

    public async Task<CloneSessionStats> GetCloneStatsAsync(string cloneId, string currency, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT doc, etag FROM sessions WHERE clone_id = $clone", ("$clone", cloneId));
        var all = await ReadSessionsAsync(select, cancellationToken);
        // What wallets paid (the amount, for an event not settled yet), in the platform currency only.
        await using var usage = connection.Command(
            "SELECT COALESCE(SUM(COALESCE(json_extract(doc, '$.charged'), json_extract(doc, '$.amount'))), 0) FROM usage_events WHERE clone_id = $clone AND json_extract(doc, '$.currency') = $currency",
            ("$clone", cloneId), ("$currency", currency));
        var revenue = Convert.ToInt64(await usage.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        return CloneSessionStats.Of(all, revenue, currency);
    }

    public async Task<IReadOnlyList<ChatSession>> ListEndedAsync(DateTimeOffset endedSince, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        // A session ends at or after its last activity, and never more than a day after it (the longest session is shorter):
        // the indexed column narrows the search, the end itself decides.
        await using var select = connection.Command(
            "SELECT doc, etag FROM sessions WHERE status = 'ended' AND last_activity_at >= $floor AND json_extract(doc, '$.deletedAt') IS NULL ORDER BY last_activity_at",
            ("$floor", endedSince.AddDays(-1).ToUnixMs()));
        return (await ReadSessionsAsync(select, cancellationToken))
            .Where(s => s.EndedAt >= endedSince).OrderBy(s => s.EndedAt).Take(max).ToList();
    }

    public async Task<ChatSession> DeleteAsync(ChatSession session, DateTimeOffset deletedAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var stored = await ReplaceInAsync(connection, tx, session with { DeletedAt = deletedAt }, cancellationToken);
        await using (var delete = connection.Command("DELETE FROM messages WHERE session_id = $id", ("$id", session.Id)))
        {
            delete.Transaction = tx;
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        return stored;
    }

    private static async Task<IReadOnlyList<UsageEvent>> ReadUsageAsync(SqliteCommand select, CancellationToken cancellationToken)
    {
        var list = new List<UsageEvent>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) list.Add(Json.Read<UsageEvent>(reader.GetString(0)));
        return list;
    }

    private static async Task<ChatSession> ReplaceInAsync(SqliteConnection connection, SqliteTransaction tx, ChatSession session, CancellationToken cancellationToken)
    {
        var stored = session with { ETag = Json.NewETag() };
        await using var update = connection.Command(
            "UPDATE sessions SET status = $status, last_activity_at = $last, doc = $doc, etag = $etag WHERE id = $id AND etag = $previous",
            ("$id", stored.Id), ("$status", stored.Status), ("$last", stored.LastActivityAt.ToUnixMs()),
            ("$doc", Json.Write(stored with { ETag = null })), ("$etag", stored.ETag), ("$previous", session.ETag));
        update.Transaction = tx;
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            throw new ConflictException("The session was changed by another request. Reload and try again.");
        return stored;
    }

    private static async Task InsertMessageAsync(SqliteConnection connection, SqliteTransaction tx, SessionMessage message, CancellationToken cancellationToken)
    {
        await using var insert = connection.Command(
            "INSERT INTO messages(id, session_id, role, client_message_id, doc) VALUES ($id, $session, $role, $key, $doc)",
            ("$id", message.Id), ("$session", message.SessionId), ("$role", message.Role), ("$key", message.ClientMessageId), ("$doc", Json.Write(message)));
        insert.Transaction = tx;
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task InsertUsageAsync(SqliteConnection connection, SqliteTransaction tx, UsageEvent usage, CancellationToken cancellationToken)
    {
        await using var insert = connection.Command(
            "INSERT OR IGNORE INTO usage_events(id, session_id, user_id, clone_id, created_at, doc) VALUES ($id, $session, $user, $clone, $created, $doc)",
            ("$id", usage.Id), ("$session", usage.SessionId), ("$user", usage.UserId), ("$clone", usage.CloneId), ("$created", usage.CreatedAt.ToUnixMs()),
            ("$doc", Json.Write(usage)));
        insert.Transaction = tx;
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0 || usage.SettledAt is not null) return;
        // A new event: on the sweep's list until its charge is posted.
        await using var pending = connection.Command("INSERT OR IGNORE INTO usage_unsettled(usage_id, created_at) VALUES ($id, $created)",
            ("$id", usage.Id), ("$created", usage.CreatedAt.ToUnixMs()));
        pending.Transaction = tx;
        await pending.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<ChatSession>> ReadSessionsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var list = new List<ChatSession>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) list.Add(Json.Read<ChatSession>(reader.GetString(0)) with { ETag = reader.GetString(1) });
        return list;
    }

    private static async Task<List<SessionMessage>> ReadMessagesAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var list = new List<SessionMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) list.Add(Json.Read<SessionMessage>(reader.GetString(0)));
        return list;
    }
}
