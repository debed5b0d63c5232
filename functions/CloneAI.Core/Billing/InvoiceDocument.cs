using System.Globalization;
using CloneAI.Core.Domain;

namespace CloneAI.Core.Billing;

/// <summary>Who a statement or invoice is for, as printed on it.</summary>
public sealed record InvoiceRecipient(string Name, string Email);

/// <summary>
/// What the HTML and the PDF of a statement or invoice both print, worked out once: the title, the period, the lines with their
/// dates and signed amounts, and the totals (a statement's opening balance, top-ups, sessions, refunds and closing balance; an
/// invoice's total).
/// </summary>
public sealed record InvoiceDocument(
    string Platform, string Title, string Number, string Status, string Period, string Issued, InvoiceRecipient Recipient,
    IReadOnlyList<InvoiceDocument.Row> Rows, IReadOnlyList<InvoiceDocument.Total> Totals, string Note, string FileName)
{
    public const string PlatformName = "CloneAI";

    public sealed record Row(string Date, string Description, string Amount);

    public sealed record Total(string Label, string Amount, bool Strong = false);

    public static InvoiceDocument Of(InvoiceDetail detail, InvoiceRecipient recipient)
    {
        var s = detail.Summary;
        var statement = s.Kind == InvoiceKinds.Statement;
        var currency = s.Currency;
        var lastDay = s.PeriodEnd > s.PeriodStart ? s.PeriodEnd.AddTicks(-1) : s.PeriodEnd;
        var period = $"{Day(s.PeriodStart)} – {Day(lastDay)}";
        var rows = detail.Lines.Select(l => new Row(l.At is { } at ? Day(at) : "", l.Description, statement ? Signed(l.Amount, currency) : Plain(l.Amount, currency))).ToList();
        var totals = new List<Total>();
        if (statement)
        {
            long Sum(string kind) => detail.Lines.Where(l => l.Kind == kind).Sum(l => l.Amount);
            totals.Add(new("Opening balance", Plain(detail.OpeningBalance ?? 0, currency)));
            totals.Add(new("Top-ups", Signed(Sum(InvoiceLineKinds.TopUp), currency)));
            totals.Add(new("Sessions", Signed(Sum(InvoiceLineKinds.Session), currency)));
            totals.Add(new("Refunds", Signed(Sum(InvoiceLineKinds.Refund), currency)));
            if (detail.Lines.Any(l => l.Kind == InvoiceLineKinds.Adjustment)) totals.Add(new("Adjustments", Signed(Sum(InvoiceLineKinds.Adjustment), currency)));
            totals.Add(new(s.Status == InvoiceStatuses.Open ? "Balance now" : "Closing balance", Plain(detail.ClosingBalance ?? 0, currency), Strong: true));
            totals.Add(new("Spent on sessions (less refunds)", Plain(s.Total, currency)));
        }
        else totals.Add(new("Total", Plain(s.Total, currency), Strong: true));
        var note = statement
            ? $"A statement of your {PlatformName} wallet. Amounts are in {currency}: + came into the wallet, − was paid from it."
                + (s.Status == InvoiceStatuses.Open ? " This month is not over: the statement still changes." : "")
            : $"An invoice issued by {PlatformName}. Amounts are in {currency}.";
        var status = s.Status.Length > 0 ? char.ToUpperInvariant(s.Status[0]) + s.Status[1..] : s.Status;
        return new InvoiceDocument(PlatformName, statement ? "Statement" : "Invoice", s.Number, status, period, Day(s.IssuedAt), recipient,
            rows, totals, note, $"{PlatformName.ToLowerInvariant()}-{FileSafe(s.Number)}");
    }

    /// <summary>"6 Dec 2026", in UTC.</summary>
    private static string Day(DateTimeOffset at) => at.ToUniversalTime().ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static string Plain(long amount, string currency) =>
        (amount < 0 ? "−" : "") + new Money(Math.Abs(amount), currency).Format();

    /// <summary>"+20.00 USD", "−1.50 USD" (a true minus sign), "0.00 USD".</summary>
    private static string Signed(long amount, string currency) =>
        (amount > 0 ? "+" : amount < 0 ? "−" : "") + new Money(Math.Abs(amount), currency).Format();

    private static string FileSafe(string value) =>
        new([.. value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]);
}
