using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Recommendations;

/// <summary>
/// <c>GET /api/me/recommendations</c>: the published catalogue and everyone's usage (a snapshot read at most every
/// <see cref="RecommendationOptions.SnapshotSeconds"/>), the caller's own usage (read every time, so a clone they just used
/// counts at once), the profile vectors, and <see cref="RecommendationBlend"/>. Every result is read again before it is
/// returned: a clone unpublished, deleted or handed to the caller since the snapshot is left out.
/// </summary>
public sealed class Recommender(
    ICloneStore clones, ICloneUsageReader usage, CloneProfileVectors profiles, IOptions<RecommendationOptions> options, TimeProvider time)
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 50;

    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(IReadOnlyList<Clone> Catalogue, UsageIndex Usage, DateTimeOffset ReadAt);

    public async Task<RecommendationList> ForUserAsync(Caller caller, int? limit, CancellationToken cancellationToken = default)
    {
        var max = limit ?? DefaultLimit;
        if (max is < 1 or > MaxLimit) throw new ValidationException("limit", $"Must be between 1 and {MaxLimit}.");
        var settings = options.Value;
        var snapshot = await SnapshotAsync(settings, cancellationToken);
        var mine = await usage.ForUserAsync(caller.UserId, cancellationToken);
        IReadOnlyDictionary<string, float[]>? vectors = null;
        if (settings.ContentWeight > 0)
        {
            // The user's own clones first: without their vectors the content part has nothing to start from.
            var used = mine.Select(u => u.CloneId).ToHashSet(StringComparer.Ordinal);
            var ordered = snapshot.Catalogue.Where(c => used.Contains(c.Id)).Concat(snapshot.Catalogue.Where(c => !used.Contains(c.Id))).ToList();
            vectors = await profiles.GetAsync(ordered, settings.MaxEmbedPerRequest, cancellationToken);
        }
        // A few more than asked for, in case some left the marketplace since the snapshot.
        var ranked = RecommendationBlend.Rank(caller.UserId, mine, snapshot.Catalogue, snapshot.Usage, vectors, settings, max + Math.Max(5, max / 2));

        var fresh = await Task.WhenAll(ranked.Items.Select(r => clones.GetAsync(r.Recommended.Id, cancellationToken)));
        var items = ranked.Items.Zip(fresh)
            .Where(x => x.Second is { Status: CloneStatus.Published, HiddenAt: null } && x.Second.OwnerId != caller.UserId)
            .Select(x => x.First with { Recommended = x.Second! })
            .Take(max)
            .ToList();
        return ranked with { Items = items };
    }

    private async Task<Snapshot> SnapshotAsync(RecommendationOptions settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = _snapshot;
        if (current is not null && now - current.ReadAt < TimeSpan.FromSeconds(settings.SnapshotSeconds)) return current;
        // Two requests that find it stale at once both read it; the later one wins. Cheaper than a lock around I/O.
        var catalogue = await CatalogueAsync(settings.MaxCatalogue, cancellationToken);
        var uses = await usage.ListSinceAsync(now.AddDays(-settings.UsageWindowDays), settings.MaxUsageSessions, cancellationToken);
        return _snapshot = new Snapshot(catalogue, new UsageIndex(uses), now);
    }

    /// <summary>The published clones, most popular first, at most <paramref name="max"/>.</summary>
    private async Task<IReadOnlyList<Clone>> CatalogueAsync(int max, CancellationToken cancellationToken)
    {
        var all = new List<Clone>();
        string? token = null;
        do
        {
            var page = await clones.SearchPublishedAsync(
                new MarketplaceQuery { Sort = MarketplaceSort.Popular, PageSize = CloneService.MaxPageSize, ContinuationToken = token }, cancellationToken);
            all.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null && all.Count < max);
        return all.Count > max ? all.GetRange(0, max) : all;
    }
}
