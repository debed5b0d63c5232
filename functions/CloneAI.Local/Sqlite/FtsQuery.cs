using System.Text.RegularExpressions;

namespace CloneAI.Local.Sqlite;

/// <summary>
/// Turns user text into an FTS5 query that cannot carry syntax: only runs of letters and digits survive, each is quoted,
/// and all must match (as prefixes). Operators, quotes, parentheses, column filters and NEAR are plain text.
/// </summary>
public static partial class FtsQuery
{
    public const int MaxTerms = 12;

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    /// <summary>The safe MATCH expression, or null when the text has no word to search for.</summary>
    public static string? Build(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var terms = Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Where(t => t.Length <= 64).Distinct().Take(MaxTerms).ToList();
        return terms.Count == 0 ? null : string.Join(' ', terms.Select(t => "\"" + t + "\"*"));
    }
}
