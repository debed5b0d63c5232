using System.Text.RegularExpressions;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// Decides a document's title from what its file says. Tools often leave a placeholder in the metadata (a browser's
/// "about:blank" when printing to PDF, "Untitled", Word's "Microsoft Word - report.docx", "Document1"); such a title never
/// becomes the document's title. The order is: the metadata title (Word's prefix and the file extension stripped), else the
/// first heading, else (for a PDF, which has no heading spans) a short first line that reads like a heading, else none, and
/// ingestion keeps the file name.
/// </summary>
internal static partial class DocumentTitle
{
    /// <summary>Longest first line of a PDF that may be taken for its heading.</summary>
    internal const int MaxLineTitleChars = 120;

    private const int MaxLineTitleWords = 16;

    public static string? Decide(ExtractedText text, string kind)
    {
        if (Meaningful(text.Title) is { } title) return title;
        foreach (var h in text.Headings)
            if (Meaningful(h.Text) is { } heading) return heading;
        return kind == DocumentKinds.Pdf ? FirstLineHeading(text.Text) : null;
    }

    /// <summary>The title with Word's "Microsoft Word - " prefix and a trailing file extension removed; null for a placeholder.</summary>
    public static string? Meaningful(string? title)
    {
        if (string.IsNullOrWhiteSpace(title)) return null;
        var t = DocumentText.CollapseWhitespace(title);
        var word = WordPrefix().Match(t);
        if (word.Success) t = FileExtension().Replace(t[word.Length..], "").Trim();
        return IsPlaceholder(t) ? null : t;
    }

    /// <summary>Whether a title is one a tool put there rather than the author: empty, "about:blank", "Untitled", "Document1", "Slide 1"….</summary>
    public static bool IsPlaceholder(string? title) =>
        string.IsNullOrWhiteSpace(title) || Placeholder().IsMatch(DocumentText.CollapseWhitespace(title));

    private static string? FirstLineHeading(string text)
    {
        var end = text.Length;
        var start = 0;
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        var newline = text.IndexOf('\n', start);
        var line = DocumentText.CollapseWhitespace(text[start..(newline < 0 ? end : newline)]);
        if (line.Length is < 2 or > MaxLineTitleChars || !line.Any(char.IsLetter)) return null;
        if (line[^1] is '.' or ',' or ';' or ':' or '-' || line.Split(' ').Length > MaxLineTitleWords) return null;
        return IsPlaceholder(line) || PageLabel().IsMatch(line) ? null : line;
    }

    [GeneratedRegex(@"^microsoft\s+(word|powerpoint|excel)\s*-\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WordPrefix();

    [GeneratedRegex(@"\.(docx?|docm|dotx?|rtf|odt|txt|pptx?|xlsx?|pdf|html?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FileExtension();

    [GeneratedRegex(@"^(about:blank|untitled(\s+document)?(\s*\d+)?|untitled-\d+|document\s*\d*|new\s+document|slide\s*\d+|presentation\s*\d*|title|no\s+title|\(?untitled\)?|\(anonymous\)|microsoft\s+(word|powerpoint|excel)(\s*-.*)?)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^(page\s*)?\d+(\s*(of|/)\s*\d+)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PageLabel();
}
