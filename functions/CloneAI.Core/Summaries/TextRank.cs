namespace CloneAI.Core.Summaries;

/// <summary>
/// TextRank: PageRank over a graph whose nodes are sentences and whose edges weigh how alike two sentences are (the cosine
/// similarity of their vectors; unlike pairs get no edge). A sentence many others resemble is central.
/// </summary>
public static class TextRank
{
    public const double Damping = 0.85;
    private const int MaxIterations = 100;
    private const double Tolerance = 1e-6;

    /// <summary>The centrality of each sentence (they sum to 1), from L2-normalised vectors.</summary>
    public static double[] Rank(IReadOnlyList<float[]> vectors)
    {
        var n = vectors.Count;
        if (n == 0) return [];
        var weights = new double[n, n];
        var outWeight = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var w = Math.Max(0, Cosine(vectors[i], vectors[j]));
                weights[i, j] = weights[j, i] = w;
                outWeight[i] += w;
                outWeight[j] += w;
            }
        }
        var scores = Enumerable.Repeat(1.0 / n, n).ToArray();
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var next = new double[n];
            // A sentence like no other hands its rank to everyone alike (the random jump), so ranks keep summing to 1.
            var dangling = 0.0;
            for (var j = 0; j < n; j++) if (outWeight[j] == 0) dangling += scores[j];
            for (var i = 0; i < n; i++)
            {
                var sum = 0.0;
                for (var j = 0; j < n; j++)
                    if (weights[j, i] > 0) sum += weights[j, i] / outWeight[j] * scores[j];
                next[i] = (1 - Damping) / n + Damping * (sum + dangling / n);
            }
            var delta = 0.0;
            for (var i = 0; i < n; i++) delta += Math.Abs(next[i] - scores[i]);
            scores = next;
            if (delta < Tolerance) break;
        }
        return scores;
    }

    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var k = 0; k < Math.Min(a.Length, b.Length); k++)
        {
            dot += a[k] * b[k];
            na += a[k] * a[k];
            nb += b[k] * b[k];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
