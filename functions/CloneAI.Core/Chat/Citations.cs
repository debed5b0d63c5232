using System.Globalization;
using System.Text.RegularExpressions;

namespace CloneAI.Core.Chat;

/// <summary>What an answer cites: its sources as <see cref="Citation"/>s, with a one-line snippet each.</summary>
public static partial class Citations
{
    private const int SnippetChars = 240;

    public static Citation From(ChatSource s) =>
        new(s.N, s.DocumentId, s.FileName, s.Title, s.Start, s.End, s.Page, Snippet(s.Text));

    /// <summary>The sources the answer cites as [n], in the order of n.</summary>
    public static List<Citation> Cited(string text, IReadOnlyList<ChatSource> sources)
    {
        var numbers = CitationMark().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();
        return sources.Where(s => numbers.Contains(s.N)).Select(From).ToList();
    }

    private static string Snippet(string text)
    {
        var one = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return one.Length <= SnippetChars ? one : one[..SnippetChars].TrimEnd() + "…";
    }

    [GeneratedRegex(@"\[(\d{1,2})\]")]
    private static partial Regex CitationMark();
}
