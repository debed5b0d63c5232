using CloneAI.Core.Errors;
using CloneAI.Core.Memory;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Memory;

/// <summary>
/// Memory items in SQLite, keyed by (user, id): every statement names the user, so no call reads across users. A replace is
/// ETag-checked like the other stores.
/// </summary>
public sealed class SqliteMemoryStore(SqliteDatabase db) : IMemoryStore
{
    public async Task<IReadOnlyList<MemoryItem>> ListAsync(string userId, string? cloneId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = cloneId is null
            ? connection.Command("SELECT doc, etag FROM memories WHERE user_id = $user ORDER BY created_at, id", ("$user", userId))
            : connection.Command("SELECT doc, etag FROM memories WHERE user_id = $user AND (clone_id = $clone OR clone_id IS NULL) ORDER BY created_at, id",
                ("$user", userId), ("$clone", cloneId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<MemoryItem>();
        while (await reader.ReadAsync(cancellationToken)) items.Add(Json.Read<MemoryItem>(reader.GetString(0)) with { ETag = reader.GetString(1) });
        return items;
    }

    public async Task<MemoryItem?> GetAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT doc, etag FROM memories WHERE user_id = $user AND id = $id", ("$user", userId), ("$id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Json.Read<MemoryItem>(reader.GetString(0)) with { ETag = reader.GetString(1) } : null;
    }

    public async Task<MemoryItem> UpsertAsync(MemoryItem item, CancellationToken cancellationToken = default)
    {
        var etag = Json.NewETag();
        var doc = Json.Write(item with { ETag = null });
        await using var connection = await db.OpenAsync(cancellationToken);
        if (item.ETag is null)
        {
            await using var upsert = connection.Command(
                """
                INSERT INTO memories(user_id, id, clone_id, session_id, created_at, doc, etag) VALUES ($user, $id, $clone, $session, $created, $doc, $etag)
                ON CONFLICT(user_id, id) DO UPDATE SET clone_id = excluded.clone_id, session_id = excluded.session_id, doc = excluded.doc, etag = excluded.etag
                """,
                ("$user", item.UserId), ("$id", item.Id), ("$clone", item.CloneId), ("$session", item.Source?.SessionId),
                ("$created", item.CreatedAt.ToUnixMs()), ("$doc", doc), ("$etag", etag));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        else
        {
            await using var update = connection.Command(
                "UPDATE memories SET clone_id = $clone, session_id = $session, doc = $doc, etag = $etag WHERE user_id = $user AND id = $id AND etag = $previous",
                ("$user", item.UserId), ("$id", item.Id), ("$clone", item.CloneId), ("$session", item.Source?.SessionId), ("$doc", doc), ("$etag", etag),
                ("$previous", item.ETag));
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
                throw new ConflictException("This memory item was changed or deleted meanwhile. Reload and try again.");
        }
        return item with { ETag = etag };
    }

    public async Task<bool> DeleteAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM memories WHERE user_id = $user AND id = $id", ("$user", userId), ("$id", id));
        return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<int> DeleteFromSessionAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM memories WHERE user_id = $user AND session_id = $session", ("$user", userId), ("$session", sessionId));
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Users' per-clone settings in SQLite, one row per (user, clone).</summary>
public sealed class SqliteClonePreferenceStore(SqliteDatabase db) : IClonePreferenceStore
{
    public async Task<ClonePreferences?> GetAsync(string userId, string cloneId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT doc FROM clone_preferences WHERE user_id = $user AND clone_id = $clone", ("$user", userId), ("$clone", cloneId));
        return await command.ExecuteScalarAsync(cancellationToken) is string doc ? Json.Read<ClonePreferences>(doc) : null;
    }

    public async Task<ClonePreferences> UpsertAsync(ClonePreferences preferences, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var upsert = connection.Command(
            "INSERT INTO clone_preferences(user_id, clone_id, doc) VALUES ($user, $clone, $doc) ON CONFLICT(user_id, clone_id) DO UPDATE SET doc = excluded.doc",
            ("$user", preferences.UserId), ("$clone", preferences.CloneId), ("$doc", Json.Write(preferences)));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
        return preferences;
    }
}
