using System.Globalization;
using CloneAI.Core.Billing;
using CloneAI.Core.Domain;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace CloneAI.Core.Chat;

/// <summary>
/// A session as an A4 PDF (PDFsharp, the statements' embedded DejaVu Sans): its details, its summary when one was written
/// (labelled "Extractive summary" when no model wrote it), then the conversation with each answer's citations, over as many
/// pages as it needs, "Page n of m" on each.
/// </summary>
public static class SessionPdf
{
    private const double Margin = 50;
    private static readonly XSize A4 = new(595, 842);

    public static byte[] Render(ChatSession session, IReadOnlyList<SessionMessage> messages, Money cost, double elapsedSeconds, SessionRecap? recap)
    {
        InvoicePdf.EmbeddedFonts.Install();
        using var pdf = new PdfDocument();
        pdf.Info.Title = $"Session with {session.CloneName}";
        pdf.Info.Creator = "CloneAI";
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
        var title = new XFont(InvoicePdf.EmbeddedFonts.Family, 18, XFontStyleEx.Bold, options);
        var heading = new XFont(InvoicePdf.EmbeddedFonts.Family, 12, XFontStyleEx.Bold, options);
        var body = new XFont(InvoicePdf.EmbeddedFonts.Family, 10, XFontStyleEx.Regular, options);
        var small = new XFont(InvoicePdf.EmbeddedFonts.Family, 8, XFontStyleEx.Regular, options);
        var width = A4.Width - 2 * Margin;
        var bottom = A4.Height - Margin - 20;

        XGraphics gfx = null!;
        double y = 0;
        void NewPage()
        {
            gfx?.Dispose();
            var page = pdf.AddPage();
            page.Width = XUnit.FromPoint(A4.Width);
            page.Height = XUnit.FromPoint(A4.Height);
            gfx = XGraphics.FromPdfPage(page);
            y = Margin + 10;
        }
        void Write(string text, XFont font, XBrush brush, double indent = 0, double lineHeight = 14)
        {
            foreach (var paragraph in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
            {
                foreach (var line in InvoicePdf.Wrap(gfx, paragraph, font, width - indent))
                {
                    if (y > bottom) NewPage();
                    gfx.DrawString(line, font, brush, Margin + indent, y);
                    y += lineHeight;
                }
            }
        }

        NewPage();
        Write($"Session with {session.CloneName}", title, XBrushes.Black, lineHeight: 24);
        var details = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Started {session.StartedAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC")
                + (session.EndedAt is { } ended ? string.Create(CultureInfo.InvariantCulture, $", ended {ended.ToUniversalTime():yyyy-MM-dd HH:mm} UTC ({session.EndReason})") : ""),
            string.Create(CultureInfo.InvariantCulture, $"Length {elapsedSeconds / 60:F1} min; messages: {session.MessageCount}; cost: {cost.Format()}"),
        };
        if (session.Preview) details.Add("Preview of your own clone: free, not counted in its statistics");
        if (session.Rating is { } r) details.Add($"Rating: {r}/5");
        foreach (var d in details) Write(d, body, XBrushes.DimGray);
        y += 10;

        if (recap is not null)
        {
            Write(SessionExport.RecapLabel(recap), heading, XBrushes.Black, lineHeight: 18);
            Write(recap.Summary, body, XBrushes.Black);
            foreach (var (name, items) in new[] { ("Key insights", recap.KeyInsights), ("Action items", recap.ActionItems), ("Next topics", recap.NextTopics) })
            {
                if (items.Count == 0) continue;
                y += 4;
                Write(name, small, XBrushes.DimGray, lineHeight: 12);
                foreach (var item in items) Write("• " + item, body, XBrushes.Black, indent: 8);
            }
            y += 12;
            Write("Conversation", heading, XBrushes.Black, lineHeight: 18);
        }

        foreach (var m in messages)
        {
            y += 4;
            Write(m.Role == MessageRoles.User ? "You" : session.CloneName, heading, XBrushes.Black, lineHeight: 16);
            Write(m.Content, body, XBrushes.Black);
            foreach (var c in m.Citations)
                Write($"[{c.N}] {c.Title} ({c.FileName}{(c.Page is { } p ? $", page {p}" : "")}): {c.Snippet}", small, XBrushes.DimGray, indent: 8, lineHeight: 11);
        }
        gfx.Dispose();

        for (var i = 0; i < pdf.PageCount; i++)
        {
            using var footer = XGraphics.FromPdfPage(pdf.Pages[i], XGraphicsPdfPageOptions.Append);
            footer.DrawString($"CloneAI · session {session.Id[..Math.Min(8, session.Id.Length)]} · Page {i + 1} of {pdf.PageCount}", small, XBrushes.DimGray,
                new XRect(Margin, A4.Height - Margin, A4.Width - 2 * Margin, 12), XStringFormats.TopCenter);
        }
        using var stream = new MemoryStream();
        pdf.Save(stream, closeStream: false);
        return stream.ToArray();
    }
}
