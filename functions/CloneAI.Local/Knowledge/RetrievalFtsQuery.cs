using System.Text;
using System.Text.RegularExpressions;
using CloneAI.Core.Knowledge;

namespace CloneAI.Local.Knowledge;

/// <summary>
/// Turns a question into an FTS5 query for retrieval that cannot carry syntax: only runs of letters, marks and digits survive,
/// each is quoted as its own phrase, and any may match (<c>OR</c>; BM25 ranks documents matching more and rarer terms higher).
/// English stop words (<see cref="StopWords"/>) are dropped unless nothing else is left. Operators, quotes, <c>*</c>, <c>^</c>,
/// parentheses, column filters and <c>NEAR</c> become plain words. Unlike <see cref="Storage.FtsQuery"/> (the marketplace's
/// all-terms prefix search) there is no prefix matching.
/// </summary>
public static partial class RetrievalFtsQuery
{
    public const int MaxTerms = 32;
    private const int MaxTermLength = 64;

    [GeneratedRegex(@"[\p{L}\p{M}\p{N}]+")]
    private static partial Regex Word();

    /// <summary>The distinct search terms of the text (lower case, stopwords removed unless all are stopwords).</summary>
    public static List<string> Terms(string? text)
    {
        var terms = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return terms;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stop = new List<string>();
        foreach (var match in Word().EnumerateMatches(text))
        {
            if (match.Length > MaxTermLength) continue;
            var term = text.Substring(match.Index, match.Length).ToLowerInvariant();
            if (!seen.Add(term)) continue;
            (StopWords.Contains(term) ? stop : terms).Add(term);
            if (terms.Count == MaxTerms) break;
        }
        if (terms.Count == 0) terms.AddRange(stop.Take(MaxTerms));
        return terms;
    }

    /// <summary>The safe MATCH expression, or null when the text has no word to search for.</summary>
    public static string? Build(string? text) => Build(Terms(text));

    /// <summary>The MATCH expression of terms from <see cref="Terms"/>, or null when there are none.</summary>
    public static string? Build(IReadOnlyList<string> terms)
    {
        if (terms.Count == 0) return null;
        var sb = new StringBuilder();
        foreach (var term in terms)
        {
            if (sb.Length > 0) sb.Append(" OR ");
            sb.Append('"').Append(term).Append('"');
        }
        return sb.ToString();
    }
}
