using System.Text;

namespace CloneAI.Core.Insights;

/// <summary>
/// Groups questions by meaning, deterministically: the same questions give the same groups whatever order they come in.
/// Questions are first merged by wording (case, spacing and end punctuation aside). The wordings are then taken most asked
/// first (ties in ordinal order) and each joins the existing group whose leading wording is the most similar to it (cosine
/// of the unit vectors, at least the threshold; ties to the older group), or leads a new one. A group's question is its
/// leading (most asked) wording; its example, the latest question asked in it.
/// </summary>
public static class QuestionGrouping
{
    /// <summary>One question as asked.</summary>
    public readonly record struct Asked(string Text, DateTimeOffset At, string CloneId = "");

    /// <summary>A distinct wording: its key, the latest text it was asked in, how often, and when last.</summary>
    public sealed record Wording(string Key, string Text, int Count, DateTimeOffset LastAsked, IReadOnlyList<string> CloneIds);

    /// <summary>The distinct wordings of <paramref name="questions"/>, most asked first, then by key (ordinal).</summary>
    public static IReadOnlyList<Wording> Wordings(IEnumerable<Asked> questions) =>
        questions
            .Where(q => !string.IsNullOrWhiteSpace(q.Text))
            .GroupBy(q => Key(q.Text), StringComparer.Ordinal)
            .Select(g =>
            {
                var latest = g.OrderByDescending(q => q.At).ThenBy(q => q.Text, StringComparer.Ordinal).First();
                var clones = g.Select(q => q.CloneId).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                return new Wording(g.Key, Clean(latest.Text), g.Count(), latest.At, clones);
            })
            .OrderByDescending(w => w.Count).ThenBy(w => w.Key, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Groups <paramref name="wordings"/> (in the order <see cref="Wordings"/> gives) with their unit vectors
    /// (<paramref name="vectors"/>: by wording key; a wording without one stays alone). Groups come most asked first.
    /// </summary>
    public static IReadOnlyList<QuestionGroup> Group(IReadOnlyList<Wording> wordings, IReadOnlyDictionary<string, float[]> vectors, double threshold)
    {
        var groups = new List<(float[]? Leader, List<Wording> Members)>();
        foreach (var w in wordings)
        {
            var vector = vectors.GetValueOrDefault(w.Key);
            var best = -1;
            var bestScore = double.NegativeInfinity;
            if (vector is not null)
            {
                for (var i = 0; i < groups.Count; i++)
                {
                    if (groups[i].Leader is not { } leader) continue;
                    var score = Cosine(vector, leader);
                    if (score >= threshold && score > bestScore)
                    {
                        best = i;
                        bestScore = score;
                    }
                }
            }
            if (best >= 0) groups[best].Members.Add(w);
            else groups.Add((vector, [w]));
        }
        return groups
            .Select(g =>
            {
                var latest = g.Members.OrderByDescending(m => m.LastAsked).ThenBy(m => m.Key, StringComparer.Ordinal).First();
                var clones = g.Members.SelectMany(m => m.CloneIds).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                return new QuestionGroup(g.Members[0].Text, latest.Text, g.Members.Sum(m => m.Count), g.Members.Count, latest.LastAsked, clones);
            })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Question, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The cosine similarity of two vectors (their dot product when both are unit vectors, as embeddings are here).</summary>
    public static double Cosine(float[] a, float[] b)
    {
        if (a.Length != b.Length) return double.NegativeInfinity;
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    /// <summary>"  What is  a Tide?? " and "what is a tide" are one wording.</summary>
    public static string Key(string text)
    {
        var clean = Clean(text).ToLowerInvariant().TrimEnd('?', '!', '.', '…', ' ');
        return clean.Length == 0 ? text.Trim().ToLowerInvariant() : clean;
    }

    private static string Clean(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space && sb.Length > 0) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }
}
