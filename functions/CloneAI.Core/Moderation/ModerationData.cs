using CloneAI.Core.Limits;
using CloneAI.Core.UserData;

namespace CloneAI.Core.Moderation;

/// <summary>
/// The reports a user filed (and their count for the report throttle): erased with their account, and part of their data export
/// (without moderators' ids).
/// </summary>
public sealed class ReportsUserData(IReportStore reports, IRateWindowStore? limits = null) : IUserDataEraser, IUserDataExporter
{
    public string Name => "reports";

    public async Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        await reports.DeleteByReporterAsync(userId, cancellationToken);
        if (limits is not null) await limits.ForgetAsync(ReportService.ThrottleKey(userId), cancellationToken);
    }

    public async Task<object?> ExportAsync(string userId, CancellationToken cancellationToken = default)
    {
        var mine = await reports.ListByReporterAsync(userId, 10_000, cancellationToken);
        return mine.Count == 0 ? null : mine.Select(r => new
        {
            r.Id, r.CloneId, r.Reason, r.Details, r.SessionId, r.MessageId, r.Status, r.CreatedAt, r.ResolvedAt, r.Resolution,
        }).ToList();
    }
}

/// <summary>A creator's verification requests: erased with their account, and part of their data export.</summary>
public sealed class VerificationUserData(IVerificationStore requests) : IUserDataEraser, IUserDataExporter
{
    public string Name => "verification";

    public Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default) =>
        requests.DeleteByUserAsync(userId, cancellationToken);

    public async Task<object?> ExportAsync(string userId, CancellationToken cancellationToken = default)
    {
        var mine = await requests.ListByUserAsync(userId, cancellationToken);
        return mine.Count == 0 ? null : mine.Select(r => new { r.Id, r.Links, r.Statement, r.Status, r.CreatedAt, r.DecidedAt, r.DecisionReason }).ToList();
    }
}
