using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// Heading-, paragraph- and sentence-aware chunking with sentence overlap, measured in the embedding model's tokens.
/// <list type="bullet">
/// <item>A chunk never crosses a heading: each section (a heading up to the next) is chunked on its own. A heading with
/// nothing but a sub-heading under it starts its sub-section's first chunk.</item>
/// <item>Whole sentences are packed up to <see cref="ChunkingOptions.MaxTokens"/>; a new paragraph starts a new chunk once the
/// current one is half full; on a PDF a new page starts a new chunk (a sentence running over a page end stays whole).</item>
/// <item>A sentence longer than MaxTokens is split at token boundaries, moved back to a word boundary when there is one.</item>
/// <item>The next chunk repeats the last whole sentences of the previous one that fit in OverlapTokens.</item>
/// <item>Offsets index <see cref="ExtractedText.Text"/> exactly; chunks are trimmed by moving offsets.</item>
/// </list>
/// Every sentence is tokenized once, every chunk once more for its exact <see cref="TextChunk.TokenCount"/>.
/// </summary>
public sealed class Chunker : IChunker
{
    private readonly Tokenizer _tokenizer;
    private readonly int _maxTokens;
    private readonly int _overlapTokens;

    public Chunker(Tokenizer tokenizer, IOptions<ChunkingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
        _maxTokens = Math.Max(1, options.Value.MaxTokens);
        _overlapTokens = Math.Clamp(options.Value.OverlapTokens, 0, _maxTokens / 2);
    }

    /// <summary>A sentence, or a token-bounded piece of an over-long one.</summary>
    private readonly record struct Unit(int Start, int End, int Tokens, int Paragraph, int? Page);

    public IReadOnlyList<TextChunk> Chunk(string documentId, ExtractedText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chunks = new List<TextChunk>();
        var units = new List<Unit>();
        var sentences = new List<(int Start, int End)>();
        foreach (var section in Sections(text))
        {
            units.Clear();
            CollectUnits(text, section.Start, section.End, units, sentences);
            Pack(documentId, text, section.Path, units, chunks);
        }
        return chunks;
    }

    private readonly record struct Section(int Start, int End, string Path);

    /// <summary>The text cut at headings, each part with the path of headings enclosing it.</summary>
    private static List<Section> Sections(ExtractedText extracted)
    {
        var text = extracted.Text;
        var headings = extracted.Headings
            .Where(h => h.Start >= 0 && h.Start < text.Length)
            .OrderBy(h => h.Start)
            .ThenBy(h => h.Level)
            .ToList();
        var sections = new List<Section>();
        var first = headings.Count > 0 ? headings[0].Start : text.Length;
        if (first > 0) sections.Add(new Section(0, first, ""));

        var stack = new List<HeadingSpan>();
        var pendingStart = -1;
        for (var i = 0; i < headings.Count; i++)
        {
            var h = headings[i];
            if (i + 1 < headings.Count && headings[i + 1].Start == h.Start) continue; // two headings at one offset: keep the deeper
            while (stack.Count > 0 && stack[^1].Level >= h.Level) stack.RemoveAt(stack.Count - 1);
            stack.Add(h);
            var end = i + 1 < headings.Count ? headings[i + 1].Start : text.Length;
            if (i + 1 < headings.Count && headings[i + 1].Level > h.Level && IsHeadingOnly(text, h.Start, end))
            {
                if (pendingStart < 0) pendingStart = h.Start;
                continue;
            }
            var path = string.Join(" > ", stack.Select(s => s.Text));
            sections.Add(new Section(pendingStart >= 0 ? pendingStart : h.Start, end, path));
            pendingStart = -1;
        }
        return sections;
    }

    /// <summary>Whether a section is only its heading line (and a setext underline).</summary>
    private static bool IsHeadingOnly(string text, int start, int end)
    {
        var lineEnd = text.IndexOf('\n', start, end - start);
        if (lineEnd < 0) return true;
        foreach (var c in text.AsSpan(lineEnd, end - lineEnd))
        {
            if (!char.IsWhiteSpace(c) && c is not ('=' or '-')) return false;
        }
        return true;
    }

    /// <summary>Paragraphs (blank-line separated) → sentences → units of at most MaxTokens, each tokenized once.</summary>
    private void CollectUnits(ExtractedText extracted, int start, int end, List<Unit> units, List<(int Start, int End)> sentences)
    {
        var text = extracted.Text;
        var paragraph = 0;
        var pos = start;
        while (pos < end)
        {
            var paragraphEnd = ParagraphEnd(text, pos, end);
            sentences.Clear();
            SentenceSplitter.Split(text, pos, paragraphEnd, sentences);
            foreach (var (s, e) in sentences)
            {
                var tokens = _tokenizer.CountTokens(text.AsSpan(s, e - s));
                if (tokens <= _maxTokens) units.Add(new Unit(s, e, tokens, paragraph, extracted.PageAt(s)));
                else SplitLongSentence(extracted, s, e, paragraph, units);
            }
            if (sentences.Count > 0) paragraph++;
            pos = paragraphEnd;
        }
    }

    /// <summary>The end of the paragraph starting at <paramref name="pos"/>: after the blank line that ends it, or <paramref name="end"/>.</summary>
    internal static int ParagraphEnd(string text, int pos, int end)
    {
        var lineStart = pos;
        var sawText = false;
        while (lineStart < end)
        {
            var nl = text.IndexOf('\n', lineStart, end - lineStart);
            var lineEnd = nl < 0 ? end : nl;
            var blank = text.AsSpan(lineStart, lineEnd - lineStart).IsWhiteSpace();
            if (blank && sawText) return lineStart;
            sawText |= !blank;
            if (nl < 0) return end;
            lineStart = nl + 1;
        }
        return end;
    }

    /// <summary>Cuts a sentence longer than MaxTokens at token boundaries, preferring the last word boundary before the cut.</summary>
    private void SplitLongSentence(ExtractedText extracted, int start, int end, int paragraph, List<Unit> units)
    {
        var text = extracted.Text;
        var pos = start;
        var window = Math.Max(256, _maxTokens * 24);
        while (pos < end)
        {
            var span = text.AsSpan(pos, Math.Min(end - pos, window));
            var limit = _maxTokens;
            int cut, tokens;
            while (true)
            {
                var index = _tokenizer.GetIndexByTokenCount(span, limit, out _, out _, considerPreTokenization: true, considerNormalization: false);
                if (index >= end - pos)
                {
                    cut = end;
                }
                else
                {
                    index = Math.Clamp(index, 1, span.Length);
                    cut = pos + index;
                    var space = LastWhitespace(text, pos + index / 2, cut);
                    if (space > pos) cut = space;
                    if (cut < end && char.IsLowSurrogate(text[cut]) && cut - 1 > pos) cut--;
                }
                var pieceEnd = TrimEnd(text, pos, cut);
                tokens = _tokenizer.CountTokens(text.AsSpan(pos, pieceEnd - pos));
                if (tokens <= _maxTokens || limit <= 1 || pieceEnd - pos <= 1)
                {
                    cut = pieceEnd;
                    break;
                }
                // Normalization made the piece longer in tokens than measured; shrink proportionally.
                limit = Math.Max(1, (int)(limit * (double)_maxTokens / tokens) - 1);
            }
            units.Add(new Unit(pos, cut, tokens, paragraph, extracted.PageAt(pos)));
            pos = SkipSpace(text, cut, end);
        }
    }

    /// <summary>Packs units (of one section) into chunks with sentence overlap.</summary>
    private void Pack(string documentId, ExtractedText extracted, string path, List<Unit> units, List<TextChunk> chunks)
    {
        var text = extracted.Text;
        var first = 0;     // first unit of the chunk being built (may be overlap)
        var fresh = 0;     // first unit not yet in any chunk
        while (fresh < units.Count)
        {
            var tokens = 0;
            for (var i = first; i < fresh; i++) tokens += units[i].Tokens;
            var end = fresh; // exclusive
            var fullOrParagraph = false;
            while (end < units.Count)
            {
                var u = units[end];
                if (end > first)
                {
                    if (u.Page != units[first].Page) break;
                    if (tokens + u.Tokens > _maxTokens)
                    {
                        fullOrParagraph = true;
                        break;
                    }
                    if (end > fresh && u.Paragraph != units[end - 1].Paragraph && tokens * 2 >= _maxTokens)
                    {
                        fullOrParagraph = true;
                        break;
                    }
                }
                tokens += u.Tokens;
                end++;
            }

            // Exact count: separators between sentences can add tokens the per-sentence counts did not see.
            var count = Count(text, units, first, end);
            while (count > _maxTokens && end - first > 1)
            {
                if (end - 1 > fresh) end--;
                else first++;
                fullOrParagraph = true;
                count = Count(text, units, first, end);
            }

            var start = units[first].Start;
            var stop = units[end - 1].End;
            chunks.Add(new TextChunk(
                TextChunk.MakeId(documentId, chunks.Count), documentId, chunks.Count, start, stop, extracted.PageAt(start), path,
                text.Substring(start, stop - start), count));

            var chunkFirst = first;
            fresh = end;
            first = end;
            if (fresh >= units.Count || !fullOrParagraph || _overlapTokens == 0) continue;

            // Overlap: the last whole sentences of this chunk that fit in OverlapTokens, on the next sentence's page,
            // never the whole chunk, and leaving room for the next sentence.
            var next = units[fresh];
            var carried = 0;
            var candidate = end;
            while (candidate - 1 > chunkFirst)
            {
                var u = units[candidate - 1];
                if (carried + u.Tokens > _overlapTokens || u.Page != next.Page) break;
                carried += u.Tokens;
                candidate--;
            }
            while (candidate < fresh && carried + next.Tokens > _maxTokens)
            {
                carried -= units[candidate].Tokens;
                candidate++;
            }
            first = candidate;
        }
    }

    private int Count(string text, List<Unit> units, int first, int end) =>
        end - first == 1
            ? units[first].Tokens
            : _tokenizer.CountTokens(text.AsSpan(units[first].Start, units[end - 1].End - units[first].Start));

    private static int LastWhitespace(string text, int from, int before)
    {
        for (var i = before - 1; i >= from; i--)
            if (char.IsWhiteSpace(text[i])) return i;
        return -1;
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
