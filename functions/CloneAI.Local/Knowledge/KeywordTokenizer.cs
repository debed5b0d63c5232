using System.Globalization;
using System.Text;
using CloneAI.Core.Knowledge;

namespace CloneAI.Local.Knowledge;

/// <summary>
/// The keyword index's tokenizer, after FTS5's <c>porter unicode61 remove_diacritics 2</c>: tokens are runs of letters, digits
/// (and spacing marks); combining marks are dropped (with the canonical decomposition that strips diacritics: é → e), letters are
/// lower-cased, and all-ASCII tokens of three or more characters are Porter-stemmed. Tokens longer than
/// <see cref="MaxTokenLength"/> are skipped on both sides (no query term can be that long).
/// </summary>
public static class KeywordTokenizer
{
    public const int MaxTokenLength = 64;

    private const char Separator = '\0';
    private const char Mark = '\u0001';

    /// <summary>Per UTF-16 code unit: <see cref="Separator"/>, <see cref="Mark"/> (dropped inside a token) or the folded character.</summary>
    private static readonly char[] Fold = BuildFold();

    private static char[] BuildFold()
    {
        var fold = new char[65536];
        for (var i = 0; i < fold.Length; i++)
        {
            var c = (char)i;
            if (c < 0x80)
            {
                fold[i] = char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : Separator;
                continue;
            }
            if (char.IsSurrogate(c)) continue; // handled by the reader, a pair at a time
            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.NonSpacingMark:
                    fold[i] = Mark;
                    break;
                case UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
                    or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.SpacingCombiningMark
                    or UnicodeCategory.EnclosingMark or UnicodeCategory.PrivateUse:
                    var folded = c;
                    var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
                    if (decomposed.Length > 1 && !char.IsSurrogate(decomposed[0]) && AllMarks(decomposed.AsSpan(1))) folded = decomposed[0];
                    folded = char.ToLowerInvariant(folded);
                    fold[i] = folded is Separator or Mark ? c : folded;
                    break;
            }
        }
        return fold;

        static bool AllMarks(ReadOnlySpan<char> s)
        {
            foreach (var ch in s)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark) return false;
            }
            return true;
        }
    }

    /// <summary>Reads the folded (lower-case, diacritic-free, unstemmed) tokens of a text, one at a time, into a caller's buffer.</summary>
    public ref struct Reader(ReadOnlySpan<char> text)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private int _position;

        /// <summary>
        /// The next token into <paramref name="buffer"/> (at least <see cref="MaxTokenLength"/> long): its length, and whether it
        /// is all ASCII (stemmable). False at the end of the text.
        /// </summary>
        public bool Next(scoped Span<char> buffer, out int length, out bool ascii)
        {
            var text = _text;
            var i = _position;
            while (i < text.Length)
            {
                length = 0;
                ascii = true;
                var tooLong = false;
                var inToken = false;
                while (i < text.Length)
                {
                    var c = text[i];
                    if (char.IsHighSurrogate(c))
                    {
                        if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) && IsWordCategory(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[i + 1]))))
                        {
                            inToken = true;
                            ascii = false;
                            if (length + 2 <= MaxTokenLength)
                            {
                                buffer[length++] = c;
                                buffer[length++] = text[i + 1];
                            }
                            else
                            {
                                tooLong = true;
                            }
                            i += 2;
                            continue;
                        }
                        if (inToken) break;
                        i++;
                        continue;
                    }
                    var f = Fold[c];
                    if (f == Separator)
                    {
                        if (inToken) break;
                        i++;
                        continue;
                    }
                    i++;
                    inToken = true;
                    if (f == Mark) continue;
                    if (f >= 0x80) ascii = false;
                    if (length < MaxTokenLength) buffer[length++] = f;
                    else tooLong = true;
                }
                if (inToken && length > 0 && !tooLong)
                {
                    _position = i;
                    return true;
                }
            }
            _position = i;
            length = 0;
            ascii = false;
            return false;
        }

        private static bool IsWordCategory(UnicodeCategory category) => category is UnicodeCategory.UppercaseLetter
            or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter
            or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber
            or UnicodeCategory.OtherNumber or UnicodeCategory.PrivateUse;
    }

    /// <summary>Stems a token read by <see cref="Reader"/> in place; returns the indexed term's length.</summary>
    public static int Term(Span<char> token, bool ascii) => ascii && token.Length >= 3 ? PorterStemmer.Stem(token) : token.Length;

    /// <summary>The indexed terms of a text, in order (tests, reference implementations).</summary>
    public static List<string> Terms(string? text)
    {
        var terms = new List<string>();
        if (string.IsNullOrEmpty(text)) return terms;
        Span<char> buffer = stackalloc char[MaxTokenLength];
        var reader = new Reader(text);
        while (reader.Next(buffer, out var length, out var ascii)) terms.Add(new string(buffer[..Term(buffer[..length], ascii)]));
        return terms;
    }

    /// <summary>
    /// The distinct query terms of a question (stemmed): English stop words (<see cref="StopWords"/>) are dropped
    /// unless nothing else is left; at most <see cref="RetrievalFtsQuery.MaxTerms"/>.
    /// </summary>
    public static List<string> QueryTerms(string? text)
    {
        var terms = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return terms;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        List<string>? stop = null;
        Span<char> buffer = stackalloc char[MaxTokenLength];
        var reader = new Reader(text);
        while (terms.Count < RetrievalFtsQuery.MaxTerms && reader.Next(buffer, out var length, out var ascii))
        {
            var token = buffer[..length];
            var isStop = StopWords.Contains(token);
            if (isStop && stop is not null && stop.Count >= RetrievalFtsQuery.MaxTerms) continue;
            var term = new string(token[..Term(token, ascii)]);
            if (isStop) (stop ??= []).Add(term);
            else if (seen.Add(term)) terms.Add(term);
        }
        if (terms.Count == 0 && stop is not null)
        {
            foreach (var term in stop)
            {
                if (seen.Add(term)) terms.Add(term);
            }
        }
        return terms;
    }
}
