using System.Globalization;
using System.Text;

namespace CloneAI.Core.Memory;

/// <summary>
/// Memory text is plain, bounded data: control and format characters become spaces, whitespace is collapsed, and it is cut at
/// <see cref="MemoryItem.MaxText"/> characters. Two texts are compared by their normalized words.
/// </summary>
public static class MemoryText
{
    /// <summary>One line of at most <paramref name="max"/> characters, without control or format characters.</summary>
    public static string Clean(string? text, int max = MemoryItem.MaxText)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(Math.Min(text.Length, max + 16));
        var space = false;
        foreach (var c in text)
        {
            var category = char.GetUnicodeCategory(c);
            var blank = char.IsWhiteSpace(c) || category is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned;
            if (blank) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(c);
            if (sb.Length >= max) break;
        }
        var s = sb.ToString();
        if (s.Length > max) s = s[..max];
        // Never end on half a surrogate pair (they were dropped above, but a cut can still split one).
        return s.TrimEnd();
    }

    /// <summary>The words of a text, lower case, without punctuation.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0) { words.Add(sb.ToString()); sb.Clear(); }
        }
        if (sb.Length > 0) words.Add(sb.ToString());
        return words;
    }

    /// <summary>The text's words joined by single spaces: two texts that differ only in case, spacing or punctuation are equal.</summary>
    public static string Normalize(string text) => string.Join(' ', Words(text));

    /// <summary>Jaccard similarity of the two texts' word sets (1 when their normalized texts are equal).</summary>
    public static double Similarity(string a, string b)
    {
        var x = Words(a).ToHashSet(StringComparer.Ordinal);
        var y = Words(b).ToHashSet(StringComparer.Ordinal);
        if (x.Count == 0 && y.Count == 0) return 1;
        var common = x.Count(y.Contains);
        return (double)common / (x.Count + y.Count - common);
    }

    /// <summary>The text with its first letter in lower case (for "your goal: run…"), unless it starts with an acronym or a name like "I".</summary>
    public static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && char.IsLower(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    /// <summary>The text with its first letter in upper case.</summary>
    public static string UpperFirst(string text) =>
        text.Length > 0 && char.IsLower(text[0]) ? char.ToUpperInvariant(text[0]) + text[1..] : text;
}
