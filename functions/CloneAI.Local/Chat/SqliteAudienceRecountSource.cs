using System.Runtime.CompilerServices;
using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Chat;

/// <summary>The audience recount's reads over the SQLite tables <c>sessions</c>, <c>clone_audience</c> and <c>clones</c>, and its writes to <c>clone_audience</c>.</summary>
public sealed class SqliteAudienceRecountSource(SqliteDatabase db) : IAudienceRecountSource
{
    public async IAsyncEnumerable<ChatSession> ReadSessionsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT doc FROM sessions ORDER BY seq");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) yield return Json.Read<ChatSession>(reader.GetString(0));
    }

    public async IAsyncEnumerable<CloneAudienceEntry> ReadAudienceAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT clone_id, user_id, counted, stars, session_id, rated_at FROM clone_audience");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return new CloneAudienceEntry(reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0,
                reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : SqliteExtensions.FromUnixMs(reader.GetInt64(5)));
    }

    public async IAsyncEnumerable<Clone> ReadClonesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT doc FROM clones ORDER BY seq");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) yield return Json.Read<Clone>(reader.GetString(0));
    }

    public async Task PutAudienceAsync(CloneAudienceEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var upsert = connection.Command(
            """
            INSERT INTO clone_audience(clone_id, user_id, counted, stars, session_id, rated_at) VALUES ($clone, $user, $counted, $stars, $session, $at)
            ON CONFLICT(clone_id, user_id) DO UPDATE SET counted = excluded.counted, stars = excluded.stars, session_id = excluded.session_id, rated_at = excluded.rated_at
            """,
            ("$clone", entry.CloneId), ("$user", entry.UserId), ("$counted", entry.Counted ? 1 : 0), ("$stars", entry.Stars),
            ("$session", entry.SessionId), ("$at", entry.RatedAt?.ToUnixMs()));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }
}
