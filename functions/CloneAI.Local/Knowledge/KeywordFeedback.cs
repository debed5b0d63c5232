using CloneAI.Core.Knowledge;

namespace CloneAI.Local.Knowledge;

/// <summary>
/// Pseudo-relevance feedback for BM25 (RM3-style query expansion): the best chunks of a first pass are taken as relevant, and the
/// terms they share become extra, lighter query terms. A term's weight is
/// <c>Σ_chunk (score / best score) · tf(term, chunk) / length(chunk)</c> times its IDF in the clone; stop words, tokens of fewer
/// than three characters, numbers, the query's own terms, terms found in only one feedback chunk and terms in half the clone's
/// rows or more are left out. The best <c>maxTerms</c> join the query with weights scaled so that the best one weighs
/// <c>weight</c> (the query's own terms weigh 1).
/// </summary>
public static class KeywordFeedback
{
    /// <summary>
    /// The query terms followed by the expansion terms, and each one's weight. <paramref name="documentFrequency"/> gives a term's
    /// live rows; <paramref name="live"/> is the clone's live row count.
    /// </summary>
    public static (List<string> Terms, float[] Weights) Expand(
        IReadOnlyList<string> queryTerms, IReadOnlyList<(string Text, double Score)> feedback, Func<string, int> documentFrequency, int live,
        int maxTerms, double weight)
    {
        var terms = new List<string>(queryTerms);
        if (maxTerms <= 0 || weight <= 0 || feedback.Count < 2 || live <= 0) return (terms, Ones(terms.Count));
        var best = feedback.Max(f => f.Score);
        if (best <= 0) return (terms, Ones(terms.Count));

        var own = new HashSet<string>(queryTerms, StringComparer.Ordinal);
        var mass = new Dictionary<string, (double Mass, int Chunks)>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        Span<char> buffer = stackalloc char[KeywordTokenizer.MaxTokenLength];
        foreach (var (text, score) in feedback)
        {
            counts.Clear();
            var length = 0;
            var reader = new KeywordTokenizer.Reader(text);
            while (reader.Next(buffer, out var n, out var ascii))
            {
                length++;
                var token = buffer[..n];
                if (n < 3 || StopWords.Contains(token) || IsNumber(token)) continue;
                var term = new string(token[..KeywordTokenizer.Term(token, ascii)]);
                if (own.Contains(term)) continue;
                counts[term] = counts.GetValueOrDefault(term) + 1;
            }
            if (length == 0) continue;
            var share = score / best / length;
            foreach (var (term, tf) in counts)
            {
                var e = mass.GetValueOrDefault(term);
                mass[term] = (e.Mass + share * tf, e.Chunks + 1);
            }
        }

        var scored = new List<(string Term, double Weight)>();
        foreach (var (term, (m, chunks)) in mass)
        {
            if (chunks < 2) continue;
            var df = documentFrequency(term);
            if (df == 0 || (long)df * 2 >= live) continue;
            scored.Add((term, m * Math.Log(1 + (live - df + 0.5) / (df + 0.5))));
        }
        if (scored.Count == 0) return (terms, Ones(terms.Count));
        scored.Sort(static (a, b) => b.Weight != a.Weight ? b.Weight.CompareTo(a.Weight) : string.CompareOrdinal(a.Term, b.Term));
        var take = Math.Min(maxTerms, scored.Count);
        var top = scored[0].Weight;
        var weights = new float[terms.Count + take];
        Array.Fill(weights, 1f, 0, terms.Count);
        for (var i = 0; i < take; i++)
        {
            terms.Add(scored[i].Term);
            weights[queryTerms.Count + i] = (float)(weight * scored[i].Weight / top);
        }
        return (terms, weights);
    }

    private static float[] Ones(int n)
    {
        var ones = new float[n];
        Array.Fill(ones, 1f);
        return ones;
    }

    private static bool IsNumber(ReadOnlySpan<char> token)
    {
        foreach (var c in token)
        {
            if (!char.IsDigit(c)) return false;
        }
        return true;
    }
}
