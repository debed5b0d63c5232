namespace CloneAI.Eval;

/// <summary>
/// K-fold cross-validation over scored queries: a seeded split into folds, and for each fold the setting that does best on the
/// other folds, read on the held-out one. Settings are indices into a precomputed matrix of per-query scores, so choosing and
/// reading cost no further searches.
/// </summary>
public static class CrossValidation
{
    /// <summary>
    /// The fold (0..<paramref name="folds"/>−1) of each of <paramref name="count"/> items: a seeded shuffle dealt round-robin, so
    /// fold sizes differ by at most one, every item is in exactly one fold, and the same seed gives the same split.
    /// </summary>
    public static int[] Assign(int count, int folds, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(folds, Math.Max(count, 2));
        var order = new int[count];
        for (var i = 0; i < count; i++) order[i] = i;
        // Fisher–Yates with a private, seeded generator: System.Random(seed) is stable across runs of one .NET version.
#pragma warning disable CA5394 // not security: a reproducible split
        var random = new Random(seed);
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
#pragma warning restore CA5394
        var fold = new int[count];
        for (var i = 0; i < count; i++) fold[order[i]] = i % folds;
        return fold;
    }

    /// <summary>One fold's outcome: the setting chosen on the training part and its held-out figures.</summary>
    public sealed record FoldResult(int Fold, int TrainCount, int TestCount, int Chosen, double TrainObjective, double RecallAt5, double MrrAt10);

    /// <summary>
    /// For each fold, the setting (row of <paramref name="ranks"/>: settings × queries, a hit's 1-based rank or 0 for none) with
    /// the best mean of recall@5 and MRR@10 on the other folds (ties: the earlier setting), read on the fold itself.
    /// </summary>
    public static List<FoldResult> Run(int[][] ranks, int[] foldOf, int folds)
    {
        var results = new List<FoldResult>(folds);
        for (var f = 0; f < folds; f++)
        {
            var best = -1;
            var bestObjective = double.NegativeInfinity;
            for (var s = 0; s < ranks.Length; s++)
            {
                var (r5, mrr, _) = Measure(ranks[s], foldOf, f, train: true);
                var objective = (r5 + mrr) / 2;
                if (objective > bestObjective + 1e-12)
                {
                    best = s;
                    bestObjective = objective;
                }
            }
            var (testR5, testMrr, testCount) = Measure(ranks[best], foldOf, f, train: false);
            results.Add(new FoldResult(f, foldOf.Length - testCount, testCount, best, bestObjective, testR5, testMrr));
        }
        return results;
    }

    /// <summary>Recall@5 and MRR@10 of one setting on fold <paramref name="fold"/> (or, with <paramref name="train"/>, on the others).</summary>
    public static (double RecallAt5, double MrrAt10, int Count) Measure(int[] ranks, int[] foldOf, int fold, bool train)
    {
        double r5 = 0, mrr = 0;
        var n = 0;
        for (var q = 0; q < ranks.Length; q++)
        {
            if ((foldOf[q] == fold) == train) continue;
            n++;
            var rank = ranks[q];
            if (rank is > 0 and <= 5) r5++;
            if (rank is > 0 and <= 10) mrr += 1.0 / rank;
        }
        return n == 0 ? (0, 0, 0) : (r5 / n, mrr / n, n);
    }

    /// <summary>Mean and sample standard deviation.</summary>
    public static (double Mean, double Sd) MeanSd(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return (0, 0);
        var mean = values.Average();
        if (values.Count == 1) return (mean, 0);
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, Math.Sqrt(variance));
    }
}
