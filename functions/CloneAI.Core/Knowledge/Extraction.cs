namespace CloneAI.Core.Knowledge;

/// <summary>A page's character range in the extracted text (1-based page numbers).</summary>
public sealed record PageSpan(int Page, int Start, int End);

/// <summary>A heading at a character offset, with its level (1 = top).</summary>
public sealed record HeadingSpan(int Start, int Level, string Text);

/// <summary>
/// The text of a document as the clone will cite it. Offsets of chunks and citations index <see cref="Text"/>.
/// For TXT and MD it is the file's text unchanged (UTF-8, BOM removed).
/// </summary>
public sealed record ExtractedText(string Text, IReadOnlyList<PageSpan> Pages, IReadOnlyList<HeadingSpan> Headings, string? Title = null)
{
    public int? PageAt(int offset)
    {
        foreach (var p in Pages) if (offset >= p.Start && offset < p.End) return p.Page;
        return Pages.Count > 0 && offset >= Pages[^1].End ? Pages[^1].Page : null;
    }
}

/// <summary>A file that cannot be ingested; <see cref="Exception.Message"/> is the human reason shown to the creator.</summary>
public sealed class ExtractionException(string reason) : Exception(reason);
