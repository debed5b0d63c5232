using System.Text;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// A short summary of a document without a model: its title and the 2–4 most central sentences of its first part,
/// scored by how many of the part's frequent words they share (term frequency), in document order. Deterministic.
/// </summary>
public static class ExtractiveSummarizer
{
    public const int MaxChars = 600;

    /// <summary>How much of the start of the document is read for sentences.</summary>
    public const int ScanChars = 20_000;

    private const int MaxSentences = 4;
    private const int MaxCandidates = 200;
    private const int MaxTitleChars = 150;

    public static string Summarize(ExtractedText text, int maxChars = MaxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        maxChars = Math.Max(40, maxChars);
        var title = text.Title is { } t && !string.IsNullOrWhiteSpace(t) ? Shorten(DocumentText.CollapseWhitespace(t), MaxTitleChars) : null;
        var prefix = title is null ? "" : title + (title[^1] is '.' or '!' or '?' or ':' ? " " : ". ");

        var candidates = Candidates(text, title);
        if (candidates.Count == 0)
        {
            var start = DocumentText.CollapseWhitespace(text.Text.Length > maxChars * 2 ? text.Text[..(maxChars * 2)] : text.Text);
            return Shorten(prefix + start, maxChars);
        }

        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in candidates)
            foreach (var w in c.Words) frequency[w] = frequency.GetValueOrDefault(w) + 1;

        var scored = candidates
            .Select((c, i) =>
            {
                var centrality = c.Words.Sum(w => Math.Log(frequency[w])) / Math.Sqrt(c.Words.Count + 1);
                var position = 1 + 0.3 * (1 - (double)i / candidates.Count);
                return (Index: i, Score: centrality * position);
            })
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Index)
            .ToList();

        var budget = maxChars - prefix.Length;
        var chosen = new List<int>();
        var used = 0;
        foreach (var (index, _) in scored)
        {
            var length = candidates[index].Text.Length + (chosen.Count > 0 ? 1 : 0);
            if (used + length > budget) continue;
            chosen.Add(index);
            used += length;
            if (chosen.Count == MaxSentences) break;
        }
        if (chosen.Count == 0) return Shorten(prefix + candidates[scored[0].Index].Text, maxChars);

        chosen.Sort();
        var sb = new StringBuilder(prefix);
        for (var i = 0; i < chosen.Count; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(candidates[chosen[i]].Text);
        }
        return Shorten(sb.ToString(), maxChars);
    }

    private sealed record Candidate(string Text, HashSet<string> Words);

    /// <summary>Well-formed sentences of the first part of the document: not headings, mostly letters, 6–70 words.</summary>
    private static List<Candidate> Candidates(ExtractedText extracted, string? title)
    {
        var text = extracted.Text;
        var end = Math.Min(text.Length, ScanChars);
        var headingStarts = extracted.Headings.Select(h => h.Start).ToHashSet();
        var result = new List<Candidate>();
        var pos = 0;
        while (pos < end && result.Count < MaxCandidates)
        {
            var paragraphEnd = Chunker.ParagraphEnd(text, pos, end);
            foreach (var (s, e) in SentenceSplitter.Split(text, pos, paragraphEnd))
            {
                if (headingStarts.Contains(s)) continue;
                var sentence = DocumentText.CollapseWhitespace(text[s..e]);
                if (sentence.Length is < 40 or > 350) continue;
                if (title is not null && sentence.StartsWith(title, StringComparison.OrdinalIgnoreCase) && sentence.Length < title.Length + 20) continue;
                if (sentence[^1] is not ('.' or '!' or '?' or '"' or '”' or ')' or ']')) continue;
                var letters = sentence.Count(char.IsLetter);
                if (letters < sentence.Length * 0.6) continue;
                var words = Words(sentence);
                if (words.Count < 4) continue;
                result.Add(new Candidate(sentence, words));
                if (result.Count == MaxCandidates) break;
            }
            pos = paragraphEnd;
        }
        return result;
    }

    private static HashSet<string> Words(string sentence)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        while (i < sentence.Length)
        {
            while (i < sentence.Length && !char.IsLetterOrDigit(sentence[i])) i++;
            var start = i;
            while (i < sentence.Length && (char.IsLetterOrDigit(sentence[i]) || sentence[i] == '-')) i++;
            if (i - start < 3) continue;
            var word = sentence[start..i].ToLowerInvariant();
            if (!StopWords.Contains(word)) words.Add(word);
        }
        return words;
    }

    /// <summary>At most <paramref name="max"/> characters, cut at a word boundary with an ellipsis.</summary>
    private static string Shorten(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max - 1);
        if (cut < max / 2) cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return text[..cut].TrimEnd(' ', ',', ';', ':') + "…";
    }
}
