namespace CloneAI.Core.Knowledge;

/// <summary>
/// Cuts a chunk's text into the segments that are embedded one by one when <see cref="KnowledgeOptions.SegmentVectors"/> is on:
/// its sentences (each line on its own, then <see cref="SentenceSplitter"/>), with fragments shorter than
/// <see cref="KnowledgeOptions.SegmentMinChars"/> (a heading, "Methods:", a figure label) joined to the sentence after them, or
/// to the one before at the end. Deterministic: the embed and index steps compute the same segments from the same text.
/// </summary>
public static class PassageSegmenter
{
    /// <summary>Segment spans (start, end) relative to <paramref name="text"/>, in order; one at least when the text has any.</summary>
    public static List<(int Start, int End)> Segment(string text, int minChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<(int Start, int End)>();
        var lineStart = 0;
        while (lineStart < text.Length)
        {
            var nl = text.IndexOf('\n', lineStart);
            var lineEnd = nl < 0 ? text.Length : nl;
            if (!text.AsSpan(lineStart, lineEnd - lineStart).IsWhiteSpace()) SentenceSplitter.Split(text, lineStart, lineEnd, sentences);
            lineStart = lineEnd + 1;
        }

        var segments = new List<(int Start, int End)>(sentences.Count);
        var pending = -1; // start of a fragment waiting for the next sentence
        foreach (var (start, end) in sentences)
        {
            var s = pending >= 0 ? pending : start;
            if (end - s < minChars)
            {
                pending = s;
                continue;
            }
            segments.Add((s, end));
            pending = -1;
        }
        if (pending >= 0)
        {
            var end = sentences[^1].End;
            if (segments.Count > 0) segments[^1] = (segments[^1].Start, end);
            else segments.Add((pending, end));
        }
        return segments;
    }
}
