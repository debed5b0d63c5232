using System.Globalization;
using System.Text;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Moderation;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloneAI.Local.Moderation;

/// <summary>Reports in SQLite (table <c>reports</c>): one row per report, numbered in order of arrival for keyset paging.</summary>
public sealed class SqliteReportStore(SqliteDatabase db) : IReportStore
{
    public async Task<(Report Report, bool Created)> AddAsync(Report report, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var insert = connection.Command(
            "INSERT OR IGNORE INTO reports(id, clone_id, reporter_id, status, created_at, doc) VALUES ($id, $clone, $reporter, $status, $created, $doc)",
            ("$id", report.Id), ("$clone", report.CloneId), ("$reporter", report.ReporterId), ("$status", report.Status),
            ("$created", report.CreatedAt.ToUnixMs()), ("$doc", Json.Write(report)));
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1) return (report, true);
        return (await GetAsync(report.Id, cancellationToken) ?? report, false);
    }

    public async Task<Report?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT seq, doc FROM reports WHERE id = $id", ("$id", id));
        return (await ModerationRows.ReadAsync<Report>(select, cancellationToken)).Select(r => r.Item).FirstOrDefault();
    }

    public async Task<Report> UpdateAsync(Report report, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var update = connection.Command("UPDATE reports SET status = $status, doc = $doc WHERE id = $id",
            ("$id", report.Id), ("$status", report.Status), ("$doc", Json.Write(report)));
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0) throw new NotFoundException("No such report.");
        return report;
    }

    public async Task<IReadOnlyList<Report>> ListOpenForCloneAsync(string cloneId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT seq, doc FROM reports WHERE clone_id = $clone AND status = 'open' ORDER BY seq", ("$clone", cloneId));
        return (await ModerationRows.ReadAsync<Report>(select, cancellationToken)).Select(r => r.Item).ToList();
    }

    public async Task<Page<Report>> ListAsync(string status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var after = ModerationRows.DecodeCursor(continuationToken);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT seq, doc FROM reports WHERE status = $status AND seq > $after ORDER BY seq LIMIT $limit",
            ("$status", status), ("$after", after), ("$limit", pageSize + 1));
        return ModerationRows.Paginate(await ModerationRows.ReadAsync<Report>(select, cancellationToken), pageSize);
    }

    public async Task<IReadOnlyList<Report>> ListByReporterAsync(string reporterId, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT seq, doc FROM reports WHERE reporter_id = $reporter ORDER BY created_at DESC, seq DESC LIMIT $max",
            ("$reporter", reporterId), ("$max", max));
        return (await ModerationRows.ReadAsync<Report>(select, cancellationToken)).Select(r => r.Item).ToList();
    }

    public async Task DeleteByReporterAsync(string reporterId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM reports WHERE reporter_id = $reporter", ("$reporter", reporterId));
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Verification requests in SQLite (table <c>verification_requests</c>).</summary>
public sealed class SqliteVerificationStore(SqliteDatabase db) : IVerificationStore
{
    public async Task<VerificationRequest> CreateAsync(VerificationRequest request, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var insert = connection.Command(
            "INSERT INTO verification_requests(id, user_id, status, created_at, doc) VALUES ($id, $user, $status, $created, $doc)",
            ("$id", request.Id), ("$user", request.UserId), ("$status", request.Status), ("$created", request.CreatedAt.ToUnixMs()), ("$doc", Json.Write(request)));
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteExtensions.ConstraintError)
        {
            throw new ConflictException("This verification request exists already.");
        }
        return request;
    }

    public async Task<VerificationRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT seq, doc FROM verification_requests WHERE id = $id", ("$id", id));
        return (await ModerationRows.ReadAsync<VerificationRequest>(select, cancellationToken)).Select(r => r.Item).FirstOrDefault();
    }

    public async Task<VerificationRequest> UpdateAsync(VerificationRequest request, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var update = connection.Command("UPDATE verification_requests SET status = $status, doc = $doc WHERE id = $id",
            ("$id", request.Id), ("$status", request.Status), ("$doc", Json.Write(request)));
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0) throw new NotFoundException("No such verification request.");
        return request;
    }

    public async Task<IReadOnlyList<VerificationRequest>> ListByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT seq, doc FROM verification_requests WHERE user_id = $user ORDER BY created_at DESC, seq DESC", ("$user", userId));
        return (await ModerationRows.ReadAsync<VerificationRequest>(select, cancellationToken)).Select(r => r.Item).ToList();
    }

    public async Task<Page<VerificationRequest>> ListAsync(string status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var after = ModerationRows.DecodeCursor(continuationToken);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT seq, doc FROM verification_requests WHERE status = $status AND seq > $after ORDER BY seq LIMIT $limit",
            ("$status", status), ("$after", after), ("$limit", pageSize + 1));
        return ModerationRows.Paginate(await ModerationRows.ReadAsync<VerificationRequest>(select, cancellationToken), pageSize);
    }

    public async Task DeleteByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM verification_requests WHERE user_id = $user", ("$user", userId));
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Reading rows and keyset pages (forwards from a row number, so resolving items while paging skips none).</summary>
internal static class ModerationRows
{
    public static async Task<List<(long Seq, T Item)>> ReadAsync<T>(SqliteCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<(long, T)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetInt64(0), Json.Read<T>(reader.GetString(1))));
        return rows;
    }

    public static Page<T> Paginate<T>(List<(long Seq, T Item)> rows, int pageSize)
    {
        var more = rows.Count > pageSize;
        if (more) rows.RemoveAt(rows.Count - 1);
        return new Page<T>(rows.Select(r => r.Item).ToList(), more ? EncodeCursor(rows[^1].Seq) : null);
    }

    private static string EncodeCursor(long seq) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes("a:" + seq.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    public static long DecodeCursor(string? token)
    {
        if (token is null) return 0;
        try
        {
            var padded = token.PadRight(token.Length + (4 - token.Length % 4) % 4, '=');
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(padded));
            if (text.StartsWith("a:", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
                return seq;
        }
        catch (FormatException)
        {
        }
        throw new ValidationException("continuationToken", "The continuation token is not valid. Start again from the first page.");
    }
}
