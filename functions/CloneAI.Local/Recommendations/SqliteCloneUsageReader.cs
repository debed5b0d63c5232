using CloneAI.Core.Recommendations;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Recommendations;

/// <summary>
/// Who used which clone, aggregated in SQL over the <c>sessions</c> table of <see cref="Chat.SqliteSessionStore"/> (one user's
/// by the index on user and start); the owner's previews are left out by the session's flag.
/// </summary>
public sealed class SqliteCloneUsageReader(SqliteDatabase db) : ICloneUsageReader
{
    private const string NotPreview = "COALESCE(json_extract(doc, '$.preview'), 0) = 0";

    private const string Aggregate =
        "SELECT user_id, clone_id, COUNT(*), SUM(COALESCE(json_extract(doc, '$.messageCount'), 0)), AVG(json_extract(doc, '$.rating')), MAX(started_at)";

    public Task<IReadOnlyList<CloneUse>> ForUserAsync(string userId, CancellationToken cancellationToken = default) =>
        ReadAsync(
            $"{Aggregate} FROM sessions WHERE user_id = $user AND {NotPreview} GROUP BY user_id, clone_id ORDER BY MAX(started_at) DESC, clone_id",
            [("$user", userId)], cancellationToken);

    public Task<IReadOnlyList<CloneUse>> ListSinceAsync(DateTimeOffset since, int max, CancellationToken cancellationToken = default) =>
        ReadAsync(
            $"""
            {Aggregate} FROM (SELECT user_id, clone_id, started_at, doc FROM sessions WHERE started_at >= $since AND {NotPreview} ORDER BY started_at DESC LIMIT $max)
            GROUP BY user_id, clone_id ORDER BY MAX(started_at) DESC, user_id, clone_id
            """,
            [("$since", since.ToUnixMs()), ("$max", max)], cancellationToken);

    private async Task<IReadOnlyList<CloneUse>> ReadAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command(sql, parameters);
        var uses = new List<CloneUse>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            uses.Add(new CloneUse(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4), SqliteExtensions.FromUnixMs(reader.GetInt64(5))));
        }
        return uses;
    }
}
