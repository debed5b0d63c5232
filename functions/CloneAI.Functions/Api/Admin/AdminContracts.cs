using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using CloneAI.Core.Admin;
using CloneAI.Core.Audit;
using CloneAI.Core.Domain;
using CloneAI.Functions.Http;

namespace CloneAI.Functions.Api.Admin;

/// <summary>An account as the admin console shows it.</summary>
public sealed record AdminUserDto(
    string Id, string Email, string DisplayName,
    [property: Description("The admin role granted in the admin console (admins named in settings or by an Entra app role are admins besides).")] bool IsAdmin,
    bool IsCreator, bool EmailVerified,
    [property: Description("Set while the account is disabled: it cannot sign in and its tokens are refused.")] DateTimeOffset? DisabledAt,
    string? DisabledReason,
    [property: Description("Set when the user is a verified expert.")] DateTimeOffset? VerifiedAt,
    DateTimeOffset CreatedAt)
{
    public static AdminUserDto From(User u) =>
        new(u.Id, u.Email, u.DisplayName, u.IsAdmin, u.IsCreator, u.EmailVerified, u.DisabledAt, u.DisabledReason, u.VerifiedAt, u.CreatedAt);
}

public sealed record AdminUserPage(IReadOnlyList<AdminUserDto> Items, string? ContinuationToken);

public sealed record AdminUserQuery(
    [Description("Part of an email or display name (case-insensitive); all users when absent.")] string? Q,
    [Description("1 to 50, default 20.")] int? PageSize, string? ContinuationToken);

/// <summary>A clone as the admin console shows it: its state in the marketplace.</summary>
public sealed record AdminCloneDto(
    string Id, string Slug, string Name, [property: ValuesFrom(typeof(CloneStatus))] string Status, string OwnerId, string OwnerName,
    [property: Description("Shown first in the marketplace.")] bool Featured,
    [property: Description("When an admin verified this clone (null: not verified by an admin).")] DateTimeOffset? VerifiedAt,
    [property: Description("Whether the owner is a verified expert.")] bool OwnerVerified,
    [property: Description("Set while moderation hides it from the marketplace.")] DateTimeOffset? HiddenAt, string? HiddenReason,
    double Rating, int SessionCount, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt)
{
    public static AdminCloneDto From(Clone c) => new(
        c.Id, c.Slug, c.Name, c.Status, c.OwnerId, c.OwnerName, c.Featured, c.VerifiedAt, c.OwnerVerified, c.HiddenAt, c.HiddenReason,
        Math.Round(c.Rating, 2), c.SessionCount, c.CreatedAt, c.PublishedAt);
}

public sealed record AdminClonePage(IReadOnlyList<AdminCloneDto> Items, string? ContinuationToken);

/// <summary>Valid clone states for the admin search.</summary>
public static class AdminCloneStatuses
{
    public const string Draft = CloneStatus.Draft;
    public const string Published = CloneStatus.Published;
}

public sealed record AdminCloneQuery(
    [Description("Part of a name, slug or owner name (case-insensitive); all clones when absent.")] string? Q,
    [ValuesFrom(typeof(AdminCloneStatuses)), Description("Only clones in this state.")] string? Status,
    [Description("1 to 50, default 20.")] int? PageSize, string? ContinuationToken);

/// <summary>Every admin action takes the reason the admin gives: it goes to the audit log.</summary>
public sealed record AdminActionRequest([Required, Description("Why, in the admin's words: 1 to 500 characters. Written to the audit log.")] string? Reason);

public sealed record SetRolesRequest(
    [Required, Description("Whether the user is an admin. You cannot take your own admin role.")] bool? Admin,
    [Required, Description("Whether the user is a creator.")] bool? Creator,
    [Required, Description("Why, in the admin's words: 1 to 500 characters. Written to the audit log.")] string? Reason);

/// <summary>One admin action: who did what to which target, when, and why.</summary>
public sealed record AuditEntryDto(
    string Id, DateTimeOffset At, string ActorId, string ActorEmail, [property: Description("What was done, for example user.disabled or session.read.")] string Action,
    [property: Description("What it was done to: user, clone, session, report, verification, payout, maintenance.")] string TargetType, string TargetId,
    [property: Description("The user whose account or data the action touched.")] string? SubjectUserId,
    string Reason, string? Details)
{
    public static AuditEntryDto From(AuditEntry e) =>
        new(e.Id, e.At, e.ActorId, e.ActorEmail, e.Action, e.TargetType, e.TargetId, e.SubjectUserId, e.Reason, e.Details);
}

public sealed record AuditPage(IReadOnlyList<AuditEntryDto> Items, string? ContinuationToken);

public sealed record AuditQuery(
    [Description("Only entries of this action, for example user.disabled.")] string? Action,
    [Description("Only entries about this kind of target, for example clone.")] string? TargetType,
    [Description("1 to 100, default 50.")] int? PageSize, string? ContinuationToken);

public sealed record ReadConversationQuery(
    [Required, Description("Why you read this user's conversation: 1 to 500 characters. Written to the audit log; the user sees it.")] string? Reason);

/// <summary>Something an admin did to the signed-in user's account or data.</summary>
public sealed record AccessLogEntryDto(
    string Id, DateTimeOffset At,
    [property: Description("Who: \"CloneAI admin\" and the admin's display name.")] string Who,
    [property: Description("What was done, for example user.disabled or session.read.")] string Action, [property: Description("What it was done to: user, clone, session, report, verification, payout, maintenance.")] string TargetType, string TargetId,
    string Reason)
{
    public static AccessLogEntryDto From(AccessLogEntry e) => new(e.Id, e.At, e.Who, e.Action, e.TargetType, e.TargetId, e.Reason);
}

public sealed record AccessLog(IReadOnlyList<AccessLogEntryDto> Items);

/// <summary>What the audience recount found and changed.</summary>
public sealed record AudienceRecountDto(
    [property: Description("Clones recounted: every clone that is not deleted.")] int Clones,
    [property: Description("Clones whose sessionCount, rating or ratingCount changed (0 when run again).")] int ClonesChanged,
    [property: Description("Distinct users counted or rating, over all clones (never a clone's owner).")] int Users,
    [property: Description("Ratings counted: one per user and clone, their latest.")] int Ratings,
    [property: Description("Per-user records (one per clone and user) created or corrected (0 when run again).")] int RecordsWritten)
{
    public static AudienceRecountDto From(AudienceRecountResult r) => new(r.Clones, r.ClonesChanged, r.Users, r.Ratings, r.RecordsWritten);
}
