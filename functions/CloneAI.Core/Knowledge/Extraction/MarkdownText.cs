namespace CloneAI.Core.Knowledge;

/// <summary>
/// Markdown keeps its text unchanged (offsets index the original file); ATX (<c># Title</c>) and setext
/// (<c>Title</c> underlined with <c>===</c>/<c>---</c>) headings outside code fences become heading spans.
/// </summary>
internal static class MarkdownText
{
    public static ExtractedText Extract(string text)
    {
        var headings = FindHeadings(text);
        return new ExtractedText(text, [], headings, headings.Count > 0 ? headings[0].Text : null);
    }

    public static List<HeadingSpan> FindHeadings(string text)
    {
        var headings = new List<HeadingSpan>();
        string? fence = null;
        var previousStart = -1;
        var previousIsParagraphLine = false;
        var lineBeforePreviousBlank = true;
        var previousBlank = true;

        var pos = 0;
        while (pos <= text.Length)
        {
            var end = text.IndexOf('\n', pos);
            if (end < 0) end = text.Length;
            var line = text.AsSpan(pos, end - pos).TrimEnd('\r');
            var indent = CountIndent(line);
            var content = line[Math.Min(indent, line.Length)..];
            var blank = content.IsWhiteSpace();
            var isParagraphLine = false;

            if (fence is not null)
            {
                if (indent <= 3 && content.StartsWith(fence, StringComparison.Ordinal) && content.TrimEnd().Trim(fence[0]).IsEmpty) fence = null;
            }
            else if (indent <= 3 && (content.StartsWith("```", StringComparison.Ordinal) || content.StartsWith("~~~", StringComparison.Ordinal)))
            {
                var marker = content[0];
                var n = 0;
                while (n < content.Length && content[n] == marker) n++;
                fence = new string(marker, n);
            }
            else if (indent <= 3 && AtxLevel(content) is { } level)
            {
                var title = AtxText(content[level..]);
                if (title.Length > 0) headings.Add(new HeadingSpan(pos + indent, level, title));
            }
            else if (indent <= 3 && previousIsParagraphLine && lineBeforePreviousBlank && SetextLevel(content) is { } setext)
            {
                var previous = text.AsSpan(previousStart, pos - 1 - previousStart).TrimEnd('\r');
                var previousIndent = CountIndent(previous);
                var title = DocumentText.CollapseWhitespace(previous[previousIndent..].ToString());
                if (title.Length > 0) headings.Add(new HeadingSpan(previousStart + previousIndent, setext, title));
            }
            else if (!blank && indent <= 3)
            {
                isParagraphLine = !IsBlockMarker(content);
            }

            lineBeforePreviousBlank = previousBlank;
            previousBlank = blank;
            previousIsParagraphLine = isParagraphLine;
            previousStart = pos;
            pos = end + 1;
        }
        return headings;
    }

    private static int CountIndent(ReadOnlySpan<char> line)
    {
        var n = 0;
        foreach (var c in line)
        {
            if (c == ' ') n++;
            else if (c == '\t') n += 4;
            else break;
        }
        return Math.Min(n, line.Length);
    }

    private static int? AtxLevel(ReadOnlySpan<char> content)
    {
        var n = 0;
        while (n < content.Length && content[n] == '#') n++;
        if (n is < 1 or > 6) return null;
        return n == content.Length || content[n] is ' ' or '\t' ? n : null;
    }

    /// <summary>Heading text without the optional closing sequence of #s.</summary>
    private static string AtxText(ReadOnlySpan<char> rest)
    {
        rest = rest.Trim();
        var closing = rest.TrimEnd('#');
        if (closing.Length == 0) rest = closing;
        else if (closing.Length < rest.Length && closing[^1] is ' ' or '\t') rest = closing;
        return DocumentText.CollapseWhitespace(rest.ToString());
    }

    private static int? SetextLevel(ReadOnlySpan<char> content)
    {
        var trimmed = content.TrimEnd();
        if (trimmed.IsEmpty) return null;
        var c = trimmed[0];
        if (c is not ('=' or '-')) return null;
        foreach (var x in trimmed)
            if (x != c) return null;
        return c == '=' ? 1 : 2;
    }

    /// <summary>Lines that start something other than a paragraph (lists, quotes, tables, rules, HTML).</summary>
    private static bool IsBlockMarker(ReadOnlySpan<char> content)
    {
        if (content.IsEmpty) return true;
        var c = content[0];
        if (c is '>' or '|' or '<') return true;
        if (c is '-' or '*' or '+' && (content.Length == 1 || content[1] is ' ' or '\t')) return true;
        if (SetextLevel(content) is not null) return true;
        var digits = 0;
        while (digits < content.Length && char.IsAsciiDigit(content[digits])) digits++;
        return digits is > 0 and < 10 && digits < content.Length && content[digits] is '.' or ')'
               && (digits + 1 == content.Length || content[digits + 1] is ' ' or '\t');
    }
}
