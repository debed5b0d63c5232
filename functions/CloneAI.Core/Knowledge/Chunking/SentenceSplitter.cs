namespace CloneAI.Core.Knowledge;

/// <summary>
/// Finds sentence spans in text without copying it. A sentence ends at <c>. ! ? …</c> (and CJK full stops) followed by
/// whitespace, after optional closing quotes/brackets and a citation such as <c>[12]</c>; abbreviations ("e.g.", "et al.",
/// "Fig. 2", "Dr."), initials and decimals ("3.5") do not end one. A line that starts a list item starts a sentence.
/// </summary>
public static class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "al", "fig", "figs", "eq", "eqs", "ref", "refs", "vol", "vols",
        "pp", "ch", "chap", "sec", "tab", "suppl", "approx", "ca", "cf", "resp", "inc", "ltd", "co", "corp", "dept", "univ",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "viz", "ie", "eg", "gen", "gov",
        "rev", "hon", "mt", "ft", "est", "ed", "eds", "op", "cit", "ibid",
    };

    /// <summary>Abbreviations that end a sentence unless a number follows ("No. 5", "p. 12", "accession no. MG757138").</summary>
    private static readonly HashSet<string> BeforeNumbers = new(StringComparer.OrdinalIgnoreCase) { "no", "nos", "p", "art", "para" };

    /// <summary>The trimmed sentence spans (start, end) of <paramref name="text"/>[<paramref name="start"/>..<paramref name="end"/>).</summary>
    public static List<(int Start, int End)> Split(string text, int start, int end)
    {
        var result = new List<(int, int)>();
        Split(text, start, end, result);
        return result;
    }

    public static void Split(string text, int start, int end, List<(int Start, int End)> result)
    {
        var sentenceStart = SkipSpace(text, start, end);
        var pos = sentenceStart;
        while (pos < end)
        {
            var c = text[pos];
            int boundary; // end of the sentence (exclusive) or -1
            if (IsTerminator(c))
            {
                var j = pos + 1;
                while (j < end && IsTerminator(text[j])) j++;
                while (j < end && IsCloser(text[j])) j++;
                j = SkipCitation(text, j, end);
                while (j < end && IsCloser(text[j])) j++;
                var cjk = c is '。' or '！' or '？';
                if (j < end && !char.IsWhiteSpace(text[j]) && !cjk)
                {
                    pos = j;
                    continue;
                }
                var next = SkipSpace(text, j, end);
                if (next < end && c == '.' && !EndsSentence(text, sentenceStart, pos, next))
                {
                    pos = next;
                    continue;
                }
                if (next < end && c is '!' or '?' && char.IsLower(text[next]))
                {
                    pos = next;
                    continue;
                }
                boundary = j;
                pos = next;
            }
            else if (c == '\n' && StartsListItem(text, pos + 1, end))
            {
                boundary = pos;
                pos = SkipSpace(text, pos, end);
            }
            else
            {
                pos++;
                continue;
            }

            var e = TrimEnd(text, sentenceStart, boundary);
            if (e > sentenceStart) result.Add((sentenceStart, e));
            sentenceStart = pos;
        }
        var last = TrimEnd(text, sentenceStart, end);
        if (last > sentenceStart) result.Add((sentenceStart, last));
    }

    private static bool IsTerminator(char c) => c is '.' or '!' or '?' or '…' or '。' or '！' or '？';

    private static bool IsCloser(char c) => c is '"' or '\'' or ')' or ']' or '”' or '’' or '»' or '*' or '_';

    /// <summary>Whether the period at <paramref name="dot"/> ends a sentence whose next word starts at <paramref name="next"/>.</summary>
    private static bool EndsSentence(string text, int sentenceStart, int dot, int next)
    {
        var n = text[next];
        if (char.IsLower(n)) return false;

        // The word before the period, letters and inner periods only ("e.g", "U.S", "Fig").
        var w = dot;
        while (w > sentenceStart && (char.IsLetter(text[w - 1]) || (text[w - 1] == '.' && w - 1 > sentenceStart && char.IsLetter(text[w - 2])))) w--;
        var length = dot - w;
        if (length == 0) return true; // a number, a bracket, a quote: "in 2020. Then", "(see above). Then"
        if (w > sentenceStart && char.IsLetterOrDigit(text[w - 1])) return true; // "COVID19." — part of a longer token
        var word = text.AsSpan(w, length);
        if (length == 1 && char.IsUpper(word[0])) return false; // an initial: "J. Smith"
        if (word.Contains('.')) return false; // "e.g.", "i.e.", "U.S."
        var lookup = Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.Contains(word)) return false;
        var numbers = BeforeNumbers.GetAlternateLookup<ReadOnlySpan<char>>();
        if (numbers.Contains(word) && NextWordHasDigit(text, next)) return false;
        return true;
    }

    /// <summary>Whether the word at <paramref name="pos"/> contains a digit ("5", "MG757138", "S1").</summary>
    private static bool NextWordHasDigit(string text, int pos)
    {
        for (var i = pos; i < text.Length && i - pos < 32 && !char.IsWhiteSpace(text[i]); i++)
            if (char.IsAsciiDigit(text[i])) return true;
        return false;
    }

    /// <summary>Skips a numeric citation right after a sentence end: "[12]", "[3, 4]", "[5–7]".</summary>
    private static int SkipCitation(string text, int pos, int end)
    {
        if (pos >= end || text[pos] != '[') return pos;
        var j = pos + 1;
        var digits = 0;
        while (j < end && j - pos < 40)
        {
            var c = text[j];
            if (c == ']') return digits > 0 ? SkipCitation(text, j + 1, end) : pos;
            if (char.IsAsciiDigit(c)) digits++;
            else if (c is not (',' or ' ' or '-' or '–' or '—' or ';')) return pos;
            j++;
        }
        return pos;
    }

    /// <summary>Whether the line at <paramref name="pos"/> starts with a bullet or a number marker.</summary>
    private static bool StartsListItem(string text, int pos, int end)
    {
        while (pos < end && text[pos] is ' ' or '\t') pos++;
        if (pos >= end) return false;
        var c = text[pos];
        if (c is '•' or '▪' or '◦' or '·') return true;
        if (c is '-' or '*' or '+') return pos + 1 < end && text[pos + 1] is ' ' or '\t';
        var d = pos;
        while (d < end && d - pos < 4 && char.IsAsciiDigit(text[d])) d++;
        return d > pos && d + 1 < end && text[d] is '.' or ')' && text[d + 1] is ' ' or '\t';
    }

    private static int SkipSpace(string text, int pos, int end)
    {
        while (pos < end && char.IsWhiteSpace(text[pos])) pos++;
        return pos;
    }

    private static int TrimEnd(string text, int start, int end)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        return end;
    }
}
