using System.Text;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// Extracts the text of PDF, DOCX, HTML, TXT and Markdown files with page and heading offsets.
/// Everything that goes wrong becomes an <see cref="ExtractionException"/> with a reason a creator can act on.
/// Extracted text is data: it is returned verbatim and nothing in it is interpreted.
/// </summary>
public sealed class DocumentExtractor : ITextExtractor
{
    /// <summary>Most pages of a PDF that are read.</summary>
    public const int MaxPdfPages = 2_000;

    /// <summary>Most characters of extracted text per document.</summary>
    public const int MaxTextChars = 20_000_000;

    /// <summary>Most entries in a DOCX (ZIP) archive.</summary>
    public const int MaxZipEntries = 10_000;

    /// <summary>Most bytes a DOCX may unpack to.</summary>
    public const long MaxZipUncompressedBytes = 200L * 1024 * 1024;

    /// <summary>Highest uncompressed/compressed ratio allowed for a ZIP entry larger than <see cref="ZipRatioMinBytes"/>.</summary>
    public const int MaxZipCompressionRatio = 100;

    public const long ZipRatioMinBytes = 1024 * 1024;

    internal const string NoText = "The document has no text.";

    internal static string TooLong => $"The document has more than {MaxTextChars / 1_000_000} million characters of text.";

    public ExtractedText Extract(byte[] data, string kind)
    {
        if (data is null || data.Length == 0) throw new ExtractionException("The file is empty.");
        ExtractedText result;
        try
        {
            result = kind switch
            {
                DocumentKinds.Pdf => PdfText.Extract(data),
                DocumentKinds.Docx => DocxText.Extract(data),
                DocumentKinds.Html => HtmlText.Extract(FileTypes.DecodeText(data)),
                DocumentKinds.Md => MarkdownText.Extract(FileTypes.DecodeText(data)),
                DocumentKinds.Txt => new ExtractedText(FileTypes.DecodeText(data), [], []),
                _ => throw new ExtractionException($"'{kind}' documents are not supported."),
            };
        }
        catch (ExtractionException)
        {
            throw;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or StackOverflowException))
        {
            throw new ExtractionException($"The {KindName(kind)} file could not be read; it may be corrupt ({Reason(e)}).");
        }

        if (result.Text.Length > MaxTextChars) throw new ExtractionException(TooLong);
        if (string.IsNullOrWhiteSpace(result.Text)) throw new ExtractionException(NoText);
        return result with { Title = DocumentTitle.Decide(result, kind) };
    }

    internal static string KindName(string kind) => kind switch
    {
        DocumentKinds.Pdf => "PDF",
        DocumentKinds.Docx => "Word",
        DocumentKinds.Html => "HTML",
        DocumentKinds.Md => "Markdown",
        _ => "text",
    };

    /// <summary>A short, safe description of an unexpected failure: the exception's kind, never a stack trace.</summary>
    internal static string Reason(Exception e)
    {
        var name = e.GetType().Name;
        if (name.EndsWith("Exception", StringComparison.Ordinal)) name = name[..^"Exception".Length];
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && !char.IsUpper(name[i - 1])) sb.Append(' ');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.Length == 0 ? "unexpected content" : sb.ToString();
    }

    /// <summary>
    /// Cleans text produced by a parser (not TXT/MD, which stay unchanged): CR/LF become LF, other control characters
    /// (and NUL) are dropped, trailing spaces of lines are removed.
    /// </summary>
    internal static string CleanParsedText(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\r':
                    TrimLineEnd(sb);
                    sb.Append('\n');
                    if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                    break;
                case '\n':
                    TrimLineEnd(sb);
                    sb.Append('\n');
                    break;
                case '\t':
                    sb.Append(c);
                    break;
                case '\u00A0':
                    sb.Append(' ');
                    break;
                default:
                    if (!char.IsControl(c) && c != '\uFEFF' && c != '\uFFFE' && c != '\uFFFF') sb.Append(c);
                    break;
            }
        }
        TrimLineEnd(sb);
        return sb.ToString();
    }

    private static void TrimLineEnd(StringBuilder sb)
    {
        var n = sb.Length;
        while (n > 0 && sb[n - 1] is ' ' or '\t') n--;
        sb.Length = n;
    }
}
