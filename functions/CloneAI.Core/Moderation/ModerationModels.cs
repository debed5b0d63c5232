using System.ComponentModel.DataAnnotations;
using CloneAI.Core.Domain;

namespace CloneAI.Core.Moderation;

/// <summary>Moderation settings. Section <c>Moderation</c>.</summary>
public sealed class ModerationOptions
{
    public const string Section = "Moderation";

    /// <summary>Open reports from this many distinct users hide a clone from the marketplace until an admin reviews it.</summary>
    [Range(1, 10_000)]
    public int AutoHideReports { get; set; } = 3;

    /// <summary>Reports one user may file per hour (0 turns the limit off).</summary>
    [Range(0, 10_000)]
    public int ReportsPerHour { get; set; } = 10;
}

/// <summary>Why a clone or an answer was reported: a fixed list, part of the API.</summary>
public static class ReportReasons
{
    public const string Impersonation = "impersonation";
    public const string Harmful = "harmful";
    public const string Misleading = "misleading";
    public const string Spam = "spam";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Impersonation, Harmful, Misleading, Spam, Other];

    /// <summary>How a reason reads to the clone's owner.</summary>
    public static string Describe(string reason) => reason switch
    {
        Impersonation => "impersonation",
        Harmful => "harmful content",
        Misleading => "misleading content",
        Spam => "spam",
        _ => "other concerns",
    };
}

public static class ReportStatus
{
    /// <summary>Waiting for an admin.</summary>
    public const string Open = "open";
    /// <summary>An admin found nothing to act on.</summary>
    public const string Dismissed = "dismissed";
    /// <summary>An admin hid the clone over it.</summary>
    public const string Upheld = "upheld";

    public static readonly IReadOnlyList<string> All = [Open, Dismissed, Upheld];
}

/// <summary>What an admin does with a report.</summary>
public static class ReportActions
{
    /// <summary>Closes this report; a hidden clone stays hidden until restored.</summary>
    public const string Dismiss = "dismiss";
    /// <summary>Hides the clone and closes its open reports as upheld.</summary>
    public const string Hide = "hide";
    /// <summary>Shows the clone again and closes its open reports as dismissed.</summary>
    public const string Restore = "restore";

    public static readonly IReadOnlyList<string> All = [Dismiss, Hide, Restore];
}

/// <summary>
/// A user's report of a clone, or of one answer in their own session with it. Partition key in Cosmos: <c>/cloneId</c>.
/// Only admins see who filed it; the owner learns the reasons, never the reporters.
/// </summary>
public sealed record Report
{
    public required string Id { get; init; }
    public required string CloneId { get; init; }
    public required string CloneOwnerId { get; init; }
    public required string ReporterId { get; init; }
    /// <summary>One of <see cref="ReportReasons"/>.</summary>
    public required string Reason { get; init; }
    public string Details { get; init; } = "";
    public string? SessionId { get; init; }
    public string? MessageId { get; init; }
    /// <summary>The reported answer's text (the start of it), kept so moderators need not open the reporter's conversation.</summary>
    public string? AnswerExcerpt { get; init; }
    public string Status { get; init; } = ReportStatus.Open;
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? ResolvedBy { get; init; }
    public string? Resolution { get; init; }
    public string? ResolutionReason { get; init; }

    /// <summary><see cref="CreatedAt"/> in Unix milliseconds, stored so stores can sort by it (like <see cref="Clone.SortPrice"/>).</summary>
    public long CreatedMs => CreatedAt.ToUnixTimeMilliseconds();
}

public static class VerificationStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    public static readonly IReadOnlyList<string> All = [Pending, Approved, Rejected];
}

/// <summary>A creator's request to be a verified expert. Partition key in Cosmos: <c>/userId</c>.</summary>
public sealed record VerificationRequest
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public IReadOnlyList<string> Links { get; init; } = [];
    public string Statement { get; init; } = "";
    public string Status { get; init; } = VerificationStatus.Pending;
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public string? DecidedBy { get; init; }
    /// <summary>The admin's reason, shown to the creator.</summary>
    public string? DecisionReason { get; init; }

    /// <summary><see cref="CreatedAt"/> in Unix milliseconds, stored so stores can sort by it.</summary>
    public long CreatedMs => CreatedAt.ToUnixTimeMilliseconds();
}
