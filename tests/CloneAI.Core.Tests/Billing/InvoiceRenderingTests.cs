using System.Text.RegularExpressions;
using CloneAI.Core.Billing;
using UglyToad.PdfPig;

namespace CloneAI.Core.Tests.Billing;

public sealed partial class InvoiceRenderingTests
{
    private static readonly InvoiceRecipient Recipient = new("Mallory <b>&</b>", "mallory@example.test");

    private static InvoiceDetail Statement(params InvoiceLine[] lines)
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var summary = new InvoiceSummary("2026-11", "ST-2026-11-ABC123", InvoiceKinds.Statement, start, start.AddMonths(1), start.AddMonths(1),
            -lines.Where(l => l.Kind is InvoiceLineKinds.Session or InvoiceLineKinds.Refund).Sum(l => l.Amount), "USD", InvoiceStatuses.Closed);
        return new InvoiceDetail(summary, lines) { OpeningBalance = 1000, ClosingBalance = 1000 + lines.Sum(l => l.Amount) };
    }

    private static InvoiceLine Line(string description, long amount, string kind, int day = 3) =>
        new(description, kind == InvoiceLineKinds.Session ? "s1" : null, 1, amount, new DateTimeOffset(2026, 11, day, 10, 0, 0, TimeSpan.Zero)) { Kind = kind };

    private static readonly InvoiceDetail Sample = Statement(
        Line("Top-up", 2000, InvoiceLineKinds.TopUp, 2),
        Line("Session with Ada: 3 minutes, 2 messages", -290, InvoiceLineKinds.Session),
        Line("Refund of the session with Ada: 1 message", 100, InvoiceLineKinds.Refund, 4));

    [Fact]
    public void TheHtmlPageHasThePlatformTheUserThePeriodTheLinesAndTheTotals()
    {
        var html = InvoiceHtml.Render(Sample, Recipient);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<h1>CloneAI</h1>", html, StringComparison.Ordinal);
        Assert.Contains("ST-2026-11-ABC123", html, StringComparison.Ordinal);
        Assert.Contains("mallory@example.test", html, StringComparison.Ordinal);
        Assert.Contains("1 Nov 2026 – 30 Nov 2026", html, StringComparison.Ordinal);
        Assert.Contains("Session with Ada: 3 minutes, 2 messages", html, StringComparison.Ordinal);
        Assert.Contains("−2.90 USD", html, StringComparison.Ordinal);
        Assert.Contains("+20.00 USD", html, StringComparison.Ordinal);
        Assert.Contains("+1.00 USD", html, StringComparison.Ordinal);
        Assert.Matches(@"Opening balance</span><span class=""amount"">10\.00 USD", html);
        Assert.Matches(@"Closing balance</span><span class=""amount"">28\.10 USD", html);
        Assert.Matches(@"Spent on sessions \(less refunds\)</span><span class=""amount"">1\.90 USD", html);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase); // nothing loaded from elsewhere
    }

    [Fact]
    public void UserWrittenTextIsEncodedInTheHtml()
    {
        var hostile = Statement(Line("Session with <script>alert(1)</script><img src=x onerror=alert(2)>: 1 message", -100, InvoiceLineKinds.Session));

        var html = InvoiceHtml.Render(hostile, Recipient);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("Session with &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Mallory &lt;b&gt;&amp;&lt;/b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOpenStatementSaysItStillChanges()
    {
        var open = Sample with { Summary = Sample.Summary with { Status = InvoiceStatuses.Open } };

        var html = InvoiceHtml.Render(open, Recipient);

        Assert.Contains("Balance now", html, StringComparison.Ordinal);
        Assert.Contains("still changes", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePdfIsOnePageWithEveryLinesText()
    {
        var pdf = InvoicePdf.Render(Sample, Recipient);

        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        using var document = PdfDocument.Open(pdf);
        Assert.Equal(1, document.NumberOfPages);
        var text = Squeeze(document.GetPage(1).Text);
        Assert.Contains(Squeeze("CloneAI"), text, StringComparison.Ordinal);
        Assert.Contains(Squeeze("ST-2026-11-ABC123"), text, StringComparison.Ordinal);
        Assert.Contains(Squeeze("Mallory <b>&</b>"), text, StringComparison.Ordinal);
        Assert.Contains(Squeeze("Session with Ada: 3 minutes, 2 messages"), text, StringComparison.Ordinal);
        Assert.Contains(Squeeze("Refund of the session with Ada: 1 message"), text, StringComparison.Ordinal);
        Assert.Contains(Squeeze("−2.90 USD"), text, StringComparison.Ordinal);
        Assert.Contains(Squeeze("Closing balance 28.10 USD"), text, StringComparison.Ordinal);
        Assert.Contains(Squeeze("Page 1 of 1"), text, StringComparison.Ordinal);
    }

    [Fact]
    public void ManyLinesGoOnOverPagesEachOnceAndInOrder()
    {
        const int count = 150;
        var lines = Enumerable.Range(1, count).Select(i => Line($"Session with Clone number {i:D3}: {i} minutes", -i, InvoiceLineKinds.Session, 1 + i % 28)).ToArray();

        var pdf = InvoicePdf.Render(Statement(lines), Recipient);

        using var document = PdfDocument.Open(pdf);
        // 150 rows of 15 points on A4 with 50-point margins need at least four pages, and the table leaves room for more.
        Assert.InRange(document.NumberOfPages, 4, 5);
        var pages = Enumerable.Range(1, document.NumberOfPages).Select(n => Squeeze(document.GetPage(n).Text)).ToList();
        for (var n = 1; n <= pages.Count; n++)
        {
            Assert.Contains($"Page{n}of{pages.Count}", pages[n - 1], StringComparison.Ordinal);
            Assert.Contains("Description", pages[n - 1], StringComparison.Ordinal); // the table's header on every page
        }
        var all = string.Concat(pages);
        var found = CloneNumber().Matches(all).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, count), found);
        Assert.Contains("Closingbalance", pages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void ALongDescriptionWrapsInsteadOfRunningOffThePage()
    {
        var name = string.Join(' ', Enumerable.Repeat("Supercalifragilistic", 12));
        var pdf = InvoicePdf.Render(Statement(Line($"Session with {name}: 1 message", -100, InvoiceLineKinds.Session)), Recipient);

        using var document = PdfDocument.Open(pdf);
        var page = document.GetPage(1);
        var words = page.GetWords().Where(w => w.Text.Contains("Supercalifragilistic", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, words.Count);
        Assert.True(words.Select(w => Math.Round(w.BoundingBox.Bottom)).Distinct().Count() > 1, "the description should take more than one line");
        Assert.All(words, w => Assert.True(w.BoundingBox.Right <= page.Width - 50 + 1, $"'{w.Text}' ends at {w.BoundingBox.Right}"));
    }

    [Fact]
    public void ANameInAnyScriptRenders()
    {
        var pdf = InvoicePdf.Render(Statement(Line("Session with Élodie Ωmega Дарья 日本語 😀: 1 message", -100, InvoiceLineKinds.Session)), Recipient);

        using var document = PdfDocument.Open(pdf);
        Assert.Contains("ÉlodieΩmegaДарья", Squeeze(document.GetPage(1).Text), StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvoiceShowsItsTotalWithoutBalances()
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var invoice = new InvoiceDetail(new InvoiceSummary("inv-1", "LAGO-001", InvoiceKinds.Invoice, start, start.AddMonths(1), start.AddMonths(1), 1234, "USD", "finalized"),
            [new InvoiceLine("Session minutes", null, 12, 1234)]);

        var html = InvoiceHtml.Render(invoice, Recipient);
        using var document = PdfDocument.Open(InvoicePdf.Render(invoice, Recipient));

        Assert.Contains("Invoice", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Opening balance", html, StringComparison.Ordinal);
        Assert.Matches(@"Total</span><span class=""amount"">12\.34 USD", html);
        Assert.Contains("Total12.34USD", Squeeze(document.GetPage(1).Text), StringComparison.Ordinal);
    }

    private static string Squeeze(string text) => new([.. text.Where(c => !char.IsWhiteSpace(c))]);

    [GeneratedRegex(@"Clonenumber(\d{3}):")]
    private static partial Regex CloneNumber();
}
