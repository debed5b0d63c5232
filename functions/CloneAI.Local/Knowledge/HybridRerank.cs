using CloneAI.Core.Knowledge;

namespace CloneAI.Local.Knowledge;

/// <summary>
/// The second stage of hybrid search: the best <c>depth</c> fused candidates (chunk keys are the table's <c>seq</c>, so a
/// document's chunks are consecutive keys) are scored again as
/// <c>fused + segmentWeight · segment + documentWeight · document + neighbourWeight · neighbour</c>, where
/// <list type="bullet">
/// <item><c>segment</c> is the mean of the chunk's two best segment (sentence) similarities with the query, scaled min–max over
/// the reranked candidates that have one (a chunk the vector list did not rank gets 0);</item>
/// <item><c>document</c> is the summed fused score of the document's three best candidates, over the best document's;</item>
/// <item><c>neighbour</c> is the better fused score of the chunks just before and after it in the same document, over the best
/// fused score.</item>
/// </list>
/// Candidates past <c>depth</c> keep their order after the reranked ones. With every weight 0 the order is unchanged.
/// </summary>
public static class HybridRerank
{
    /// <summary>Reranks <paramref name="fused"/> (best first). <paramref name="segment"/> gives a chunk's segment feature, or null.</summary>
    public static List<RankedCandidate<long>> Rerank(
        List<RankedCandidate<long>> fused, int depth, Func<long, double?> segment,
        double segmentWeight, double documentWeight, double neighbourWeight,
        Func<long, double?>? sentence = null, double sentenceWeight = 0)
    {
        if (fused.Count < 2 || depth < 2 || (segmentWeight <= 0 && documentWeight <= 0 && neighbourWeight <= 0 && sentenceWeight <= 0)) return fused;
        depth = Math.Min(depth, fused.Count);
        var top = fused[0].Score;
        if (top <= 0) return fused;

        double[]? segments = null;
        if (segmentWeight > 0)
        {
            segments = new double[depth];
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (var i = 0; i < depth; i++)
            {
                var s = segment(fused[i].Key);
                segments[i] = s ?? double.NaN;
                if (s is { } v)
                {
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
            }
            for (var i = 0; i < depth; i++)
                segments[i] = double.IsNaN(segments[i]) ? 0 : max > min ? (segments[i] - min) / (max - min) : 1;
        }

        double[]? sentences = null;
        if (sentenceWeight > 0 && sentence is not null)
        {
            sentences = new double[depth];
            var max = 0.0;
            for (var i = 0; i < depth; i++) max = Math.Max(max, sentences[i] = sentence(fused[i].Key) ?? 0);
            for (var i = 0; i < depth; i++) sentences[i] = max > 0 ? sentences[i] / max : 0;
        }

        Dictionary<string, double>? documents = null;
        if (documentWeight > 0)
        {
            // The document's three best candidates (the list is best first, so the first three seen).
            var seen = new Dictionary<string, (int Count, double Sum)>(StringComparer.Ordinal);
            foreach (var c in fused)
            {
                seen.TryGetValue(c.DocumentId, out var e);
                if (e.Count < 3) seen[c.DocumentId] = (e.Count + 1, e.Sum + c.Score);
            }
            var best = seen.Values.Max(e => e.Sum);
            documents = seen.ToDictionary(e => e.Key, e => best > 0 ? e.Value.Sum / best : 0, StringComparer.Ordinal);
        }

        Dictionary<long, RankedCandidate<long>>? byKey = null;
        if (neighbourWeight > 0)
        {
            byKey = new Dictionary<long, RankedCandidate<long>>(fused.Count);
            foreach (var c in fused) byKey[c.Key] = c;
        }

        var rescored = new (RankedCandidate<long> Candidate, int Order)[depth];
        for (var i = 0; i < depth; i++)
        {
            var c = fused[i];
            var score = c.Score;
            if (segments is not null) score += segmentWeight * segments[i];
            if (sentences is not null) score += sentenceWeight * sentences[i];
            if (documents is not null) score += documentWeight * documents[c.DocumentId];
            if (byKey is not null)
            {
                var neighbour = 0.0;
                if (byKey.TryGetValue(c.Key - 1, out var before) && before.DocumentId == c.DocumentId) neighbour = before.Score;
                if (byKey.TryGetValue(c.Key + 1, out var after) && after.DocumentId == c.DocumentId) neighbour = Math.Max(neighbour, after.Score);
                score += neighbourWeight * neighbour / top;
            }
            rescored[i] = (c with { Score = score }, i);
        }
        Array.Sort(rescored, static (a, b) => b.Candidate.Score != a.Candidate.Score ? b.Candidate.Score.CompareTo(a.Candidate.Score) : a.Order.CompareTo(b.Order));
        var result = new List<RankedCandidate<long>>(fused.Count);
        foreach (var (candidate, _) in rescored) result.Add(candidate);
        for (var i = depth; i < fused.Count; i++) result.Add(fused[i]);
        return result;
    }

    /// <summary>
    /// The best BM25 score of a window of <paramref name="window"/> consecutive sentences (<see cref="PassageSegmenter"/> segments)
    /// of each text for the query terms, with the clone's IDF (<paramref name="idf"/>, one per term) and the windows' average
    /// length over all the texts: lexical evidence at sentence granularity, where the chunk's own BM25 spreads over ~1,000 characters.
    /// </summary>
    public static double[] BestSentenceWindows(
        IReadOnlyList<string> texts, IReadOnlyList<string> queryTerms, ReadOnlySpan<double> idf, int window, double k1, double b)
    {
        window = Math.Max(1, window);
        var index = new Dictionary<string, int>(queryTerms.Count, StringComparer.Ordinal);
        for (var t = 0; t < queryTerms.Count; t++) index.TryAdd(queryTerms[t], t);
        var lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
        // Per text, per window: term frequencies and length.
        var windows = new List<(int Text, int[] Tf, int Length)>();
        Span<char> buffer = stackalloc char[KeywordTokenizer.MaxTokenLength];
        for (var x = 0; x < texts.Count; x++)
        {
            var text = texts[x];
            var segments = PassageSegmenter.Segment(text, SegmentMinChars);
            var tfs = new int[segments.Count][];
            var lengths = new int[segments.Count];
            for (var g = 0; g < segments.Count; g++)
            {
                var tf = tfs[g] = new int[queryTerms.Count];
                var (start, end) = segments[g];
                var reader = new KeywordTokenizer.Reader(text.AsSpan(start, end - start));
                while (reader.Next(buffer, out var n, out var ascii))
                {
                    lengths[g]++;
                    if (lookup.TryGetValue(buffer[..KeywordTokenizer.Term(buffer[..n], ascii)], out var t)) tf[t]++;
                }
            }
            for (var g = 0; g + window <= Math.Max(segments.Count, window) && g < segments.Count; g++)
            {
                var tf = new int[queryTerms.Count];
                var length = 0;
                for (var j = g; j < Math.Min(g + window, segments.Count); j++)
                {
                    length += lengths[j];
                    for (var t = 0; t < tf.Length; t++) tf[t] += tfs[j][t];
                }
                windows.Add((x, tf, length));
            }
        }
        var best = new double[texts.Count];
        if (windows.Count == 0) return best;
        var average = Math.Max(1, windows.Average(w => w.Length));
        foreach (var (x, tf, length) in windows)
        {
            var score = 0.0;
            var norm = k1 * (1 - b + b * length / average);
            for (var t = 0; t < tf.Length; t++)
            {
                if (tf[t] > 0) score += idf[t] * tf[t] * (k1 + 1) / (tf[t] + norm);
            }
            best[x] = Math.Max(best[x], score);
        }
        return best;
    }

    /// <summary>Segments shorter than this join a neighbour (as the ingestion's default <c>Knowledge:SegmentMinChars</c>).</summary>
    public const int SegmentMinChars = 40;

    /// <summary>
    /// The mean of the two best dot products of <paramref name="query"/> with the rows of one chunk (consecutive rows with the same
    /// rowid around <paramref name="row"/>, one of them); a chunk of one row: that row's.
    /// </summary>
    public static double TopTwoSegments(CloneVectors vectors, int row, ReadOnlySpan<float> query)
    {
        var id = vectors.RowId(row);
        var first = row;
        while (first > 0 && vectors.RowId(first - 1) == id) first--;
        var end = row + 1;
        while (end < vectors.Count && vectors.RowId(end) == id) end++;
        var dims = vectors.Dimensions;
        var matrix = vectors.Matrix;
        double best = double.NegativeInfinity, second = double.NegativeInfinity;
        for (var r = first; r < end; r++)
        {
            double s = System.Numerics.Tensors.TensorPrimitives.Dot(matrix.Slice(r * dims, dims), query);
            if (s > best) (best, second) = (s, best);
            else if (s > second) second = s;
        }
        return double.IsNegativeInfinity(second) ? best : (best + second) / 2;
    }
}
