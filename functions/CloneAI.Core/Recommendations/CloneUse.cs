namespace CloneAI.Core.Recommendations;

/// <summary>
/// One user's use of one clone, over their sessions with it (the owner's previews left out): how many sessions and answered
/// messages, the average of the ratings they gave its sessions (null when none), and when they last started one.
/// </summary>
public sealed record CloneUse(string UserId, string CloneId, int Sessions, int Messages, double? Rating, DateTimeOffset LastUsedAt);

/// <summary>
/// Reads who used which clone, from the sessions. The recommender reads one user's uses on every request, and everyone's
/// (for co-usage and popularity) at most once per <see cref="RecommendationOptions.SnapshotSeconds"/>.
/// </summary>
public interface ICloneUsageReader
{
    /// <summary>The user's uses, one per clone they had a session with (previews left out), most recently used first.</summary>
    Task<IReadOnlyList<CloneUse>> ForUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every user's uses over the sessions started since <paramref name="since"/> (at most the <paramref name="max"/> newest
    /// sessions), one per (user, clone), previews left out.
    /// </summary>
    Task<IReadOnlyList<CloneUse>> ListSinceAsync(DateTimeOffset since, int max, CancellationToken cancellationToken = default);
}

/// <summary>Folds sessions into uses: the adapters read (user, clone, messages, rating, start) rows and aggregate them here.</summary>
public static class CloneUses
{
    public sealed record SessionRow(string UserId, string CloneId, int Messages, int? Rating, DateTimeOffset StartedAt);

    /// <summary>One use per (user, clone), the most recently used first, at most <paramref name="max"/>.</summary>
    public static IReadOnlyList<CloneUse> Aggregate(IEnumerable<SessionRow> rows, int max = int.MaxValue) =>
        rows.GroupBy(r => (r.UserId, r.CloneId))
            .Select(g =>
            {
                var rated = g.Where(r => r.Rating is not null).Select(r => (double)r.Rating!.Value).ToList();
                return new CloneUse(g.Key.UserId, g.Key.CloneId, g.Count(), g.Sum(r => r.Messages), rated.Count == 0 ? null : rated.Average(), g.Max(r => r.StartedAt));
            })
            .OrderByDescending(u => u.LastUsedAt).ThenBy(u => u.UserId, StringComparer.Ordinal).ThenBy(u => u.CloneId, StringComparer.Ordinal)
            .Take(max)
            .ToList();
}
