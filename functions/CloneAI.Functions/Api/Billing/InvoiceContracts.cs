using System.ComponentModel;
using CloneAI.Core.Billing;
using CloneAI.Functions.Http;

namespace CloneAI.Functions.Api.Billing;

/// <summary>
/// A statement (monthly, from the local ledger: id <c>yyyy-MM</c>, status <c>open</c> for the current month, <c>closed</c> after)
/// or an invoice (from Lago, with its status). Amounts are minor units of <see cref="Currency"/>.
/// </summary>
public sealed record InvoiceSummaryDto(
    string Id, string Number, [property: ValuesFrom(typeof(InvoiceKinds))] string Kind, DateTimeOffset PeriodStart,
    [property: Description("The end of the period (exclusive).")] DateTimeOffset PeriodEnd, DateTimeOffset IssuedAt,
    [property: Description("A statement: what the period's sessions cost, less refunds. An invoice: its total.")] long Total,
    string Currency, [property: Description("A statement: open or closed. An invoice: Lago's status.")] string Status)
{
    public static InvoiceSummaryDto From(InvoiceSummary s) =>
        new(s.Id, s.Number, s.Kind, s.PeriodStart, s.PeriodEnd, s.IssuedAt, s.Total, s.Currency, s.Status);
}

/// <summary>The signed-in user's statements or invoices, newest first.</summary>
public sealed record InvoiceList(IReadOnlyList<InvoiceSummaryDto> Items);

/// <summary>One line: on a statement, what it moved into (+) or out of (−) the wallet; on an invoice, what it charged.</summary>
public sealed record InvoiceLineDto(
    string Description, string? SessionId, long Quantity, long Amount, DateTimeOffset? At,
    [property: ValuesFrom(typeof(InvoiceLineKinds)), Description("A statement's line: what it records. Absent on an invoice's line.")] string? Kind)
{
    public static InvoiceLineDto From(InvoiceLine l) => new(l.Description, l.SessionId, l.Quantity, l.Amount, l.At, l.Kind);
}

/// <summary>A statement or invoice with its lines; a statement also has its opening and closing wallet balance.</summary>
public sealed record InvoiceDetailDto(
    string Id, string Number, [property: ValuesFrom(typeof(InvoiceKinds))] string Kind, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd,
    DateTimeOffset IssuedAt, long Total, string Currency, string Status, IReadOnlyList<InvoiceLineDto> Lines,
    [property: Description("A statement: the wallet's balance when the period began.")] long? OpeningBalance,
    [property: Description("A statement: the wallet's balance at the period's end, or now while it is open.")] long? ClosingBalance)
{
    public static InvoiceDetailDto From(InvoiceDetail d)
    {
        var s = d.Summary;
        return new(s.Id, s.Number, s.Kind, s.PeriodStart, s.PeriodEnd, s.IssuedAt, s.Total, s.Currency, s.Status,
            d.Lines.Select(InvoiceLineDto.From).ToList(), d.OpeningBalance, d.ClosingBalance);
    }
}
