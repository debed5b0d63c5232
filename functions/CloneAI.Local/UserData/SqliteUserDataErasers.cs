using System.Text;
using CloneAI.Core.Blobs;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Privacy;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;
using MimeKit;
using CloneAI.Core.UserData;

namespace CloneAI.Local.UserData;

/// <summary>Running a batch of statements in one transaction, with the user id as <c>$u</c> and the pseudonym as <c>$p</c>.</summary>
internal static class EraseSql
{
    public static async Task RunAsync(SqliteDatabase db, string userId, string pseudonym, CancellationToken cancellationToken, params string[] statements)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var sql in statements)
        {
            await using var command = connection.Command(sql, ("$u", userId), ("$p", pseudonym));
            command.Transaction = tx;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
    }
}

/// <summary>
/// The user's own sessions with their messages, their summaries, memories, per-clone settings and checklist ticks. Other users'
/// sessions with the user's clones stay theirs: their clone shows as "Deleted clone" and the owner as the pseudonym.
/// </summary>
public sealed class SqliteSessionDataEraser(SqliteDatabase db) : IUserDataEraser
{
    public const string DeletedCloneName = "Deleted clone";

    public string Name => "sessions";
    public int Order => 200;

    public Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default) =>
        EraseSql.RunAsync(db, userId, pseudonym, cancellationToken,
            "DELETE FROM messages WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $u)",
            "DELETE FROM sessions WHERE user_id = $u",
            "DELETE FROM session_summaries WHERE user_id = $u",
            "DELETE FROM memories WHERE user_id = $u",
            "DELETE FROM clone_preferences WHERE user_id = $u",
            "DELETE FROM progress_ticks WHERE user_id = $u",
            $"""
            UPDATE sessions SET doc = json_set(replace(doc, $u, $p), '$.cloneName', '{DeletedCloneName}', '$.cloneSlug', '')
            WHERE clone_id IN (SELECT id FROM clones WHERE owner_id = $u) OR instr(doc, $u) > 0
            """);
}

/// <summary>
/// The user's clones, deleted ones included: their chunks in the index, their blobs (<see cref="CloneContent"/>), their documents and their text.
/// A clone that other users' sessions name stays as a tombstone with no text ("Deleted clone", status deleted, owned by the
/// pseudonym); any other is deleted.
/// </summary>
public sealed class SqliteCloneEraser(SqliteDatabase db, IKnowledgeIndex index, IBlobStore blobs, TimeProvider time) : IUserDataEraser
{
    public string Name => "clones";
    public int Order => 300;

    public async Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var clones = new List<(long Seq, string Id, string Doc)>();
        await using (var read = connection.Command("SELECT seq, id, doc FROM clones WHERE owner_id = $u", ("$u", userId)))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) clones.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));

        foreach (var (seq, id, doc) in clones)
        {
            var documents = new List<string>();
            await using (var read = connection.Command("SELECT id FROM documents WHERE clone_id = $c", ("$c", id)))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken)) documents.Add(reader.GetString(0));
            await CloneContent.EraseAsync(id, documents, Json.Read<Clone>(doc).AvatarBlob, index, blobs, cancellationToken);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            async Task Run(string sql, params (string, object?)[] parameters)
            {
                await using var command = connection.Command(sql, parameters);
                command.Transaction = tx;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await Run("DELETE FROM document_tags WHERE document_id IN (SELECT id FROM documents WHERE clone_id = $c)", ("$c", id));
            await Run("DELETE FROM documents WHERE clone_id = $c", ("$c", id));
            await Run("DELETE FROM chunks WHERE clone_id = $c", ("$c", id));
            await Run("DELETE FROM clones_fts WHERE rowid = $seq", ("$seq", seq));
            await using (var used = connection.Command("SELECT EXISTS(SELECT 1 FROM sessions WHERE clone_id = $c)", ("$c", id)))
            {
                used.Transaction = tx;
                if (Convert.ToInt64(await used.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
                {
                    await Run("DELETE FROM clones WHERE id = $c", ("$c", id));
                }
                else
                {
                    var clone = Json.Read<Clone>(doc);
                    var tombstone = new Clone
                    {
                        Id = clone.Id, Slug = "deleted-" + clone.Id, OwnerId = pseudonym, Name = SqliteSessionDataEraser.DeletedCloneName,
                        Category = clone.Category, Status = CloneStatus.Deleted, Pricing = clone.Pricing, CreatedAt = clone.CreatedAt, UpdatedAt = time.GetUtcNow(),
                    };
                    await Run("UPDATE clones SET slug = $slug, owner_id = $p, status = $status, doc = $doc, etag = $etag WHERE id = $c",
                        ("$slug", tombstone.Slug), ("$p", pseudonym), ("$status", CloneStatus.Deleted), ("$doc", Json.Write(tombstone)),
                        ("$etag", Json.NewETag()), ("$c", id));
                }
            }
            await tx.CommitAsync(cancellationToken);
        }
    }
}

/// <summary>
/// Money records that must be kept (ledger transactions and balances, top-ups, payouts, usage events, the billing outbox) name
/// the pseudonym instead of the user id; the payout account (bank details at the provider) goes.
/// </summary>
public sealed class SqliteLedgerPseudonymiser(SqliteDatabase db) : IUserDataEraser
{
    public string Name => "ledger";
    public int Order => 400;

    public Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default) =>
        EraseSql.RunAsync(db, userId, pseudonym, cancellationToken,
            "UPDATE ledger_entries SET account = replace(account, $u, $p) WHERE account IN ('wallet:' || $u, 'earnings:' || $u)",
            "UPDATE ledger_balances SET account = replace(account, $u, $p) WHERE account IN ('wallet:' || $u, 'earnings:' || $u)",
            "UPDATE ledger_transactions SET doc = replace(doc, $u, $p), idempotency_key = replace(idempotency_key, $u, $p) WHERE instr(doc, $u) > 0 OR instr(idempotency_key, $u) > 0",
            "UPDATE topups SET user_id = $p, doc = replace(doc, $u, $p), idempotency_key = replace(idempotency_key, $u, $p) WHERE user_id = $u",
            "UPDATE payouts SET creator_id = $p, doc = replace(doc, $u, $p), idempotency_key = replace(idempotency_key, $u, $p) WHERE creator_id = $u",
            "DELETE FROM payout_accounts WHERE creator_id = $u",
            "UPDATE usage_events SET user_id = replace(user_id, $u, $p), doc = replace(doc, $u, $p) WHERE user_id = $u OR instr(doc, $u) > 0",
            "UPDATE billing_outbox SET doc = replace(doc, $u, $p), key = replace(key, $u, $p) WHERE instr(doc, $u) > 0 OR instr(key, $u) > 0",
            "UPDATE webhook_receipts SET reference = replace(reference, $u, $p) WHERE instr(reference, $u) > 0");
}

/// <summary>The account itself, last: its one-time and refresh tokens, its password and the user record (its tokens fail from now on).</summary>
public sealed class SqliteAccountEraser(SqliteDatabase db) : IUserDataEraser
{
    public string Name => "account";
    public int Order => 900;

    public Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default) =>
        EraseSql.RunAsync(db, userId, pseudonym, cancellationToken,
            "DELETE FROM tokens WHERE user_id = $u",
            "DELETE FROM credentials WHERE user_id = $u",
            "DELETE FROM users WHERE id = $u");
}

/// <summary>
/// The email outbox (local mode keeps a copy of every email): the messages to the user's address or naming their id, and the
/// sent-once markers whose key names them. It runs before the account eraser, which takes the address away.
/// </summary>
public sealed class OutboxEraser(string outbox, SqliteDatabase db) : IUserDataEraser
{
    public string Name => "email-outbox";
    public int Order => 800;

    public async Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(outbox)) return;
        string? email = null;
        await using (var connection = await db.OpenAsync(cancellationToken))
        await using (var read = connection.Command("SELECT email FROM users WHERE id = $u", ("$u", userId)))
            email = await read.ExecuteScalarAsync(cancellationToken) as string;
        foreach (var file in Directory.EnumerateFiles(outbox, "*.eml*"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Mentions(file, userId, email)) File.Delete(file);
        }
        var keys = Path.Combine(outbox, "keys");
        if (!Directory.Exists(keys)) return;
        foreach (var file in Directory.EnumerateFiles(keys))
            if ((await File.ReadAllTextAsync(file, cancellationToken)).Contains(userId, StringComparison.Ordinal)) File.Delete(file);
    }

    private static bool Mentions(string file, string userId, string? email)
    {
        var bytes = File.ReadAllBytes(file);
        if (Contains(bytes, userId) || (email is not null && Contains(bytes, email))) return true;
        if (email is null) return false;
        try
        {
            using var stream = new MemoryStream(bytes);
            var message = MimeMessage.Load(stream);
            return message.To.Mailboxes.Any(m => string.Equals(m.Address, email, StringComparison.OrdinalIgnoreCase))
                || (message.TextBody ?? "").Contains(userId, StringComparison.Ordinal);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0
        || System.Text.Encoding.UTF8.GetString(haystack).Contains(needle, StringComparison.OrdinalIgnoreCase);
}
