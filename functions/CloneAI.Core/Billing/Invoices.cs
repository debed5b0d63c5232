namespace CloneAI.Core.Billing;

public static class InvoiceKinds
{
    /// <summary>A monthly statement made from the local ledger.</summary>
    public const string Statement = "statement";

    /// <summary>An invoice issued by Lago.</summary>
    public const string Invoice = "invoice";
}

/// <summary>A user's statement or invoice as listed. Amounts are minor units of <see cref="Currency"/>.</summary>
public sealed record InvoiceSummary(
    string Id, string Number, string Kind, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, DateTimeOffset IssuedAt,
    long Total, string Currency, string Status);

/// <summary>One line of a statement or invoice: a session's minutes or messages, a top-up, a refund…</summary>
public sealed record InvoiceLine(string Description, string? SessionId, long Quantity, long Amount, DateTimeOffset? At = null)
{
    /// <summary>What a statement's line records (<see cref="InvoiceLineKinds"/>); null on an invoice's line.</summary>
    public string? Kind { get; init; }
}

/// <summary>What a statement's line records. On a statement a line's amount is what it moved into (+) or out of (−) the wallet.</summary>
public static class InvoiceLineKinds
{
    public const string Session = "session";
    public const string TopUp = "top-up";
    public const string Refund = "refund";
    public const string Adjustment = "adjustment";
}

public static class InvoiceStatuses
{
    /// <summary>The current month's statement: it still changes.</summary>
    public const string Open = "open";

    /// <summary>A past month's statement: final.</summary>
    public const string Closed = "closed";
}

public sealed record InvoiceDetail(InvoiceSummary Summary, IReadOnlyList<InvoiceLine> Lines)
{
    /// <summary>A statement's wallet balance when its period began (minor units); null on an invoice.</summary>
    public long? OpeningBalance { get; init; }

    /// <summary>A statement's wallet balance at its period's end, or now while it is open; null on an invoice.</summary>
    public long? ClosingBalance { get; init; }
}

/// <summary>
/// Where a user's statements or invoices come from: monthly statements of the local ledger, or Lago's invoices
/// (<see cref="BillingOptions.Provider"/> <c>lago</c>). HTML and PDF are rendered from <see cref="InvoiceDetail"/>.
/// </summary>
public interface IInvoiceSource
{
    /// <summary>The user's statements or invoices, newest first.</summary>
    Task<IReadOnlyList<InvoiceSummary>> ListAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>One of the user's, with its lines; null when the user has no such statement or invoice.</summary>
    Task<InvoiceDetail?> GetAsync(string userId, string id, CancellationToken cancellationToken = default);
}

/// <summary>
/// The billing provider's own document of an invoice (Lago's PDF), where it keeps one; the statements made here have none and
/// are rendered from their <see cref="InvoiceDetail"/>.
/// </summary>
public interface IInvoiceFiles
{
    /// <summary>The invoice's PDF as the provider issued it, or null when the user has no such invoice or the provider has no file for it (yet).</summary>
    Task<byte[]?> PdfAsync(string userId, string id, CancellationToken cancellationToken = default);
}
