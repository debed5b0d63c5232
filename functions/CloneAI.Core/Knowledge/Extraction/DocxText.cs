using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// DOCX text with the Open XML SDK: body paragraphs and tables in order, headings from paragraph styles and outline levels.
/// The ZIP is inspected for bombs before the SDK opens it.
/// </summary>
internal static class DocxText
{
    private const string BlockSeparator = "\n\n";
    private const int MaxNesting = 32;

    public static ExtractedText Extract(byte[] data)
    {
        if (data.AsSpan().StartsWith(FileTypes.OleMagic)) throw FileTypes.OleDocument(data);
        if (!data.AsSpan().StartsWith(FileTypes.ZipMagic))
            throw new ExtractionException("The file is not a Word document (.docx files are ZIP archives).");
        CheckArchive(data);

        WordprocessingDocument document;
        try
        {
            document = WordprocessingDocument.Open(new MemoryStream(data, writable: false), false, new OpenSettings
            {
                AutoSave = false,
                MaxCharactersInPart = DocumentExtractor.MaxZipUncompressedBytes,
            });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ExtractionException($"The Word document is damaged and cannot be opened ({DocumentExtractor.Reason(e)}).");
        }

        using (document)
        {
            var body = document.MainDocumentPart?.Document?.Body
                       ?? throw new ExtractionException("The Word document has no body.");
            var styles = StyleTable.From(document.MainDocumentPart!.StyleDefinitionsPart?.Styles);
            var writer = new Writer(styles);
            writer.Blocks(body, 0);

            var title = DocumentTitle.Meaningful(document.PackageProperties.Title);
            title ??= writer.FirstTitle ?? writer.Headings.FirstOrDefault(h => h.Level == 1)?.Text;
            return new ExtractedText(writer.Text.ToString(), [], writer.Headings, title);
        }
    }

    /// <summary>Guards against zip bombs using only the central directory (nothing is decompressed).</summary>
    internal static void CheckArchive(byte[] data)
    {
        using var archive = FileTypes.OpenZip(data);
        System.Collections.ObjectModel.ReadOnlyCollection<ZipArchiveEntry> entries;
        try
        {
            entries = archive.Entries;
        }
        catch (InvalidDataException)
        {
            throw new ExtractionException("The Word document is corrupt (its ZIP structure cannot be read).");
        }

        const string bomb = "The Word document looks like a zip bomb";
        if (entries.Count > DocumentExtractor.MaxZipEntries)
            throw new ExtractionException($"{bomb} (it has {entries.Count:N0} files inside; at most {DocumentExtractor.MaxZipEntries:N0} are allowed).");
        long total = 0;
        foreach (var entry in entries)
        {
            if (entry.Length < 0) throw new ExtractionException($"{bomb} (an entry declares a negative size).");
            total += entry.Length;
            if (total > DocumentExtractor.MaxZipUncompressedBytes)
                throw new ExtractionException($"{bomb} (it unpacks to more than {DocumentExtractor.MaxZipUncompressedBytes / 1024 / 1024} MB).");
            if (entry.Length > DocumentExtractor.ZipRatioMinBytes
                && entry.Length > (double)Math.Max(1, entry.CompressedLength) * DocumentExtractor.MaxZipCompressionRatio)
                throw new ExtractionException($"{bomb} ('{entry.FullName}' is compressed more than {DocumentExtractor.MaxZipCompressionRatio}:1).");
        }
        FileTypes.RequireDocxParts(archive);
    }


    private sealed class Writer(StyleTable styles)
    {
        public StringBuilder Text { get; } = new();
        public List<HeadingSpan> Headings { get; } = [];
        public string? FirstTitle { get; private set; }

        public void Blocks(OpenXmlElement container, int depth)
        {
            foreach (var child in container.ChildElements)
            {
                switch (child)
                {
                    case Paragraph p:
                        Paragraph(p);
                        break;
                    case Table t:
                        Block(TableText(t, depth + 1), null);
                        break;
                    case SectionProperties:
                        break;
                    default:
                        // Content controls (w:sdt), custom XML and similar wrappers hold paragraphs and tables.
                        if (depth < MaxNesting && child.HasChildren) Blocks(child, depth + 1);
                        break;
                }
                if (Text.Length > DocumentExtractor.MaxTextChars) throw new ExtractionException(DocumentExtractor.TooLong);
            }
        }

        private void Paragraph(Paragraph p)
        {
            var text = ParagraphText(p);
            var (level, isTitle) = styles.HeadingLevel(p);
            var start = Block(text, level);
            if (isTitle && start >= 0) FirstTitle ??= DocumentText.CollapseWhitespace(text);
        }

        /// <summary>Appends a block; returns its start offset or -1 when it had no text.</summary>
        private int Block(string text, int? headingLevel)
        {
            text = DocumentExtractor.CleanParsedText(text).Trim();
            if (text.Length == 0) return -1;
            if (Text.Length > 0) Text.Append(BlockSeparator);
            var start = Text.Length;
            Text.Append(text);
            if (headingLevel is { } level) Headings.Add(new HeadingSpan(start, level, DocumentText.CollapseWhitespace(text)));
            return start;
        }

        private static string TableText(Table table, int depth)
        {
            var rows = new List<string>();
            foreach (var row in table.Elements<TableRow>())
            {
                var cells = new List<string>();
                foreach (var cell in row.Elements<TableCell>())
                {
                    var parts = new List<string>();
                    CellParts(cell, parts, depth);
                    cells.Add(DocumentText.CollapseWhitespace(string.Join(' ', parts)));
                }
                if (cells.Exists(c => c.Length > 0)) rows.Add(string.Join(" | ", cells));
            }
            return string.Join('\n', rows);
        }

        private static void CellParts(OpenXmlElement container, List<string> parts, int depth)
        {
            foreach (var child in container.ChildElements)
            {
                switch (child)
                {
                    case Paragraph p:
                        parts.Add(ParagraphText(p));
                        break;
                    case Table t when depth < MaxNesting:
                        parts.Add(TableText(t, depth + 1).Replace('\n', ' '));
                        break;
                    case TableCellProperties:
                        break;
                    default:
                        if (depth < MaxNesting && child.HasChildren) CellParts(child, parts, depth + 1);
                        break;
                }
            }
        }

        /// <summary>The visible text of a paragraph: runs' text, tabs and breaks; not deleted text, field codes or fallback markup.</summary>
        private static string ParagraphText(Paragraph p)
        {
            var sb = new StringBuilder();
            var stack = new Stack<OpenXmlElement>();
            stack.Push(p);
            while (stack.Count > 0)
            {
                var element = stack.Pop();
                switch (element)
                {
                    case Text t:
                        sb.Append(t.Text);
                        continue;
                    case TabChar or PositionalTab:
                        sb.Append('\t');
                        continue;
                    case Break or CarriageReturn:
                        sb.Append('\n');
                        continue;
                    case NoBreakHyphen:
                        sb.Append('-');
                        continue;
                    case DeletedText or FieldCode or DeletedFieldCode or AlternateContentFallback or ParagraphProperties or RunProperties:
                        continue;
                }
                if (!element.HasChildren) continue;
                var children = element.ChildElements;
                for (var i = children.Count - 1; i >= 0; i--) stack.Push(children[i]);
            }
            return sb.ToString();
        }
    }

    /// <summary>Paragraph styles: which are headings (by name, id or outline level, following basedOn).</summary>
    private sealed class StyleTable
    {
        private readonly Dictionary<string, Style> _styles = new(StringComparer.OrdinalIgnoreCase);

        public static StyleTable From(Styles? styles)
        {
            var table = new StyleTable();
            if (styles is null) return table;
            foreach (var style in styles.Elements<Style>())
            {
                if (style.StyleId?.Value is { Length: > 0 } id) table._styles.TryAdd(id, style);
            }
            return table;
        }

        public (int? Level, bool IsTitle) HeadingLevel(Paragraph p)
        {
            var styleId = p.ParagraphProperties?.ParagraphStyleId?.Val?.Value;
            if (IsTitle(styleId)) return (1, true);
            if (p.ParagraphProperties?.OutlineLevel?.Val?.Value is { } own)
                return own is >= 0 and <= 8 ? (own + 1, false) : (null, false);

            var id = styleId;
            for (var hops = 0; id is not null && hops < 10; hops++)
            {
                if (HeadingNumber(id) is { } n) return (n, false);
                if (!_styles.TryGetValue(id, out var style)) break;
                if (HeadingNumber(style.StyleName?.Val?.Value) is { } byName) return (byName, false);
                if (style.StyleParagraphProperties?.OutlineLevel?.Val?.Value is { } level)
                    return level is >= 0 and <= 8 ? (level + 1, false) : (null, false);
                id = style.BasedOn?.Val?.Value;
            }
            return (null, false);
        }

        private bool IsTitle(string? styleId)
        {
            if (styleId is null) return false;
            if (styleId.Equals("Title", StringComparison.OrdinalIgnoreCase)) return true;
            return _styles.TryGetValue(styleId, out var style)
                   && string.Equals(style.StyleName?.Val?.Value, "Title", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>"Heading1", "heading 1" → 1; anything else → null.</summary>
        private static int? HeadingNumber(string? name)
        {
            if (name is null || !name.StartsWith("heading", StringComparison.OrdinalIgnoreCase)) return null;
            var rest = name.AsSpan(7).Trim();
            return rest.Length == 1 && int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 9
                ? n
                : null;
        }
    }
}
