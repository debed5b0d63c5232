using System.Globalization;
using System.IO.Compression;
using System.Text;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// Decides what an uploaded file is from its bytes and its extension together, and cleans file names.
/// A file is accepted only when both agree; the reason for a refusal is a sentence a creator can act on.
/// </summary>
public static class FileTypes
{
    /// <summary>Longest sanitized file name, extension included.</summary>
    public const int MaxFileNameLength = 120;

    /// <summary>Share of control characters above which a "text" file is treated as binary.</summary>
    public const double MaxControlCharRatio = 0.02;

    private const int MaxExtensionLength = 16;

    private static readonly Dictionary<string, string> KindsByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = DocumentKinds.Pdf,
        [".docx"] = DocumentKinds.Docx,
        [".txt"] = DocumentKinds.Txt,
        [".md"] = DocumentKinds.Md,
        [".markdown"] = DocumentKinds.Md,
        [".html"] = DocumentKinds.Html,
        [".htm"] = DocumentKinds.Html,
    };

    internal static ReadOnlySpan<byte> PdfMagic => "%PDF-"u8;
    internal static ReadOnlySpan<byte> ZipMagic => [0x50, 0x4B, 0x03, 0x04];
    internal static ReadOnlySpan<byte> OleMagic => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <summary>Binary formats that are sometimes renamed to .txt/.md/.html, with the name shown to the creator.</summary>
    private static readonly (byte[] Magic, string Name)[] BinarySignatures =
    [
        ("%PDF-"u8.ToArray(), "a PDF file"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (or an Office document)"),
        ([0x50, 0x4B, 0x05, 0x06], "a ZIP archive"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "an old-format Office document"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        ("GIF87a"u8.ToArray(), "a GIF image"),
        ("GIF89a"u8.ToArray(), "a GIF image"),
        ([0x7F, 0x45, 0x4C, 0x46], "an ELF executable"),
        ([0x1F, 0x8B], "a gzip archive"),
        ("Rar!\u001A"u8.ToArray(), "a RAR archive"),
        ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], "a 7-Zip archive"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "an xz archive"),
        ([0xCA, 0xFE, 0xBA, 0xBE], "a compiled program"),
        ([0xCF, 0xFA, 0xED, 0xFE], "a compiled program"),
        ([0x00, 0x61, 0x73, 0x6D], "a WebAssembly module"),
        ("SQLite format 3\0"u8.ToArray(), "a SQLite database"),
    ];

    /// <summary>The supported extensions, for messages and the upload form.</summary>
    public static IReadOnlyCollection<string> Extensions => KindsByExtension.Keys;

    /// <summary>The document kind an extension (with its dot) stands for, or null when it is not supported.</summary>
    public static string? KindOfExtension(string extension) => KindsByExtension.GetValueOrDefault(extension);

    /// <summary>
    /// The <see cref="DocumentKinds">kind</see> of the file, or an <see cref="ExtractionException"/> whose message says why it is refused.
    /// </summary>
    public static string Detect(ReadOnlySpan<byte> data, string fileName)
    {
        var extension = ExtensionOf(fileName);
        if (data.IsEmpty) throw new ExtractionException("The file is empty.");
        if (!KindsByExtension.TryGetValue(extension, out var kind))
        {
            throw new ExtractionException(extension.Length == 0
                ? "The file has no extension; upload a .pdf, .docx, .txt, .md or .html file."
                : $"'{extension}' files are not supported; upload a .pdf, .docx, .txt, .md or .html file.");
        }

        switch (kind)
        {
            case DocumentKinds.Pdf:
                if (!data.StartsWith(PdfMagic))
                    throw new ExtractionException($"The file is named .pdf but is not a PDF{Describe(data, " (it looks like {0})")}.");
                break;
            case DocumentKinds.Docx:
                try
                {
                    CheckDocx(data.ToArray());
                }
                catch (Exception e) when (e is not (ExtractionException or OutOfMemoryException))
                {
                    throw new ExtractionException($"The Word document is corrupt and cannot be read ({DocumentExtractor.Reason(e)}).");
                }
                break;
            default:
                _ = DecodeText(data);
                break;
        }
        return kind;
    }

    /// <summary><see cref="Detect"/> for the upload API: a refusal is a <see cref="ValidationException"/> on <paramref name="field"/>.</summary>
    public static string DetectForUpload(ReadOnlySpan<byte> data, string fileName, string field = "file")
    {
        try
        {
            return Detect(data, fileName);
        }
        catch (ExtractionException e)
        {
            throw new ValidationException(field, e.Message);
        }
    }

    /// <summary>The lower-case extension of a (possibly path-qualified) file name, with its dot, or "".</summary>
    public static string ExtensionOf(string? fileName)
    {
        if (string.IsNullOrEmpty(fileName)) return "";
        var name = fileName[(fileName.LastIndexOfAny(['/', '\\']) + 1)..].TrimEnd(' ', '.');
        var dot = name.LastIndexOf('.');
        return dot < 0 ? "" : name[dot..].ToLowerInvariant();
    }

    /// <summary>
    /// Decodes the bytes of a text file: UTF-8 (a BOM is removed) or UTF-16 with a BOM. Binary content, invalid UTF-8 and
    /// files that are really another format are refused.
    /// </summary>
    public static string DecodeText(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) throw new ExtractionException("The file is empty.");
        string text;
        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || data.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            var bigEndian = data[0] == 0xFE;
            var body = data[2..];
            if (body.Length % 2 != 0)
                throw new ExtractionException("The file says it is UTF-16 text but is cut off or corrupt.");
            try
            {
                text = new UnicodeEncoding(bigEndian, byteOrderMark: false, throwOnInvalidBytes: true).GetString(body);
            }
            catch (DecoderFallbackException)
            {
                throw new ExtractionException("The file says it is UTF-16 text but contains invalid characters.");
            }
        }
        else
        {
            var body = data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? data[3..] : data;
            if (Describe(body, "{0}") is { Length: > 0 } what)
                throw new ExtractionException($"The file is named as text but is {what}.");
            if (body.Contains((byte)0))
                throw new ExtractionException("The file contains binary data (NUL bytes), not text.");
            try
            {
                text = StrictUtf8.GetString(body);
            }
            catch (DecoderFallbackException)
            {
                throw new ExtractionException("The file is not valid UTF-8 text; save it as UTF-8 and upload it again.");
            }
        }

        if (text.Contains('\0')) throw new ExtractionException("The file contains binary data (NUL characters), not text.");
        var controls = 0;
        foreach (var c in text)
        {
            if (c < 0x20 ? c is not ('\t' or '\n' or '\r' or '\f') : c is '\u007F' or (>= '\u0080' and <= '\u009F')) controls++;
        }
        if (controls > 0 && controls > text.Length * MaxControlCharRatio)
            throw new ExtractionException("The file contains binary data (many control characters), not text.");
        return text;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Formats <paramref name="format"/> with the name of a known binary format the bytes start with, or returns "".</summary>
    private static string Describe(ReadOnlySpan<byte> data, string format)
    {
        foreach (var (magic, name) in BinarySignatures)
        {
            if (data.StartsWith(magic)) return string.Format(CultureInfo.InvariantCulture, format, name);
        }
        return "";
    }

    private static void CheckDocx(byte[] data)
    {
        if (data.AsSpan().StartsWith(OleMagic)) throw OleDocument(data);
        if (!data.AsSpan().StartsWith(ZipMagic))
            throw new ExtractionException($"The file is named .docx but is not a Word document{Describe(data, " (it looks like {0})")}.");
        DocxText.CheckArchive(data);
    }

    /// <summary>An OLE compound file named .docx: an encrypted Word document or a legacy .doc.</summary>
    internal static ExtractionException OleDocument(ReadOnlySpan<byte> data) =>
        data.IndexOf(Encoding.Unicode.GetBytes("EncryptedPackage")) >= 0
            ? new ExtractionException("The Word document is password-protected; remove the password and upload it again.")
            : new ExtractionException("The file is an old-format Word document (.doc) or is password-protected; save it as .docx and upload it again.");

    internal static ZipArchive OpenZip(byte[] data)
    {
        try
        {
            return new ZipArchive(new MemoryStream(data, writable: false), ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException)
        {
            throw new ExtractionException("The .docx file is corrupt (its ZIP structure cannot be read).");
        }
    }

    internal static void RequireDocxParts(ZipArchive archive)
    {
        bool types = false, document = false;
        try
        {
            foreach (var entry in archive.Entries)
            {
                types |= entry.FullName.Equals("[Content_Types].xml", StringComparison.OrdinalIgnoreCase);
                document |= entry.FullName.Equals("word/document.xml", StringComparison.OrdinalIgnoreCase);
            }
        }
        catch (InvalidDataException)
        {
            throw new ExtractionException("The .docx file is corrupt (its ZIP structure cannot be read).");
        }
        if (!types || !document)
            throw new ExtractionException("The file is a ZIP archive but not a Word document (it has no word/document.xml).");
    }

    /// <summary>
    /// A file name safe to store and show: no path, no control or reserved characters, single spaces, no leading dot,
    /// the extension kept, at most <see cref="MaxFileNameLength"/> characters, never empty.
    /// </summary>
    public static string SanitizeFileName(string? name)
    {
        name ??= "";
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        try
        {
            name = name.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            // Lone surrogates cannot be normalized; they are removed below.
        }

        var sb = new StringBuilder(name.Length);
        var space = false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                if (space && sb.Length > 0) sb.Append(' ');
                space = false;
                sb.Append(c).Append(name[++i]);
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (char.IsControl(c) || char.IsSurrogate(c) || IsInvisibleFormat(c) || c is '<' or '>' or ':' or '"' or '|' or '?' or '*')
                continue;
            if (space && sb.Length > 0) sb.Append(' ');
            space = false;
            sb.Append(c);
        }

        var clean = sb.ToString().Trim(' ');
        var dot = clean.LastIndexOf('.');
        var extension = dot >= 0 && clean.Length - dot is > 1 and <= MaxExtensionLength && clean.IndexOf(' ', dot) < 0 ? clean[dot..] : "";
        var stem = (extension.Length > 0 ? clean[..dot] : clean).Trim(' ', '.');

        var maxStem = MaxFileNameLength - extension.Length;
        if (stem.Length > maxStem)
        {
            var cut = maxStem;
            if (cut > 0 && char.IsHighSurrogate(stem[cut - 1])) cut--;
            stem = stem[..cut].TrimEnd(' ', '.');
        }
        if (stem.Length == 0) stem = "document";
        return stem + extension;
    }

    /// <summary>Characters that render as nothing or reorder text (used to disguise extensions, e.g. RIGHT-TO-LEFT OVERRIDE).</summary>
    private static bool IsInvisibleFormat(char c) =>
        c is (>= '\u200B' and <= '\u200F') or (>= '\u202A' and <= '\u202E') or (>= '\u2060' and <= '\u206F') or '\uFEFF'
            or '\u2028' or '\u2029';
}
