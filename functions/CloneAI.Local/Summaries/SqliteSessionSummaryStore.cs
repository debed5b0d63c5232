using CloneAI.Core.Summaries;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Summaries;

/// <summary>Session summaries in SQLite: one row per session (its primary key), so a second write of one stores nothing.</summary>
public sealed class SqliteSessionSummaryStore(SqliteDatabase db) : ISessionSummaryStore
{
    public async Task<bool> TryAddAsync(SessionSummary summary, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var insert = connection.Command(
            "INSERT OR IGNORE INTO session_summaries(session_id, user_id, clone_id, session_ended_at, doc) VALUES ($id, $user, $clone, $ended, $doc)",
            ("$id", summary.SessionId), ("$user", summary.UserId), ("$clone", summary.CloneId), ("$ended", summary.SessionEndedAt.ToUnixMs()),
            ("$doc", Json.Write(summary)));
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<SessionSummary?> GetAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT doc FROM session_summaries WHERE session_id = $id AND user_id = $user", ("$id", sessionId), ("$user", userId));
        return (await ReadAsync(select, cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<SessionSummary>> ListAsync(string userId, string? cloneId, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = cloneId is null
            ? connection.Command("SELECT doc FROM session_summaries WHERE user_id = $user ORDER BY session_ended_at DESC, session_id LIMIT $max", ("$user", userId), ("$max", max))
            : connection.Command("SELECT doc FROM session_summaries WHERE user_id = $user AND clone_id = $clone ORDER BY session_ended_at DESC, session_id LIMIT $max",
                ("$user", userId), ("$clone", cloneId), ("$max", max));
        return await ReadAsync(select, cancellationToken);
    }

    public async Task MarkReceiptSentAsync(string userId, string sessionId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var summary = await GetAsync(userId, sessionId, cancellationToken);
        if (summary is null || summary.ReceiptSentAt is not null) return;
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var update = connection.Command("UPDATE session_summaries SET doc = $doc WHERE session_id = $id AND user_id = $user",
            ("$doc", Json.Write(summary with { ReceiptSentAt = at })), ("$id", sessionId), ("$user", userId));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM session_summaries WHERE session_id = $id AND user_id = $user", ("$id", sessionId), ("$user", userId));
        return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static async Task<List<SessionSummary>> ReadAsync(Microsoft.Data.Sqlite.SqliteCommand select, CancellationToken cancellationToken)
    {
        var list = new List<SessionSummary>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) list.Add(Json.Read<SessionSummary>(reader.GetString(0)));
        return list;
    }
}
