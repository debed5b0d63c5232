using CloneAI.Core.Chat;
using CloneAI.Core.Insights;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloneAI.Local.Insights;

/// <summary>
/// The dashboard's reads over the session tables of <see cref="Chat.SqliteSessionStore"/>: a clone's sessions by start, its
/// usage events by time (index on clone and time) and its questions paired with their answers by the client's message key.
/// Previews are left out by the session's flag, and usage by the owner (the user of a preview) by its user.
/// </summary>
public sealed class SqliteCloneInsightsStore(SqliteDatabase db) : ICloneInsightsStore
{
    private const string NotPreview = "COALESCE(json_extract(s.doc, '$.preview'), 0) = 0";

    public async Task<IReadOnlyList<ChatSession>> ListSessionsAsync(
        IReadOnlyCollection<string> cloneIds, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        if (cloneIds.Count == 0) return [];
        await using var connection = await db.OpenAsync(cancellationToken);
        var (list, parameters) = InList(cloneIds);
        await using var select = connection.Command(
            $"SELECT s.doc, s.etag FROM sessions s WHERE s.clone_id IN ({list}) AND s.started_at >= $since AND s.started_at < $until AND {NotPreview} ORDER BY s.started_at, s.seq",
            [.. parameters, ("$since", since.ToUnixMs()), ("$until", until.ToUnixMs())]);
        var sessions = new List<ChatSession>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) sessions.Add(Json.Read<ChatSession>(reader.GetString(0)) with { ETag = reader.GetString(1) });
        return sessions;
    }

    public async Task<IReadOnlyList<UsageEvent>> ListUsageAsync(
        IReadOnlyCollection<string> cloneIds, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        if (cloneIds.Count == 0) return [];
        await using var connection = await db.OpenAsync(cancellationToken);
        var (list, parameters) = InList(cloneIds);
        await using var select = connection.Command(
            $"SELECT doc FROM usage_events WHERE clone_id IN ({list}) AND created_at >= $since AND created_at < $until ORDER BY created_at, id",
            [.. parameters, ("$since", since.ToUnixMs()), ("$until", until.ToUnixMs())]);
        var usage = new List<UsageEvent>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var u = Json.Read<UsageEvent>(reader.GetString(0));
            if (u.UserId != u.OwnerId) usage.Add(u);
        }
        return usage;
    }

    public async Task<IReadOnlyList<AskedQuestion>> ListQuestionsAsync(
        IReadOnlyCollection<string> cloneIds, DateTimeOffset since, DateTimeOffset until, int max, CancellationToken cancellationToken = default)
    {
        if (cloneIds.Count == 0 || max <= 0) return [];
        await using var connection = await db.OpenAsync(cancellationToken);
        var (list, parameters) = InList(cloneIds);
        // A session with a question in the period started before its end and was last active after its start.
        await using var select = connection.Command(
            $"""
            SELECT s.clone_id, q.doc, a.doc
            FROM sessions s
            JOIN messages q ON q.session_id = s.id AND q.role = 'user'
            LEFT JOIN messages a ON a.session_id = q.session_id AND a.role = 'assistant' AND a.client_message_id = q.client_message_id
            WHERE s.clone_id IN ({list}) AND s.started_at < $until AND s.last_activity_at >= $since AND {NotPreview}
            ORDER BY q.seq DESC
            """,
            [.. parameters, ("$since", since.ToUnixMs()), ("$until", until.ToUnixMs())]);
        var questions = new List<AskedQuestion>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (questions.Count < max && await reader.ReadAsync(cancellationToken))
        {
            var question = Json.Read<SessionMessage>(reader.GetString(1));
            if (question.CreatedAt < since || question.CreatedAt >= until) continue;
            var answer = reader.IsDBNull(2) ? null : Json.Read<SessionMessage>(reader.GetString(2));
            questions.Add(AskedQuestion.Of(reader.GetString(0), question, answer));
        }
        return questions;
    }

    private static (string List, (string Name, object? Value)[] Parameters) InList(IReadOnlyCollection<string> ids)
    {
        var parameters = ids.Distinct(StringComparer.Ordinal).Select((id, i) => ($"$c{i}", (object?)id)).ToArray();
        return (string.Join(", ", parameters.Select(p => p.Item1)), parameters);
    }
}
