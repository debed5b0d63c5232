using System.Globalization;
using System.Text;
using CloneAI.Core.Audit;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloneAI.Local.Audit;

/// <summary>
/// The audit log in SQLite: one row per entry, numbered in order of arrival. Pages go backwards from a row number, so an
/// entry appended while someone pages is never shown twice or skipped.
/// </summary>
public sealed class SqliteAuditLog(SqliteDatabase db) : IAuditLog
{
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var insert = connection.Command(
            "INSERT OR IGNORE INTO audit_log(id, at, actor_id, subject_user_id, doc) VALUES ($id, $at, $actor, $subject, $doc)",
            ("$id", entry.Id), ("$at", entry.At.ToUnixMs()), ("$actor", entry.ActorId), ("$subject", entry.SubjectUserId), ("$doc", Json.Write(entry)));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Page<AuditEntry>> ListAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var before = DecodeCursor(continuationToken);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command(
            "SELECT seq, doc FROM audit_log WHERE seq < $before ORDER BY seq DESC LIMIT $limit", ("$before", before), ("$limit", pageSize + 1));
        var rows = new List<(long Seq, AuditEntry Entry)>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetInt64(0), Json.Read<AuditEntry>(reader.GetString(1))));
        }
        var more = rows.Count > pageSize;
        if (more) rows.RemoveAt(rows.Count - 1);
        return new Page<AuditEntry>(rows.Select(r => r.Entry).ToList(), more ? EncodeCursor(rows[^1].Seq) : null);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListForSubjectAsync(string userId, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command(
            "SELECT doc FROM audit_log WHERE subject_user_id = $user ORDER BY seq DESC LIMIT $max", ("$user", userId), ("$max", max));
        var list = new List<AuditEntry>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) list.Add(Json.Read<AuditEntry>(reader.GetString(0)));
        return list;
    }

    public async Task PseudonymiseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var rows = new List<(long Seq, AuditEntry Entry)>();
        await using (var select = connection.Command(
            "SELECT seq, doc FROM audit_log WHERE actor_id = $user OR subject_user_id = $user", ("$user", userId)))
        {
            select.Transaction = transaction;
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetInt64(0), Json.Read<AuditEntry>(reader.GetString(1))));
        }
        foreach (var (seq, entry) in rows)
        {
            var changed = entry with
            {
                ActorId = entry.ActorId == userId ? pseudonym : entry.ActorId,
                ActorEmail = entry.ActorId == userId ? "" : entry.ActorEmail,
                SubjectUserId = entry.SubjectUserId == userId ? pseudonym : entry.SubjectUserId,
                TargetId = entry.TargetId == userId ? pseudonym : entry.TargetId,
            };
            await using var update = connection.Command(
                "UPDATE audit_log SET actor_id = $actor, subject_user_id = $subject, doc = $doc WHERE seq = $seq",
                ("$actor", changed.ActorId), ("$subject", changed.SubjectUserId), ("$doc", Json.Write(changed)), ("$seq", seq));
            update.Transaction = transaction;
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static string EncodeCursor(long seq) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes("s:" + seq.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    private static long DecodeCursor(string? token)
    {
        if (token is null) return long.MaxValue;
        try
        {
            var padded = token.PadRight(token.Length + (4 - token.Length % 4) % 4, '=');
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(padded));
            if (text.StartsWith("s:", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
                return seq;
        }
        catch (FormatException)
        {
        }
        throw new ValidationException("continuationToken", "The continuation token is not valid. Start again from the first page.");
    }
}
