using System.Security.Cryptography;
using System.Text;
using CloneAI.Core.Audit;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Limits;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Moderation;

/// <summary>What a user reports: a reason from <see cref="ReportReasons"/>, their words, and optionally one answer of their session.</summary>
public sealed record ReportInput(string? Reason, string? Details, string? SessionId, string? MessageId);

/// <summary>One report in the admins' queue, with its clone and how many open reports (from how many users) the clone has.</summary>
public sealed record QueuedReport(Report Report, Clone? ReportedClone, User? Reporter, int OpenReports, int DistinctReporters);

/// <summary>
/// Reports and the admins' moderation queue. Any signed-in user reports a clone, or an answer in their own session with it;
/// a repeat of an open report (same user, clone and answer) returns it unchanged. When open reports from
/// <see cref="ModerationOptions.AutoHideReports"/> distinct users pile up, the clone is hidden until an admin reviews it. New
/// reports are counted per reporter per hour in the <see cref="IRateWindowStore"/> (shared by every instance).
/// Admins dismiss a report, hide its clone or restore it, always with a reason, and every such action is audit-logged.
/// </summary>
public sealed class ReportService(
    IReportStore reports,
    CloneService clones,
    ICloneStore store,
    ISessionStore sessions,
    IUserStore users,
    CloneModeration moderation,
    IAuditLog audit,
    IOptions<ModerationOptions> options,
    TimeProvider time,
    ILogger<ReportService> logger,
    IRateWindowStore limits)
{
    public const int MaxDetails = 2000;
    public const int MaxReason = 500;
    public const int MaxExcerpt = 1000;
    public const int MaxPageSize = 50;

    /// <summary>Files a report. Returns it and whether it is new (false: the same open report already existed).</summary>
    public async Task<(Report Report, bool Created)> FileAsync(Caller caller, string cloneIdOrSlug, ReportInput input, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        if (string.IsNullOrWhiteSpace(input.Reason)) v.Add("reason", "Required.");
        else if (!ReportReasons.All.Contains(input.Reason)) v.Add("reason", $"Use one of: {string.Join(", ", ReportReasons.All)}.");
        v.Optional("details", input.Details, MaxDetails);
        if (input.Reason == ReportReasons.Other && string.IsNullOrWhiteSpace(input.Details)) v.Add("details", "Say what is wrong.");
        if (input.SessionId is null != input.MessageId is null) v.Add(input.SessionId is null ? "sessionId" : "messageId", "Give both sessionId and messageId to report an answer.");
        v.Optional("sessionId", input.SessionId, 100);
        v.Optional("messageId", input.MessageId, 100);
        v.ThrowIfInvalid();

        var clone = await clones.GetAsync(caller, cloneIdOrSlug, cancellationToken);
        if (clone.OwnerId == caller.UserId) throw new ForbiddenException("You can't report your own clone.");
        var excerpt = input.SessionId is null ? null : await AnswerExcerptAsync(caller, clone, input.SessionId, input.MessageId!, cancellationToken);

        var mine = await reports.ListByReporterAsync(caller.UserId, 10_000, cancellationToken);
        var key = Key(caller.UserId, clone.Id, input.MessageId);
        var open = mine.FirstOrDefault(r => r.Status == ReportStatus.Open && Key(r.ReporterId, r.CloneId, r.MessageId) == key);
        if (open is not null) return (open, false);

        var now = time.GetUtcNow();
        var limit = options.Value.ReportsPerHour;
        if (limit > 0)
        {
            var decision = await limits.TryAcquireAsync(ThrottleKey(caller.UserId), limit, TimeSpan.FromHours(1), now, cancellationToken);
            if (!decision.Allowed)
                throw new TooManyRequestsException($"You have sent {limit} reports in the last hour. Try again in {Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalMinutes))} min.", decision.RetryAfter);
        }

        // The id names the reporter, clone, answer and how many such reports came before: two requests sent at once make the
        // same id, and the store keeps one.
        var earlier = mine.Count(r => Key(r.ReporterId, r.CloneId, r.MessageId) == key);
        var report = new Report
        {
            Id = $"r-{key}-{earlier}",
            CloneId = clone.Id,
            CloneOwnerId = clone.OwnerId,
            ReporterId = caller.UserId,
            Reason = input.Reason!,
            Details = input.Details?.Trim() ?? "",
            SessionId = input.SessionId,
            MessageId = input.MessageId,
            AnswerExcerpt = excerpt,
            CreatedAt = now,
        };
        var (stored, created) = await reports.AddAsync(report, cancellationToken);
        if (!created && limit > 0) await limits.ReleaseAsync(ThrottleKey(caller.UserId), now, cancellationToken); // the same report, sent twice at once
        if (created)
        {
            logger.LogInformation("Clone {CloneId} reported ({Reason})", clone.Id, stored.Reason);
            await AutoHideIfDueAsync(clone.Id, cancellationToken);
        }
        return (stored, created);
    }

    /// <summary>Hides the clone when its open reports come from enough distinct users.</summary>
    public async Task AutoHideIfDueAsync(string cloneId, CancellationToken cancellationToken = default)
    {
        var open = await reports.ListOpenForCloneAsync(cloneId, cancellationToken);
        var reporters = open.Select(r => r.ReporterId).Distinct(StringComparer.Ordinal).Count();
        if (reporters < options.Value.AutoHideReports) return;
        var reasons = Reasons(open);
        var why = $"Reported by {reporters} people for {string.Join(", ", reasons.Select(ReportReasons.Describe))}. It stays hidden until an admin reviews the reports.";
        var (clone, changed) = await moderation.HideAsync(cloneId, reasons, why, null, cancellationToken);
        if (changed)
        {
            await audit.AppendAsync(new AuditEntry
            {
                Id = Guid.NewGuid().ToString("N"), At = time.GetUtcNow(), ActorId = "system", ActorEmail = "", Action = AuditActions.CloneHidden,
                TargetType = AuditTargets.Clone, TargetId = cloneId, SubjectUserId = clone.OwnerId,
                Reason = $"Automatic: open reports from {reporters} users (Moderation:AutoHideReports = {options.Value.AutoHideReports}).",
                Details = "reasons=" + string.Join(",", reasons),
            }, cancellationToken);
        }
    }

    /// <summary>The admins' queue: reports in <paramref name="status"/>, oldest first, each with its clone's counts.</summary>
    public async Task<Page<QueuedReport>> ListQueueAsync(Caller caller, string? status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        RequireAdmin(caller);
        status ??= ReportStatus.Open;
        var v = new Validator();
        if (!ReportStatus.All.Contains(status)) v.Add("status", $"Use one of: {string.Join(", ", ReportStatus.All)}.");
        if (pageSize is < 1 or > MaxPageSize) v.Add("pageSize", $"Must be between 1 and {MaxPageSize}.");
        v.Optional("continuationToken", continuationToken, 2000);
        v.ThrowIfInvalid();
        var page = await reports.ListAsync(status, pageSize, continuationToken, cancellationToken);
        var byClone = new Dictionary<string, (Clone? Clone, int Open, int Reporters)>(StringComparer.Ordinal);
        var byUser = new Dictionary<string, User?>(StringComparer.Ordinal);
        var items = new List<QueuedReport>(page.Items.Count);
        foreach (var report in page.Items)
        {
            if (!byClone.TryGetValue(report.CloneId, out var clone))
            {
                var open = await reports.ListOpenForCloneAsync(report.CloneId, cancellationToken);
                byClone[report.CloneId] = clone = (await store.GetAsync(report.CloneId, cancellationToken), open.Count,
                    open.Select(r => r.ReporterId).Distinct(StringComparer.Ordinal).Count());
            }
            if (!byUser.TryGetValue(report.ReporterId, out var reporter))
                byUser[report.ReporterId] = reporter = await users.GetAsync(report.ReporterId, cancellationToken);
            items.Add(new QueuedReport(report, clone.Clone, reporter, clone.Open, clone.Reporters));
        }
        return new Page<QueuedReport>(items, page.ContinuationToken);
    }

    /// <summary>
    /// An admin's decision: <c>dismiss</c> closes this report (a hidden clone stays hidden until restored); <c>hide</c> hides
    /// the clone and closes its open reports as upheld; <c>restore</c> shows it again and closes its open reports as dismissed.
    /// </summary>
    public async Task<Report> ResolveAsync(Caller caller, string reportId, string? action, string? reason, CancellationToken cancellationToken = default)
    {
        RequireAdmin(caller);
        var v = new Validator();
        if (string.IsNullOrWhiteSpace(action)) v.Add("action", "Required.");
        else if (!ReportActions.All.Contains(action)) v.Add("action", $"Use one of: {string.Join(", ", ReportActions.All)}.");
        v.Require("reason", reason, MaxReason);
        v.ThrowIfInvalid();
        reason = reason!.Trim();
        var report = await reports.GetAsync(reportId, cancellationToken) ?? throw new NotFoundException("No such report.");
        var now = time.GetUtcNow();

        switch (action)
        {
            case ReportActions.Dismiss:
            {
                if (report.Status != ReportStatus.Open) throw new ConflictException("This report is already resolved.");
                var closed = await CloseAsync(report, ReportStatus.Dismissed, action, caller, reason, now, cancellationToken);
                await AppendAsync(caller, AuditActions.ReportResolved, AuditTargets.Report, report.Id, null, reason, $"action=dismiss;clone={report.CloneId}", cancellationToken);
                return closed;
            }
            case ReportActions.Hide:
            {
                var open = await reports.ListOpenForCloneAsync(report.CloneId, cancellationToken);
                var reasons = Reasons(open.Append(report));
                var why = $"Hidden by a moderator after reviewing reports for {string.Join(", ", reasons.Select(ReportReasons.Describe))}. Moderator's note: “{reason}”";
                var (clone, _) = await moderation.HideAsync(report.CloneId, reasons, why, reason, cancellationToken);
                foreach (var r in open) await CloseAsync(r, ReportStatus.Upheld, action, caller, reason, now, cancellationToken);
                await AppendAsync(caller, AuditActions.CloneHidden, AuditTargets.Clone, clone.Id, clone.OwnerId, reason, $"report={report.Id};closed={open.Count}", cancellationToken);
                return await reports.GetAsync(report.Id, cancellationToken) ?? report;
            }
            default:
            {
                var open = await reports.ListOpenForCloneAsync(report.CloneId, cancellationToken);
                var (clone, _) = await moderation.RestoreAsync(report.CloneId, cancellationToken);
                foreach (var r in open) await CloseAsync(r, ReportStatus.Dismissed, action!, caller, reason, now, cancellationToken);
                await AppendAsync(caller, AuditActions.CloneRestored, AuditTargets.Clone, clone.Id, clone.OwnerId, reason, $"report={report.Id};closed={open.Count}", cancellationToken);
                return await reports.GetAsync(report.Id, cancellationToken) ?? report;
            }
        }
    }

    private Task<Report> CloseAsync(Report report, string status, string action, Caller caller, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        reports.UpdateAsync(report with { Status = status, Resolution = action, ResolutionReason = reason, ResolvedAt = now, ResolvedBy = caller.UserId }, cancellationToken);

    private Task AppendAsync(Caller caller, string action, string targetType, string targetId, string? subject, string reason, string details, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry
        {
            Id = Guid.NewGuid().ToString("N"), At = time.GetUtcNow(), ActorId = caller.UserId, ActorEmail = caller.Email, Action = action,
            TargetType = targetType, TargetId = targetId, SubjectUserId = subject, Reason = reason, Details = details,
        }, cancellationToken);

    private async Task<string> AnswerExcerptAsync(Caller caller, Clone clone, string sessionId, string messageId, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(sessionId, cancellationToken);
        if (session is null || session.UserId != caller.UserId || session.CloneId != clone.Id || session.DeletedAt is not null)
            throw new NotFoundException("No such answer in your sessions with this clone.");
        var messages = await sessions.GetMessagesAsync(sessionId, cancellationToken);
        var answer = messages.FirstOrDefault(m => m.Id == messageId && m.Role == MessageRoles.Assistant)
            ?? throw new NotFoundException("No such answer in your sessions with this clone.");
        return answer.Content.Length <= MaxExcerpt ? answer.Content : answer.Content[..MaxExcerpt] + "…";
    }

    private static List<string> Reasons(IEnumerable<Report> reports) =>
        reports.Select(r => r.Reason).Distinct(StringComparer.Ordinal).OrderBy(r => ReportReasons.All.ToList().IndexOf(r)).ToList();

    /// <summary>The reporter's count of new reports (<see cref="ModerationOptions.ReportsPerHour"/>) in the <see cref="IRateWindowStore"/>.</summary>
    internal static string ThrottleKey(string reporterId) => "report|" + reporterId;

    private static string Key(string reporterId, string cloneId, string? messageId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{reporterId}\n{cloneId}\n{messageId}")))[..32];

    internal static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin) throw new ForbiddenException("Admins only.");
    }
}
