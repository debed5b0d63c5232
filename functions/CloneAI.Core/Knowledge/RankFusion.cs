namespace CloneAI.Core.Knowledge;

/// <summary>One ranked candidate of a retrieval list: a key (chunk), its document, and the list's own score.</summary>
public readonly record struct RankedCandidate<TKey>(TKey Key, string DocumentId, double Score);

/// <summary>Rank fusion (reciprocal-rank and score-based) and source diversity, shared by the index adapters.</summary>
public static class RankFusion
{
    /// <summary>
    /// Fuses two rankings (best first): <c>score = keywordWeight / (k + keywordRank) + vectorWeight / (k + vectorRank)</c> with
    /// ranks from 1; a candidate missing from a list gets nothing from it. Ties keep the better vector rank, then the better keyword rank.
    /// </summary>
    public static List<RankedCandidate<TKey>> Fuse<TKey>(
        IReadOnlyList<RankedCandidate<TKey>> keyword, IReadOnlyList<RankedCandidate<TKey>> vector, double keywordWeight, double vectorWeight, int k)
        where TKey : notnull
    {
        var fused = new Dictionary<TKey, (string DocumentId, double Score, int Order)>(keyword.Count + vector.Count);
        for (var i = 0; i < vector.Count; i++)
        {
            var c = vector[i];
            fused.TryAdd(c.Key, (c.DocumentId, vectorWeight / (k + i + 1), i));
        }
        for (var i = 0; i < keyword.Count; i++)
        {
            var c = keyword[i];
            var add = keywordWeight / (k + i + 1);
            fused[c.Key] = fused.TryGetValue(c.Key, out var e)
                ? (e.DocumentId, e.Score + add, e.Order)
                : (c.DocumentId, add, vector.Count + i);
        }
        return Sorted(fused);
    }

    private static List<RankedCandidate<TKey>> Sorted<TKey>(Dictionary<TKey, (string DocumentId, double Score, int Order)> fused)
        where TKey : notnull
    {
        var list = new List<(RankedCandidate<TKey> Candidate, int Order)>(fused.Count);
        foreach (var (key, e) in fused) list.Add((new RankedCandidate<TKey>(key, e.DocumentId, e.Score), e.Order));
        list.Sort(static (a, b) => b.Candidate.Score != a.Candidate.Score ? b.Candidate.Score.CompareTo(a.Candidate.Score) : a.Order.CompareTo(b.Order));
        var result = new List<RankedCandidate<TKey>>(list.Count);
        foreach (var (candidate, _) in list) result.Add(candidate);
        return result;
    }

    /// <summary>
    /// Fuses two rankings (best first, each with its own scores) by a weighted sum of normalised scores:
    /// <c>keywordWeight · s / max(s) + vectorWeight · (v − min(v)) / (max(v) − min(v))</c>, the vector list scaled over the
    /// candidates it holds (its last one scores 0); a candidate missing from a list gets nothing from it. Unlike RRF this keeps
    /// how far apart the scores are, not just their order. Ties keep the better vector rank, then the better keyword rank.
    /// </summary>
    public static List<RankedCandidate<TKey>> Combine<TKey>(
        IReadOnlyList<RankedCandidate<TKey>> keyword, IReadOnlyList<RankedCandidate<TKey>> vector, double keywordWeight, double vectorWeight)
        where TKey : notnull
    {
        var fused = new Dictionary<TKey, (string DocumentId, double Score, int Order)>(keyword.Count + vector.Count);
        if (vector.Count > 0)
        {
            var max = vector[0].Score;
            var range = max - vector[^1].Score;
            for (var i = 0; i < vector.Count; i++)
            {
                var c = vector[i];
                var normalised = range > 0 ? (c.Score - vector[^1].Score) / range : 1.0;
                fused.TryAdd(c.Key, (c.DocumentId, vectorWeight * normalised, i));
            }
        }
        var top = keyword.Count > 0 ? keyword[0].Score : 0;
        for (var i = 0; i < keyword.Count; i++)
        {
            var c = keyword[i];
            var add = top > 0 ? keywordWeight * c.Score / top : 0;
            fused[c.Key] = fused.TryGetValue(c.Key, out var e)
                ? (e.DocumentId, e.Score + add, e.Order)
                : (c.DocumentId, add, vector.Count + i);
        }
        return Sorted(fused);
    }

    /// <summary>
    /// Like <see cref="Combine{TKey}"/>, but each list's scores are standardised over the candidates it holds,
    /// <c>(s − mean) / sd</c>, so that both lists weigh by how far a candidate stands out from the rest of its list; a
    /// candidate missing from a list gets that list's lowest standardised score.
    /// </summary>
    public static List<RankedCandidate<TKey>> CombineStandardised<TKey>(
        IReadOnlyList<RankedCandidate<TKey>> keyword, IReadOnlyList<RankedCandidate<TKey>> vector, double keywordWeight, double vectorWeight)
        where TKey : notnull
    {
        var fused = new Dictionary<TKey, (string DocumentId, double Score, int Order)>(keyword.Count + vector.Count);
        var (vMean, vSd, vMin) = Moments(vector);
        var (kMean, kSd, kMin) = Moments(keyword);
        double Z(double s, double mean, double sd) => sd > 0 ? (s - mean) / sd : 0;
        var vFloor = vector.Count > 0 ? vectorWeight * Z(vMin, vMean, vSd) : 0;
        var kFloor = keyword.Count > 0 ? keywordWeight * Z(kMin, kMean, kSd) : 0;
        for (var i = 0; i < vector.Count; i++)
        {
            var c = vector[i];
            fused.TryAdd(c.Key, (c.DocumentId, vectorWeight * Z(c.Score, vMean, vSd), i));
        }
        var inKeyword = new HashSet<TKey>();
        for (var i = 0; i < keyword.Count; i++)
        {
            var c = keyword[i];
            inKeyword.Add(c.Key);
            var add = keywordWeight * Z(c.Score, kMean, kSd);
            fused[c.Key] = fused.TryGetValue(c.Key, out var e)
                ? (e.DocumentId, e.Score + add, e.Order)
                : (c.DocumentId, vFloor + add, vector.Count + i);
        }
        foreach (var c in vector)
        {
            if (!inKeyword.Contains(c.Key)) fused[c.Key] = fused[c.Key] with { Score = fused[c.Key].Score + kFloor };
        }
        return Sorted(fused);
    }

    private static (double Mean, double Sd, double Min) Moments<TKey>(IReadOnlyList<RankedCandidate<TKey>> list)
    {
        if (list.Count == 0) return (0, 0, 0);
        double sum = 0, min = double.PositiveInfinity;
        foreach (var c in list)
        {
            sum += c.Score;
            min = Math.Min(min, c.Score);
        }
        var mean = sum / list.Count;
        double squares = 0;
        foreach (var c in list) squares += (c.Score - mean) * (c.Score - mean);
        return (mean, Math.Sqrt(squares / list.Count), min);
    }

    /// <summary>The first <paramref name="top"/> candidates, in order, with at most <paramref name="maxPerDocument"/> of one document.</summary>
    public static List<T> Diversify<T>(IEnumerable<T> ranked, Func<T, string> documentId, int top, int maxPerDocument)
    {
        var result = new List<T>(Math.Min(top, 64));
        if (top <= 0) return result;
        var perDocument = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in ranked)
        {
            var doc = documentId(item);
            perDocument.TryGetValue(doc, out var n);
            if (n >= maxPerDocument) continue;
            perDocument[doc] = n + 1;
            result.Add(item);
            if (result.Count == top) break;
        }
        return result;
    }
}
