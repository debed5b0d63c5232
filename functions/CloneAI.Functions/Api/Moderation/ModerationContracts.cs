using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using CloneAI.Core.Domain;
using CloneAI.Core.Moderation;
using CloneAI.Functions.Api.Clones;
using CloneAI.Functions.Http;

namespace CloneAI.Functions.Api.Moderation;

/// <summary>A report of a clone, or of one answer in the reporter's own session with it.</summary>
public sealed record CreateReportRequest(
    [Required, ValuesFrom(typeof(ReportReasons))] string? Reason,
    [Description("What is wrong, in your words: up to 2000 characters (required for 'other').")] string? Details,
    [Description("To report an answer: your session with this clone...")] string? SessionId,
    [Description("...and the answer's message id.")] string? MessageId)
{
    public ReportInput ToInput() => new(Reason, Details, SessionId, MessageId);
}

/// <summary>A report as its reporter sees it.</summary>
public sealed record ReportDto(
    string Id, string CloneId, [property: ValuesFrom(typeof(ReportReasons))] string Reason, string Details, string? SessionId, string? MessageId,
    [property: ValuesFrom(typeof(ReportStatus))] string Status, DateTimeOffset CreatedAt)
{
    public static ReportDto From(Report r) => new(r.Id, r.CloneId, r.Reason, r.Details, r.SessionId, r.MessageId, r.Status, r.CreatedAt);
}

/// <summary>The reported clone in the admins' queue, with its open reports and how many distinct users filed them.</summary>
public sealed record ReportedCloneDto(
    string Id, string Slug, string Name, string OwnerId, string OwnerName, [property: ValuesFrom(typeof(CloneStatus))] string Status,
    DateTimeOffset? HiddenAt, string? HiddenReason, int OpenReports, int DistinctReporters);

/// <summary>A report in the admins' queue.</summary>
public sealed record AdminReportDto(
    string Id, [property: ValuesFrom(typeof(ReportReasons))] string Reason, string Details, string? SessionId, string? MessageId,
    [property: Description("The start of the reported answer, when an answer was reported.")] string? AnswerExcerpt,
    [property: ValuesFrom(typeof(ReportStatus))] string Status, DateTimeOffset CreatedAt, string ReporterId, string? ReporterName,
    DateTimeOffset? ResolvedAt, [property: ValuesFrom(typeof(ReportActions))] string? Resolution, string? ResolutionReason,
    [property: Description("Null when the clone no longer exists.")] ReportedCloneDto? ReportedClone)
{
    public static AdminReportDto From(QueuedReport q)
    {
        var r = q.Report;
        var c = q.ReportedClone;
        return new(r.Id, r.Reason, r.Details, r.SessionId, r.MessageId, r.AnswerExcerpt, r.Status, r.CreatedAt, r.ReporterId, q.Reporter?.DisplayName,
            r.ResolvedAt, r.Resolution, r.ResolutionReason,
            c is null ? null : new ReportedCloneDto(c.Id, c.Slug, c.Name, c.OwnerId, c.OwnerName, c.Status, c.HiddenAt, c.HiddenReason, q.OpenReports, q.DistinctReporters));
    }
}

/// <summary>A page of the admins' report queue (oldest first) and the token of the next page.</summary>
public sealed record AdminReportPage(IReadOnlyList<AdminReportDto> Items, string? ContinuationToken);

public sealed record AdminReportQuery(
    [ValuesFrom(typeof(ReportStatus)), Description("Default open.")] string? Status,
    [Description("1 to 50, default 20.")] int? PageSize, string? ContinuationToken);

/// <summary>An admin's decision on a report.</summary>
public sealed record ResolveReportRequest(
    [Required, ValuesFrom(typeof(ReportActions)), Description("dismiss: close this report; hide: hide the clone and close its open reports; restore: show the clone again and close its open reports.")] string? Action,
    [Required, Description("Why, for the audit log (and, for hide, the owner): 1 to 500 characters.")] string? Reason);

/// <summary>A creator's request to be verified.</summary>
public sealed record RequestVerificationRequest(
    [Required, Description("1 to 5 http(s) links that show who you are: a website, publications, a professional profile.")] IReadOnlyList<string>? Links,
    [Required, Description("Who you are and why your clones speak for you: 20 to 2000 characters.")] string? Statement);

public sealed record VerificationDto(
    string Id, IReadOnlyList<string> Links, string Statement, [property: ValuesFrom(typeof(VerificationStatus))] string Status,
    DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, [property: Description("The admin's reason, once decided.")] string? DecisionReason)
{
    public static VerificationDto From(VerificationRequest r) => new(r.Id, r.Links, r.Statement, r.Status, r.CreatedAt, r.DecidedAt, r.DecisionReason);
}

/// <summary>The caller's verification: whether they are verified, and their newest request (null when they never asked).</summary>
public sealed record MyVerificationDto(bool Verified, DateTimeOffset? VerifiedAt, VerificationDto? Latest);

/// <summary>A verification request in the admins' list, with the creator's profile.</summary>
public sealed record AdminVerificationDto(
    string Id, string UserId, string? DisplayName, string? Email, string? Bio, IReadOnlyList<string> Expertise, IReadOnlyList<string> Links, string Statement,
    [property: ValuesFrom(typeof(VerificationStatus))] string Status, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, string? DecisionReason)
{
    public static AdminVerificationDto From(PendingVerification p) => new(
        p.Request.Id, p.Request.UserId, p.Creator?.DisplayName, p.Creator?.Email, p.Creator?.Bio, p.Creator?.Expertise ?? [], p.Request.Links, p.Request.Statement,
        p.Request.Status, p.Request.CreatedAt, p.Request.DecidedAt, p.Request.DecisionReason);
}

public sealed record AdminVerificationPage(IReadOnlyList<AdminVerificationDto> Items, string? ContinuationToken);

public sealed record AdminVerificationQuery(
    [ValuesFrom(typeof(VerificationStatus)), Description("Default pending.")] string? Status,
    [Description("1 to 50, default 20.")] int? PageSize, string? ContinuationToken);

/// <summary>An admin's approval or rejection; the reason is audit-logged, and a rejection's is told to the creator.</summary>
public sealed record DecideVerificationRequest([Required, Description("1 to 500 characters.")] string? Reason);

/// <summary>A creator's public profile. Never their email.</summary>
public sealed record CreatorProfileDto(
    string Id, string DisplayName, string Bio, IReadOnlyList<string> Expertise, bool Verified, DateTimeOffset? VerifiedAt, string? AvatarUrl,
    [property: Description("Their published clones on the marketplace.")] IReadOnlyList<CloneDto> Clones)
{
    public static CreatorProfileDto From(CreatorProfile p) => new(
        p.Creator.Id, p.Creator.DisplayName, p.Creator.Bio, p.Creator.Expertise, p.Creator.VerifiedAt is not null, p.Creator.VerifiedAt,
        p.Creator.AvatarBlob is null ? null : $"/api/users/{p.Creator.Id}/avatar?v={p.Creator.UpdatedAt.ToUnixTimeSeconds()}",
        p.Clones.Select(c => CloneDto.From(c, full: false)).ToList());
}
