using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace CloneAI.Core.Billing;

/// <summary>
/// A statement or invoice as an A4 PDF (PDFsharp): the heading, who it is for and the period, the lines in a table that goes on
/// over as many pages as it needs (its header repeated), the totals, and "Page n of m" on every page. The text is DejaVu Sans,
/// embedded in this assembly, so rendering needs no fonts on the machine.
/// </summary>
public static class InvoicePdf
{
    private const double Margin = 50;
    private const double LineHeight = 15;
    private static readonly XSize A4 = new(595, 842);

    public static byte[] Render(InvoiceDetail detail, InvoiceRecipient recipient)
    {
        EmbeddedFonts.Install();
        var d = InvoiceDocument.Of(detail, recipient);
        using var pdf = new PdfDocument();
        pdf.Info.Title = $"{d.Title} {d.Number}";
        pdf.Info.Creator = d.Platform;

        var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
        var title = new XFont(EmbeddedFonts.Family, 20, XFontStyleEx.Bold, options);
        var heading = new XFont(EmbeddedFonts.Family, 12, XFontStyleEx.Bold, options);
        var body = new XFont(EmbeddedFonts.Family, 10, XFontStyleEx.Regular, options);
        var small = new XFont(EmbeddedFonts.Family, 8, XFontStyleEx.Regular, options);
        var grey = XBrushes.DimGray;

        var right = A4.Width - Margin;
        var bottom = A4.Height - Margin - 20;
        const double dateX = Margin, descriptionX = Margin + 80;
        var amountRight = right;
        var descriptionWidth = amountRight - 110 - descriptionX;

        PdfPage page = null!;
        XGraphics gfx = null!;
        double y = 0;
        void NewPage()
        {
            gfx?.Dispose();
            page = pdf.AddPage();
            page.Width = XUnit.FromPoint(A4.Width);
            page.Height = XUnit.FromPoint(A4.Height);
            gfx = XGraphics.FromPdfPage(page);
            y = Margin;
        }
        void TableHeader()
        {
            gfx.DrawString("Date", small, grey, dateX, y);
            gfx.DrawString("Description", small, grey, descriptionX, y);
            gfx.DrawString("Amount", small, grey, new XRect(amountRight - 110, y - 8, 110, 10), XStringFormats.TopRight);
            y += 5;
            gfx.DrawLine(XPens.LightGray, Margin, y, right, y);
            y += LineHeight;
        }

        NewPage();
        y += 14;
        gfx.DrawString(d.Platform, title, XBrushes.Black, Margin, y);
        gfx.DrawString(d.Number, heading, XBrushes.Black, new XRect(Margin, y - 14, right - Margin, 16), XStringFormats.TopRight);
        y += 18;
        gfx.DrawString(d.Title, body, grey, Margin, y);
        gfx.DrawString(d.Status, body, grey, new XRect(Margin, y - 10, right - Margin, 12), XStringFormats.TopRight);
        y += 8;
        gfx.DrawLine(new XPen(XColors.Black, 1.5), Margin, y, right, y);
        y += 20;
        foreach (var (label, value) in new[] { ("For", $"{d.Recipient.Name} <{d.Recipient.Email}>"), ("Period", d.Period), ("Issued", d.Issued) })
        {
            gfx.DrawString(label, small, grey, Margin, y);
            foreach (var part in Wrap(gfx, value, body, right - descriptionX))
            {
                gfx.DrawString(part, body, XBrushes.Black, descriptionX, y);
                y += LineHeight;
            }
        }
        y += 10;
        TableHeader();

        var rows = d.Rows.Count > 0 ? d.Rows : [new InvoiceDocument.Row("", "Nothing this period.", "")];
        foreach (var row in rows)
        {
            var wrapped = Wrap(gfx, row.Description, body, descriptionWidth);
            if (y + (wrapped.Count - 1) * LineHeight > bottom)
            {
                NewPage();
                TableHeader();
            }
            gfx.DrawString(row.Date, body, XBrushes.Black, dateX, y);
            gfx.DrawString(row.Amount, body, XBrushes.Black, new XRect(amountRight - 110, y - 9, 110, 12), XStringFormats.TopRight);
            foreach (var part in wrapped)
            {
                gfx.DrawString(part, body, XBrushes.Black, descriptionX, y);
                y += LineHeight;
            }
            gfx.DrawLine(new XPen(XColors.Gainsboro, 0.5), Margin, y - LineHeight + 4, right, y - LineHeight + 4);
        }

        y += 10;
        if (y + (d.Totals.Count + 3) * LineHeight > bottom) NewPage();
        var totalsX = right - 260;
        foreach (var total in d.Totals)
        {
            var font = total.Strong ? heading : body;
            if (total.Strong) gfx.DrawLine(XPens.Black, totalsX, y - 11, right, y - 11);
            gfx.DrawString(total.Label, font, XBrushes.Black, totalsX, y);
            gfx.DrawString(total.Amount, font, XBrushes.Black, new XRect(right - 120, y - 10, 120, 12), XStringFormats.TopRight);
            y += LineHeight + (total.Strong ? 4 : 0);
        }
        y += 10;
        foreach (var part in Wrap(gfx, d.Note, small, right - Margin))
        {
            gfx.DrawString(part, small, grey, Margin, y);
            y += 11;
        }
        gfx.Dispose();

        for (var i = 0; i < pdf.PageCount; i++)
        {
            using var footer = XGraphics.FromPdfPage(pdf.Pages[i], XGraphicsPdfPageOptions.Append);
            footer.DrawString($"{d.Platform} · {d.Number} · Page {i + 1} of {pdf.PageCount}", small, grey,
                new XRect(Margin, A4.Height - Margin, A4.Width - 2 * Margin, 12), XStringFormats.TopCenter);
        }

        using var stream = new MemoryStream();
        pdf.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    /// <summary>Splits <paramref name="text"/> into lines no wider than <paramref name="width"/> (a word longer than that is cut).</summary>
    internal static List<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (gfx.MeasureString(candidate, font).Width <= width)
            {
                line = candidate;
                continue;
            }
            if (line.Length > 0) lines.Add(line);
            line = word;
            while (gfx.MeasureString(line, font).Width > width && line.Length > 1)
            {
                var cut = line.Length - 1;
                while (cut > 1 && gfx.MeasureString(line[..cut], font).Width > width) cut--;
                lines.Add(line[..cut]);
                line = line[cut..];
            }
        }
        if (line.Length > 0 || lines.Count == 0) lines.Add(line);
        return lines;
    }

    /// <summary>PDFsharp's fonts for the statements: every family resolves to the embedded DejaVu Sans (bold is simulated).</summary>
    internal sealed class EmbeddedFonts : IFontResolver
    {
        public const string Family = "DejaVu Sans";
        private const string Face = "DejaVuSans";
        private static readonly Lock Gate = new();
        private static readonly Lazy<byte[]> Data = new(() =>
        {
            using var resource = typeof(EmbeddedFonts).Assembly.GetManifestResourceStream("CloneAI.Core.Billing.Fonts.DejaVuSans.ttf")
                ?? throw new InvalidOperationException("The embedded font DejaVuSans.ttf is missing.");
            using var copy = new MemoryStream();
            resource.CopyTo(copy);
            return copy.ToArray();
        });

        public static void Install()
        {
            lock (Gate)
            {
                if (GlobalFontSettings.FontResolver is not EmbeddedFonts) GlobalFontSettings.FontResolver = new EmbeddedFonts();
            }
        }

        public FontResolverInfo ResolveTypeface(string familyName, bool isBold, bool isItalic) => new(Face, isBold, isItalic);

        public byte[]? GetFont(string faceName) => faceName == Face ? Data.Value : null;
    }
}
