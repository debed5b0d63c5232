namespace CloneAI.Core.Audit;

/// <summary>What an admin did. The names are part of the audit log's API.</summary>
public static class AuditActions
{
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserRolesChanged = "user.roles-changed";
    public const string ConversationRead = "session.read";
    public const string CloneUnpublished = "clone.unpublished";
    public const string CloneFeatured = "clone.featured";
    public const string CloneUnfeatured = "clone.unfeatured";
    public const string CloneVerified = "clone.verified";
    public const string CloneUnverified = "clone.unverified";
    public const string CloneHidden = "clone.hidden";
    public const string CloneRestored = "clone.restored";
    public const string ReportResolved = "report.resolved";
    public const string VerificationApproved = "verification.approved";
    public const string VerificationRejected = "verification.rejected";
    public const string PayoutPaid = "payout.paid";
    public const string PayoutRejected = "payout.rejected";
    public const string AudienceRecounted = "maintenance.audience-recounted";
}

/// <summary>What an audit entry is about.</summary>
public static class AuditTargets
{
    public const string User = "user";
    public const string Clone = "clone";
    public const string Session = "session";
    public const string Report = "report";
    public const string Verification = "verification";
    public const string Payout = "payout";
    /// <summary>A maintenance job over the whole data (its target id names the job).</summary>
    public const string Maintenance = "maintenance";
}

/// <summary>
/// One admin action: who, what, when and why. Append-only. <see cref="SubjectUserId"/> names the user whose account or data
/// the action touched (the user can list the entries about them, for example an admin reading their conversation).
/// </summary>
public sealed record AuditEntry
{
    /// <summary>Unique; appending the same id twice stores it once (retries are safe).</summary>
    public required string Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string ActorId { get; init; }
    public required string ActorEmail { get; init; }
    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public required string Action { get; init; }
    /// <summary>One of <see cref="AuditTargets"/>.</summary>
    public required string TargetType { get; init; }
    public required string TargetId { get; init; }
    public string? SubjectUserId { get; init; }
    /// <summary>The reason the admin gave (required for every action).</summary>
    public required string Reason { get; init; }
    /// <summary>Short machine-readable details (for example the roles before and after), or null.</summary>
    public string? Details { get; init; }
}
