using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Exceptions;

namespace CloneAI.Core.Knowledge;

/// <summary>PDF text page by page with PdfPig: pages joined by a blank line, each page's span exact.</summary>
internal static class PdfText
{
    internal const string PageSeparator = "\n\n";

    private static readonly ContentOrderTextExtractor.Options TextOptions = new()
    {
        SeparateParagraphsWithDoubleNewline = true,
        ReplaceWhitespaceWithSpace = true,
    };

    public static ExtractedText Extract(byte[] data)
    {
        if (!data.AsSpan().StartsWith(FileTypes.PdfMagic))
            throw new ExtractionException("The file is not a PDF (it does not start with %PDF-).");

        PdfDocument document;
        try
        {
            document = PdfDocument.Open(data, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
        }
        catch (PdfDocumentEncryptedException)
        {
            throw Encrypted();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A PDF encrypted in a way the parser does not even get to the password check of.
            if (HasEncryptDictionary(data)) throw Encrypted();
            throw Corrupt(e);
        }

        // Encrypted PDFs with an empty user password (owner-password "protection") open and are read normally.
        using (document)
        {
            int count;
            try
            {
                count = document.NumberOfPages;
            }
            catch (Exception e) when (e is not (OutOfMemoryException or ExtractionException))
            {
                throw Corrupt(e);
            }
            if (count <= 0) throw new ExtractionException("The PDF has no pages.");
            if (count > DocumentExtractor.MaxPdfPages)
                throw new ExtractionException($"The PDF has {count} pages; at most {DocumentExtractor.MaxPdfPages} are supported.");

            var sb = new StringBuilder();
            var pages = new List<PageSpan>(count);
            var failed = 0;
            Exception? firstFailure = null;
            for (var number = 1; number <= count; number++)
            {
                string pageText;
                try
                {
                    pageText = DocumentExtractor.CleanParsedText(ContentOrderTextExtractor.GetText(document.GetPage(number), TextOptions));
                }
                catch (PdfDocumentEncryptedException)
                {
                    throw Encrypted();
                }
                catch (Exception e) when (e is not (OutOfMemoryException or ExtractionException))
                {
                    // One unreadable page does not lose the rest of the document.
                    failed++;
                    firstFailure ??= e;
                    pageText = "";
                }
                pageText = TrimBlankLines(pageText);
                if (number > 1) sb.Append(PageSeparator);
                var start = sb.Length;
                sb.Append(pageText);
                pages.Add(new PageSpan(number, start, sb.Length));
                if (sb.Length > DocumentExtractor.MaxTextChars) throw new ExtractionException(DocumentExtractor.TooLong);
            }

            if (failed == count) throw Corrupt(firstFailure!);
            var text = sb.ToString();
            if (string.IsNullOrWhiteSpace(text))
                throw new ExtractionException("No text could be extracted; scanned PDFs need OCR, which is not supported.");
            return new ExtractedText(text, pages, [], TitleOf(document));
        }
    }

    private static string? TitleOf(PdfDocument document)
    {
        try
        {
            var title = document.Information?.Title?.Trim();
            return string.IsNullOrWhiteSpace(title) ? null : DocumentText.CollapseWhitespace(title);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>Removes blank lines and spaces at both ends, keeping the inside of the page as extracted.</summary>
    private static string TrimBlankLines(string text) => text.Trim(' ', '\t', '\n');

    /// <summary>Whether a trailer references an /Encrypt dictionary (searched in the last 64 KB, where trailers are).</summary>
    private static bool HasEncryptDictionary(byte[] data)
    {
        var tail = data.AsSpan(Math.Max(0, data.Length - 65_536));
        return tail.IndexOf("/Encrypt"u8) >= 0 || data.AsSpan(0, Math.Min(data.Length, 65_536)).IndexOf("/Encrypt"u8) >= 0;
    }

    private static ExtractionException Encrypted() =>
        new("The PDF is password-protected; remove the password (or print it to a new PDF) and upload it again.");

    private static ExtractionException Corrupt(Exception e) =>
        new($"The PDF is damaged or malformed and cannot be read ({DocumentExtractor.Reason(e)}).");
}
