using CloneAI.Core.Domain;

namespace CloneAI.Core.Recommendations;

/// <summary>
/// The recommender's arithmetic, without I/O (the offline evaluation runs it as the API does).
/// <list type="bullet">
/// <item>Seeds: the user's clones weighted by rating (4 or more counts most, 2 or less not at all) and by how much they used
/// them; the best <see cref="MaxSeeds"/>.</item>
/// <item>Content: the best of seed weight × cosine of the profile vectors, scaled over the candidates to [0, 1].</item>
/// <item>Co-usage: the best of seed weight × the cosine of the two clones' user sets (distinct other users who used both over
/// the root of the product of their user counts), with at least <see cref="RecommendationOptions.MinCoUsers"/> in common.</item>
/// <item>Popularity: distinct users (log-scaled against the most used candidate), times how much of the user's use is in the
/// candidate's category (a fifth outside their categories); alone, unweighted by category, for a cold start.</item>
/// </list>
/// Excluded: the user's own clones, anything not published, clones used in <see cref="RecommendationOptions.HeavyUseSessions"/>
/// sessions or more, and clones the user rated 2 or less. A clone used less than that keeps half its score. The reason is the
/// signal that contributed most; a clone the user already tried whose best signal is popularity says so instead ("pick up where
/// you left off").
/// </summary>
public static class RecommendationBlend
{
    public const int MaxSeeds = 8;

    /// <summary>A rating at or above this is "rated highly".</summary>
    public const double HighRating = 4;

    /// <summary>A rating at or below this means the user did not like the clone: never a seed, never recommended again.</summary>
    public const double LowRating = 2;

    private const double OutsideCategories = 0.2;
    private const double LightlyUsed = 0.5;

    public sealed record Seed(Clone Of, double Weight, bool RatedHighly);

    public static RecommendationList Rank(
        string userId, IReadOnlyList<CloneUse> mine, IReadOnlyList<Clone> catalogue, UsageIndex usage,
        IReadOnlyDictionary<string, float[]>? vectors, RecommendationOptions options, int max)
    {
        var byId = new Dictionary<string, Clone>(StringComparer.Ordinal);
        foreach (var c in catalogue) byId.TryAdd(c.Id, c);
        var myUse = new Dictionary<string, CloneUse>(StringComparer.Ordinal);
        foreach (var u in mine) myUse.TryAdd(u.CloneId, u);

        var seeds = Seeds(mine, byId);
        var categories = CategoryShares(seeds);
        var cold = seeds.Count == 0;
        var (wc, wu, wp) = cold ? (0.0, 0.0, 1.0) : (vectors is null ? 0 : options.ContentWeight, options.CoUsageWeight, options.PopularityWeight);

        var candidates = byId.Values
            .Where(c => c.Status == CloneStatus.Published && c.HiddenAt is null && c.OwnerId != userId)
            .Where(c => !myUse.TryGetValue(c.Id, out var u) || (u.Sessions < options.HeavyUseSessions && !(u.Rating <= LowRating)))
            .ToList();

        var content = wc > 0 ? Content(seeds, candidates, vectors!) : [];
        var coUsage = wu > 0 ? CoUsage(seeds, usage, userId, options.MinCoUsers) : [];
        var maxUsers = candidates.Count == 0 ? 0 : candidates.Max(c => usage.DistinctUsers(c.Id, userId));

        var order = catalogue.Select((c, i) => (c.Id, i)).GroupBy(x => x.Id).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        var ranked = new List<Recommendation>(candidates.Count);
        foreach (var c in candidates)
        {
            var (contentScore, contentSeed) = content.GetValueOrDefault(c.Id);
            var (coScore, coSeed) = coUsage.GetValueOrDefault(c.Id);
            var users = usage.DistinctUsers(c.Id, userId);
            var popularity = maxUsers == 0 ? 0 : Math.Log(1 + users) / Math.Log(1 + maxUsers);
            if (!cold) popularity *= Math.Max(OutsideCategories, categories.GetValueOrDefault(c.Category));

            var parts = new (double Value, string Kind, Seed? Seed)[]
            {
                (wc * contentScore, RecommendationReasons.Content, contentSeed),
                (wu * coScore, RecommendationReasons.CoUsage, coSeed),
                (wp * popularity, RecommendationReasons.Popularity, null),
            };
            var score = parts.Sum(p => p.Value);
            if (myUse.ContainsKey(c.Id)) score *= LightlyUsed;
            var top = parts.Where(p => p.Value > 0 && (p.Seed is not null || p.Kind == RecommendationReasons.Popularity))
                .OrderByDescending(p => p.Value).FirstOrDefault();
            var (reason, kind, because) = top switch
            {
                { Kind: RecommendationReasons.Content, Seed: { } seed } =>
                    (seed.RatedHighly ? $"Because you rated {seed.Of.Name} highly" : $"Because you use {seed.Of.Name}", RecommendationReasons.Content, seed.Of.Id),
                { Kind: RecommendationReasons.CoUsage, Seed: { } seed } =>
                    ($"People who use {seed.Of.Name} also use {c.Name}", RecommendationReasons.CoUsage, seed.Of.Id),
                _ when myUse.TryGetValue(c.Id, out var tried) =>
                    (tried.Sessions == 1 ? "You had one session with it: pick up where you left off" : $"You had {tried.Sessions} sessions with it: pick up where you left off",
                        RecommendationReasons.Revisit, c.Id),
                _ => (InCategory(c, users), RecommendationReasons.Popularity, (string?)null),
            };
            ranked.Add(new Recommendation(c, reason, kind, because, Math.Round(score, 4)));
        }

        var items = ranked
            .OrderByDescending(r => r.Score)
            .ThenBy(r => order.GetValueOrDefault(r.Recommended.Id))
            .ThenBy(r => r.Recommended.Id, StringComparer.Ordinal)
            .Take(max)
            .ToList();
        return new RecommendationList(items, cold ? RecommendationMethods.ColdStart : RecommendationMethods.Blend,
            new BlendInfo(wc, wu, wp, vectors is not null, seeds.Count));
    }

    /// <summary>The user's clones that say something about their taste, best first: rated highly, then used most.</summary>
    public static IReadOnlyList<Seed> Seeds(IReadOnlyList<CloneUse> mine, IReadOnlyDictionary<string, Clone> catalogue)
    {
        if (mine.Count == 0) return [];
        var maxSessions = mine.Max(u => u.Sessions);
        return mine
            .Where(u => !(u.Rating <= LowRating) && catalogue.ContainsKey(u.CloneId))
            .Select(u =>
            {
                var rating = u.Rating switch { null => 0.7, >= HighRating => 1.0, _ => 0.4 };
                var used = maxSessions <= 1 ? 1 : 0.5 + 0.5 * Math.Log(1 + u.Sessions) / Math.Log(1 + maxSessions);
                return (Seed: new Seed(catalogue[u.CloneId], rating * used, u.Rating >= HighRating), u.LastUsedAt);
            })
            .OrderByDescending(s => s.Seed.Weight).ThenByDescending(s => s.LastUsedAt).ThenBy(s => s.Seed.Of.Id, StringComparer.Ordinal)
            .Take(MaxSeeds)
            .Select(s => s.Seed)
            .ToList();
    }

    /// <summary>Each category's share of the seeds' weight, scaled so that the user's main category is 1.</summary>
    private static Dictionary<string, double> CategoryShares(IReadOnlyList<Seed> seeds)
    {
        var shares = seeds.GroupBy(s => s.Of.Category).ToDictionary(g => g.Key, g => g.Sum(s => s.Weight), StringComparer.Ordinal);
        var top = shares.Count == 0 ? 0 : shares.Values.Max();
        return top <= 0 ? [] : shares.ToDictionary(s => s.Key, s => s.Value / top, StringComparer.Ordinal);
    }

    private static Dictionary<string, (double Score, Seed? Seed)> Content(IReadOnlyList<Seed> seeds, IReadOnlyList<Clone> candidates, IReadOnlyDictionary<string, float[]> vectors)
    {
        var raw = new Dictionary<string, (double Score, Seed? Seed)>(StringComparer.Ordinal);
        var withVectors = seeds.Where(s => vectors.ContainsKey(s.Of.Id)).ToList();
        if (withVectors.Count == 0) return raw;
        foreach (var c in candidates)
        {
            if (!vectors.TryGetValue(c.Id, out var v)) continue;
            (double Score, Seed? Seed) best = (double.NegativeInfinity, null);
            foreach (var s in withVectors)
            {
                if (s.Of.Id == c.Id) continue;
                var score = s.Weight * Dot(vectors[s.Of.Id], v);
                if (score > best.Score) best = (score, s);
            }
            if (best.Seed is not null) raw[c.Id] = best;
        }
        if (raw.Count == 0) return raw;
        // Profile vectors of unrelated texts are far from orthogonal: scale the candidates' scores to [0, 1].
        var min = raw.Values.Min(x => x.Score);
        var span = raw.Values.Max(x => x.Score) - min;
        return raw.ToDictionary(x => x.Key, x => (span <= 0 ? 1.0 : (x.Value.Score - min) / span, x.Value.Seed), StringComparer.Ordinal);
    }

    private static Dictionary<string, (double Score, Seed? Seed)> CoUsage(IReadOnlyList<Seed> seeds, UsageIndex usage, string userId, int minCoUsers)
    {
        var best = new Dictionary<string, (double Score, Seed? Seed)>(StringComparer.Ordinal);
        foreach (var s in seeds)
        {
            var seedUsers = usage.DistinctUsers(s.Of.Id, userId);
            if (seedUsers == 0) continue;
            foreach (var (other, both) in usage.CoUsers(s.Of.Id, userId))
            {
                if (both < minCoUsers) continue;
                var score = s.Weight * both / Math.Sqrt((double)seedUsers * usage.DistinctUsers(other, userId));
                if (!best.TryGetValue(other, out var current) || score > current.Score) best[other] = (score, s);
            }
        }
        if (best.Count == 0) return best;
        var top = best.Values.Max(x => x.Score);
        return best.ToDictionary(x => x.Key, x => (x.Value.Score / top, x.Value.Seed), StringComparer.Ordinal);
    }

    private static string InCategory(Clone clone, int users)
    {
        var name = Categories.All.FirstOrDefault(c => c.Id == clone.Category)?.Name ?? clone.Category;
        return users > 0 ? $"Popular in {name}" : $"New in {name}";
    }

    private static double Dot(float[] a, float[] b)
    {
        var n = Math.Min(a.Length, b.Length);
        double sum = 0;
        for (var i = 0; i < n; i++) sum += a[i] * b[i];
        return sum;
    }
}
