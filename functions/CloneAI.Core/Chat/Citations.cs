using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CloneAI.Core.Chat;

/// <summary>
/// What an answer cites. A responder marks its sentences with source numbers <c>[n]</c>; the answer a user reads is numbered by
/// document instead, 1..k in the order of first use, one <see cref="Citation"/> per document (<see cref="CitationNumbering"/>,
/// as the answer streams). Each citation carries the exact ranges of the document's text that the answer quotes: those the
/// extractive responder reports, or for a model's answer the source sentence that best matches each answer sentence before a mark;
/// and the retrieved passages those quotes came from (for a model's answer, every passage its marks named).
/// </summary>
public static partial class Citations
{
    private const int SnippetChars = 240;

    /// <summary>Least share of an answer sentence's words that a source sentence must hold to be taken as the one it cites.</summary>
    public const double LocateFloor = 0.5;

    public static Citation From(ChatSource s) =>
        new(s.N, s.DocumentId, s.FileName, s.Title, s.Start, s.End, s.Page, Snippet(s.Text));

    /// <summary>
    /// The final citations of an answer whose marks <paramref name="numbering"/> renumbered: one per document, in the order of its
    /// number. <paramref name="quotes"/> are the ranges the responder reports it quoted (relative to each source's text); without
    /// them, each mark's quote is located in its source from the raw answer text. A citation's passages are the sources of the
    /// reported quotes, or without reported quotes the sources the marks named.
    /// </summary>
    public static List<Citation> Final(CitationNumbering numbering, IReadOnlyList<ChatSource> sources, IReadOnlyList<SourceQuote>? quotes)
    {
        var byN = sources.ToDictionary(s => s.N);
        var ranges = new Dictionary<string, List<QuoteSpan>>(StringComparer.Ordinal);
        var passages = new Dictionary<string, List<ChatSource>>(StringComparer.Ordinal);
        foreach (var n in numbering.UsedSources)
        {
            var s = byN[n];
            (passages.TryGetValue(s.DocumentId, out var list) ? list : passages[s.DocumentId] = []).Add(s);
        }
        // The passages each document's quotes came from: those the responder reports quoting, else those the marks named.
        var quotedFrom = new Dictionary<string, List<ChatSource>>(StringComparer.Ordinal);
        var located = quotes ?? Locate(numbering.Raw, byN);
        foreach (var q in located)
        {
            if (!byN.TryGetValue(q.N, out var s) || !passages.ContainsKey(s.DocumentId)) continue;
            if (q.Start < 0 || q.End > s.Text.Length || q.Start >= q.End) continue;
            (ranges.TryGetValue(s.DocumentId, out var list) ? list : ranges[s.DocumentId] = []).Add(new QuoteSpan(s.Start + q.Start, s.Start + q.End));
            (quotedFrom.TryGetValue(s.DocumentId, out var from) ? from : quotedFrom[s.DocumentId] = []).Add(s);
        }
        var result = new List<Citation>();
        foreach (var (documentId, number) in numbering.Documents)
        {
            var used = passages[documentId];
            var spans = Merge(ranges.GetValueOrDefault(documentId) ?? []);
            var first = used[0];
            var from = PassageRanges(quotes is not null && quotedFrom.TryGetValue(documentId, out var reported) ? reported : used);
            if (spans.Count == 0)
            {
                result.Add(new Citation(number, documentId, first.FileName, first.Title, used.Min(s => s.Start), used.Max(s => s.End), first.Page, Snippet(first.Text))
                {
                    Passages = from,
                });
                continue;
            }
            var holder = used.FirstOrDefault(s => s.Start <= spans[0].Start && spans[0].End <= s.End) ?? first;
            var snippet = string.Join(' ', spans.Select(q => QuotedText(used, q)).Where(t => t.Length > 0));
            result.Add(new Citation(number, documentId, first.FileName, first.Title, spans[0].Start, spans.Max(q => q.End), holder.Page,
                Snippet(snippet.Length > 0 ? snippet : holder.Text), spans, from));
        }
        return result;
    }

    /// <summary>The distinct ranges of some passages, in document order.</summary>
    private static List<QuoteSpan> PassageRanges(IEnumerable<ChatSource> sources) =>
        sources.Select(s => new QuoteSpan(s.Start, s.End)).Distinct().OrderBy(p => p.Start).ThenBy(p => p.End).ToList();

    /// <summary>
    /// For each mark in a model's answer, the source sentence that best matches the answer's sentence before it: the one holding
    /// the largest share of its words (at least <see cref="LocateFloor"/>); a mark with no such sentence quotes nothing.
    /// </summary>
    public static List<SourceQuote> Locate(string raw, IReadOnlyDictionary<int, ChatSource> sources)
    {
        var result = new List<SourceQuote>();
        var previousEnd = 0;
        foreach (Match group in MarkGroup().Matches(raw))
        {
            var before = raw[previousEnd..group.Index];
            previousEnd = group.Index + group.Length;
            // The answer sentence the mark closes: from the last sentence end before it (a mark mid-sentence cites what precedes it).
            var cut = LastSentenceEnd(before);
            var sentence = before[cut..];
            var words = ExtractiveResponder.Terms(sentence).ToHashSet(StringComparer.Ordinal);
            if (words.Count == 0) continue;
            foreach (var n in Numbers(group.Value))
            {
                if (!sources.TryGetValue(n, out var source)) continue;
                (int Start, int End) best = default;
                var bestShare = 0.0;
                foreach (var (start, end) in ExtractiveResponder.Sentences(source.Text))
                {
                    var terms = ExtractiveResponder.Terms(source.Text[start..end]).ToHashSet(StringComparer.Ordinal);
                    var share = words.Count(terms.Contains) / (double)words.Count;
                    if (share > bestShare)
                    {
                        bestShare = share;
                        best = (start, end);
                    }
                }
                if (bestShare >= LocateFloor) result.Add(new SourceQuote(n, best.Start, best.End));
            }
        }
        return result;
    }

    /// <summary>The source numbers of a run of marks: "[1]", "[1][3]", "[1, 3]".</summary>
    internal static IEnumerable<int> Numbers(string marks) =>
        Digits().Matches(marks).Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture));

    private static int LastSentenceEnd(string text)
    {
        var trimmed = text.TrimEnd();
        // The sentence's own closing stop (before its mark) does not end it.
        if (trimmed.Length > 0 && ".!?".Contains(trimmed[^1])) trimmed = trimmed[..^1];
        var cut = trimmed.LastIndexOfAny(['.', '!', '?', '\n']);
        return cut < 0 ? 0 : cut + 1;
    }

    private static List<QuoteSpan> Merge(List<QuoteSpan> spans)
    {
        var merged = new List<QuoteSpan>();
        foreach (var q in spans.OrderBy(q => q.Start).ThenBy(q => q.End))
        {
            if (merged.Count > 0 && q.Start < merged[^1].End) merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, q.End) };
            else merged.Add(q);
        }
        return merged;
    }

    private static string QuotedText(List<ChatSource> used, QuoteSpan q)
    {
        var s = used.FirstOrDefault(s => s.Start <= q.Start && q.End <= s.End);
        return s is null ? "" : ExtractiveResponder.Clean(s.Text[(q.Start - s.Start)..(q.End - s.Start)]);
    }

    private static string Snippet(string text)
    {
        var one = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return one.Length <= SnippetChars ? one : one[..SnippetChars].TrimEnd() + "…";
    }

    /// <summary>A run of citation marks: "[1]", "[1][3]", "[1, 3]", "[1] [3]".</summary>
    [GeneratedRegex(@"\[\d{1,2}(?:\s*,\s*\d{1,2})*\](?:[ \t]*\[\d{1,2}(?:\s*,\s*\d{1,2})*\])*")]
    internal static partial Regex MarkGroup();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}

/// <summary>
/// Renumbers an answer's marks as it streams: a source number <c>[n]</c> becomes its document's number, 1..k in the order of
/// first use (two sources of one document share one number, and a run of marks names each document once); a mark naming no
/// source is dropped. A delta that ends inside a possible mark ("… [1") holds that part back until the next delta shows it whole;
/// a mark right after marks already sent does not repeat their documents.
/// </summary>
public sealed class CitationNumbering(IReadOnlyList<ChatSource> sources)
{
    private const int LongestMark = 24;

    private readonly Dictionary<int, ChatSource> _sources = sources.ToDictionary(s => s.N);
    private readonly Dictionary<string, int> _documents = new(StringComparer.Ordinal);
    private readonly List<int> _used = [];
    private readonly StringBuilder _raw = new();
    private readonly StringBuilder _text = new();
    private string _pending = "";

    /// <summary>The responder's text so far, as written (source numbers).</summary>
    public string Raw => _raw.ToString();

    /// <summary>The renumbered text sent so far.</summary>
    public string Text => _text.ToString();

    /// <summary>Each cited document and its number, in the order of the numbers.</summary>
    public IEnumerable<(string DocumentId, int Number)> Documents => _documents.OrderBy(d => d.Value).Select(d => (d.Key, d.Value));

    /// <summary>The source numbers the answer used, in order of first use.</summary>
    public IReadOnlyList<int> UsedSources => _used;

    /// <summary>The renumbered text that can go out now (possibly empty).</summary>
    public string Push(string delta)
    {
        _raw.Append(delta);
        var pending = _pending + delta;
        var hold = HoldFrom(pending);
        _pending = pending[hold..];
        return Emit(pending[..hold]);
    }

    /// <summary>What was held back, renumbered: at the end of the answer.</summary>
    public string Flush()
    {
        var rest = _pending;
        _pending = "";
        return Emit(rest);
    }

    private string Emit(string text)
    {
        if (text.Length == 0) return "";
        // Marks at the start of this piece continue the run the text sent so far ends with.
        var run = text.Length > 0 && text[0] == '[' ? TrailingRun() : [];
        var result = Citations.MarkGroup().Replace(text, m =>
        {
            var numbers = m.Index == 0 ? new List<int>(run) : [];
            foreach (var n in Citations.Numbers(m.Value))
            {
                if (!_sources.TryGetValue(n, out var source)) continue;
                if (!_used.Contains(n)) _used.Add(n);
                if (!_documents.TryGetValue(source.DocumentId, out var number)) _documents[source.DocumentId] = number = _documents.Count + 1;
                if (!numbers.Contains(number)) numbers.Add(number);
            }
            return string.Concat(numbers.Skip(m.Index == 0 ? run.Count : 0).Select(n => "[" + n.ToString(CultureInfo.InvariantCulture) + "]"));
        });
        _text.Append(result);
        return result;
    }

    /// <summary>The document numbers of the run of marks the sent text ends with.</summary>
    private List<int> TrailingRun()
    {
        var sent = _text.ToString();
        var last = Citations.MarkGroup().Matches(sent).LastOrDefault();
        return last is not null && last.Index + last.Length == sent.Length ? Citations.Numbers(last.Value).ToList() : [];
    }

    /// <summary>Where the text's tail that might still grow into a mark begins; its length when none does.</summary>
    private static int HoldFrom(string text)
    {
        var hold = text.Length;
        // An unfinished mark at the very end: "[", "[1", "[1, 2".
        var open = text.LastIndexOf('[');
        if (open >= 0 && text.Length - open <= LongestMark && text.IndexOf(']', open) < 0 && IsMarkBody(text.AsSpan(open + 1)))
            hold = open;
        return hold;
    }

    private static bool IsMarkBody(ReadOnlySpan<char> body)
    {
        foreach (var c in body)
        {
            if (!char.IsAsciiDigit(c) && c is not (',' or ' ')) return false;
        }
        return true;
    }
}
