using System.Globalization;
using CloneAI.Core.Audit;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;

namespace CloneAI.Core.Admin;

/// <summary>One entry of a user's access log: an admin did something to their account or read their data.</summary>
public sealed record AccessLogEntry(string Id, DateTimeOffset At, string Who, string Action, string TargetType, string TargetId, string Reason);

/// <summary>
/// Writes admin actions to the <see cref="IAuditLog"/> (every one with the reason the admin typed) and reads the log: the
/// whole log for admins, a page at a time, and the entries about one user for that user.
/// </summary>
public sealed class AuditTrail(IAuditLog log, IUserStore users, TimeProvider time)
{
    public const int MaxReason = 500;
    public const int MaxPageSize = 100;
    public const int MaxAccessLog = 100;
    /// <summary>How many stored pages a filtered read scans before it answers (possibly with fewer items and a token).</summary>
    public const int MaxScannedPages = 10;
    /// <summary>Who an admin is to a user reading their access log.</summary>
    public const string AdminRole = "CloneAI admin";

    /// <summary>The reason an admin gave, trimmed; 400 on the field <c>reason</c> when it is missing or too long.</summary>
    public static string RequireReason(string? reason)
    {
        var v = new Validator();
        v.Require("reason", reason, MaxReason);
        v.ThrowIfInvalid();
        return reason!.Trim();
    }

    /// <summary>403 unless the caller is an admin.</summary>
    public static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin) throw new ForbiddenException("Only admins can do this.");
    }

    /// <summary>
    /// Appends an entry. <paramref name="id"/> names the change it records, so that a retry finds the entry written before
    /// and stores nothing new; null: a new event each time (reading a conversation).
    /// </summary>
    public async Task<AuditEntry> RecordAsync(
        Caller actor, string action, string targetType, string targetId, string? subjectUserId, string reason,
        string? details = null, string? id = null, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        var entry = new AuditEntry
        {
            Id = id ?? Guid.CreateVersion7().ToString("N"),
            At = at ?? time.GetUtcNow(),
            ActorId = actor.UserId,
            ActorEmail = actor.Email,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            SubjectUserId = subjectUserId,
            Reason = reason,
            Details = details,
        };
        await log.AppendAsync(entry, cancellationToken);
        return entry;
    }

    /// <summary>A stable id for the entry recording <paramref name="action"/> on a target as of <paramref name="changedAt"/>.</summary>
    public static string ChangeId(string action, string targetId, DateTimeOffset changedAt) =>
        $"{action}:{targetId}:{changedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The log, newest first, for admins. With <paramref name="action"/> or <paramref name="targetType"/>, only matching
    /// entries: up to <see cref="MaxScannedPages"/> stored pages are read per call, so a page may hold fewer than asked and
    /// still carry a continuation token.
    /// </summary>
    public async Task<Page<AuditEntry>> ListAsync(
        Caller caller, string? action, string? targetType, int? pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        RequireAdmin(caller);
        var v = new Validator();
        if (pageSize is < 1 or > MaxPageSize) v.Add("pageSize", $"Must be between 1 and {MaxPageSize}.");
        v.Optional("action", action, 100);
        v.Optional("targetType", targetType, 100);
        v.Optional("continuationToken", continuationToken, 1000);
        v.ThrowIfInvalid();
        var size = pageSize ?? 50;
        if (string.IsNullOrWhiteSpace(action) && string.IsNullOrWhiteSpace(targetType))
            return await log.ListAsync(size, continuationToken, cancellationToken);

        var items = new List<AuditEntry>();
        var token = continuationToken;
        for (var scanned = 0; scanned < MaxScannedPages && items.Count < size; scanned++)
        {
            var page = await log.ListAsync(size - items.Count, token, cancellationToken);
            items.AddRange(page.Items.Where(e =>
                (string.IsNullOrWhiteSpace(action) || e.Action == action) && (string.IsNullOrWhiteSpace(targetType) || e.TargetType == targetType)));
            token = page.ContinuationToken;
            if (token is null) break;
        }
        return new Page<AuditEntry>(items, token);
    }

    /// <summary>What admins did to the caller's account or data, newest first: who (as "CloneAI admin" and their name), what, when and why.</summary>
    public async Task<IReadOnlyList<AccessLogEntry>> AccessLogAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var entries = await log.ListForSubjectAsync(caller.UserId, MaxAccessLog, cancellationToken);
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var actor in entries.Select(e => e.ActorId).Distinct(StringComparer.Ordinal))
            names[actor] = (await users.GetAsync(actor, cancellationToken))?.DisplayName;
        return entries.Select(e => new AccessLogEntry(e.Id, e.At, Who(names.GetValueOrDefault(e.ActorId)), e.Action, e.TargetType, e.TargetId, e.Reason)).ToList();
    }

    private static string Who(string? displayName) =>
        string.IsNullOrWhiteSpace(displayName) ? AdminRole : $"{AdminRole} ({displayName})";
}
