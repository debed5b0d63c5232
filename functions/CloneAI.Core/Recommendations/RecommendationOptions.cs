using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Recommendations;

/// <summary>How <c>GET /api/me/recommendations</c> blends its signals. Section <c>Recommendations</c>.</summary>
public sealed class RecommendationOptions
{
    public const string Section = "Recommendations";

    /// <summary>Weight of the content-based part: clone profile vectors near the clones the user rated well or used most.</summary>
    [Range(0.0, 10.0)]
    public double ContentWeight { get; set; } = 0.5;

    /// <summary>Weight of the collaborative part: clones used by the people who use the user's clones (co-usage).</summary>
    [Range(0.0, 10.0)]
    public double CoUsageWeight { get; set; } = 0.35;

    /// <summary>Weight of popularity (distinct users) within the user's categories; alone for a user with no sessions yet.</summary>
    [Range(0.0, 10.0)]
    public double PopularityWeight { get; set; } = 0.15;

    /// <summary>
    /// A clone the user has had this many sessions with is never recommended (they already use it). A clone used fewer times
    /// may come back, at half its score, and one the user rated 2 or less never does.
    /// </summary>
    [Range(1, 1000)]
    public int HeavyUseSessions { get; set; } = 2;

    /// <summary>
    /// "People who use X also use Y" needs at least this many other users who used both (so that a reason never points at one
    /// person's sessions).
    /// </summary>
    [Range(1, 1000)]
    public int MinCoUsers { get; set; } = 2;

    /// <summary>Sessions started in the last this many days count for co-usage and popularity.</summary>
    [Range(1, 3650)]
    public int UsageWindowDays { get; set; } = 365;

    /// <summary>
    /// The published catalogue and everyone's usage are read at most this often (seconds); each result is re-read before it is
    /// returned, so a clone unpublished or deleted meanwhile is never shown.
    /// </summary>
    [Range(0, 86400)]
    public int SnapshotSeconds { get; set; } = 60;

    /// <summary>
    /// At most this many clone profiles are embedded during one request (the user's own clones first, then the most popular):
    /// after a restart a big catalogue gets its vectors over a few requests instead of holding the first one up.
    /// </summary>
    [Range(1, 100000)]
    public int MaxEmbedPerRequest { get; set; } = 256;

    /// <summary>At most this many published clones (most popular first) are candidates.</summary>
    [Range(1, 100000)]
    public int MaxCatalogue { get; set; } = 5000;

    /// <summary>At most this many of the newest sessions are read for co-usage and popularity.</summary>
    [Range(1, 10_000_000)]
    public int MaxUsageSessions { get; set; } = 200_000;
}
