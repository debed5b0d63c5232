using System.Globalization;

namespace CloneAI.Core.Billing.Lago;

/// <summary>
/// A user's invoices as Lago issues them (<c>Billing:Provider=lago</c>), read for <c>external_customer_id</c> = the user id.
/// An invoice is the user's only when Lago says its customer is the user; anyone else's is "not found". Lines are Lago's fees
/// (one per charge: session minutes, session messages, a wallet top-up…), then the taxes, and what coupons, credit notes and
/// wallet credits took off, so that the lines add up to the total. Status: <c>paid</c>, <c>open</c> (finalized, payment
/// pending), <c>failed</c> (payment failed), or Lago's own status otherwise (<c>draft</c>, <c>voided</c>…).
/// </summary>
public sealed class LagoInvoiceSource(LagoClient lago, HttpClient? files = null) : IInvoiceSource, IInvoiceFiles
{
    /// <summary>The HTTP client name for Lago's invoice files: a plain client, so Lago's API key never goes to its file storage.</summary>
    public const string FilesClient = "lago-files";

    /// <summary>The largest invoice file read from Lago.</summary>
    public const int MaxFileBytes = 20 * 1024 * 1024;

    /// <summary>At most this many pages of 100 are read for a list.</summary>
    public const int MaxPages = 10;

    public async Task<IReadOnlyList<InvoiceSummary>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        var all = new List<InvoiceSummary>();
        for (var page = 1; page <= MaxPages; page++)
        {
            var answer = await lago.ListInvoicesAsync(userId, page, 100, cancellationToken);
            all.AddRange(answer.Invoices.Where(i => i.Customer?.ExternalId is null || i.Customer.ExternalId == userId).Select(Summary));
            if (answer.Meta.NextPage is null || answer.Invoices.Count == 0) break;
        }
        return all.OrderByDescending(i => i.IssuedAt).ThenByDescending(i => i.Number, StringComparer.Ordinal).ToList();
    }

    public async Task<InvoiceDetail?> GetAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        var invoice = await OwnAsync(userId, id, cancellationToken);
        return invoice is null ? null : new InvoiceDetail(Summary(invoice), Lines(invoice));
    }

    /// <summary>
    /// Where Lago keeps the invoice's PDF (Lago makes it on request, so it may not exist on the first ask: null then); null as
    /// well when the user has no such invoice.
    /// </summary>
    public async Task<Uri?> PdfUrlAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        var invoice = await OwnAsync(userId, id, cancellationToken);
        if (invoice is null) return null;
        var url = invoice.FileUrl ?? (await lago.DownloadInvoiceAsync(invoice.LagoId, cancellationToken)).FileUrl;
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;
    }

    /// <summary>
    /// Lago's own PDF of the user's invoice: its <c>file_url</c> (asked for with <c>POST /invoices/{id}/download</c> when Lago has
    /// not made it yet) read over http(s) without Lago's API key, if it is a PDF of at most <see cref="MaxFileBytes"/>; else null.
    /// </summary>
    public async Task<byte[]?> PdfAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        if (files is null) return null;
        var url = await PdfUrlAsync(userId, id, cancellationToken);
        if (url is null || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)) return null;
        using var response = await files.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > MaxFileBytes) return null;
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        var bytes = buffer.ToArray();
        return bytes.AsSpan().StartsWith("%PDF-"u8) ? bytes : null;
    }

    private async Task<LagoInvoice?> OwnAsync(string userId, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out _)) return null; // Lago ids are UUIDs; anything else is no invoice, without asking
        var invoice = await lago.GetInvoiceAsync(id, cancellationToken);
        return invoice?.Customer?.ExternalId == userId ? invoice : null;
    }

    public static InvoiceSummary Summary(LagoInvoice invoice)
    {
        var issued = IssuingDate(invoice);
        var periods = invoice.BillingPeriods ?? [];
        var start = periods.Count > 0 ? periods.Min(p => p.ChargesFromDatetime) : FeeDates(invoice).Start ?? issued;
        var end = periods.Count > 0 ? periods.Max(p => p.ChargesToDatetime) : FeeDates(invoice).End ?? issued;
        return new InvoiceSummary(invoice.LagoId, invoice.Number, InvoiceKinds.Invoice, start, end, issued,
            invoice.TotalAmountCents, invoice.Currency, Status(invoice));
    }

    public static string Status(LagoInvoice invoice) => invoice.Status switch
    {
        "finalized" => invoice.PaymentStatus switch { "succeeded" => "paid", "failed" => "failed", _ => "open" },
        var other => other,
    };

    public static IReadOnlyList<InvoiceLine> Lines(LagoInvoice invoice)
    {
        var lines = new List<InvoiceLine>();
        foreach (var fee in invoice.Fees ?? [])
        {
            var name = !string.IsNullOrWhiteSpace(fee.Item.InvoiceDisplayName) ? fee.Item.InvoiceDisplayName! : fee.Item.Name;
            var description = string.IsNullOrWhiteSpace(fee.Description) ? name : $"{name}: {fee.Description}";
            var units = decimal.TryParse(fee.Units, NumberStyles.Number, CultureInfo.InvariantCulture, out var u) ? (long)Math.Round(u, MidpointRounding.AwayFromZero) : 0;
            lines.Add(new InvoiceLine(description, null, units, fee.AmountCents, fee.FromDate));
        }
        void Add(string description, long amount)
        {
            if (amount != 0) lines.Add(new InvoiceLine(description, null, 1, amount));
        }
        Add("Taxes", invoice.TaxesAmountCents);
        Add("Coupons", -invoice.CouponsAmountCents);
        Add("Credit notes", -invoice.CreditNotesAmountCents);
        Add("Paid from wallet credits", -invoice.PrepaidCreditAmountCents);
        Add("Progressive billing credits", -invoice.ProgressiveBillingCreditAmountCents);
        return lines;
    }

    private static DateTimeOffset IssuingDate(LagoInvoice invoice) =>
        DateOnly.TryParse(invoice.IssuingDate, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : invoice.CreatedAt;

    private static (DateTimeOffset? Start, DateTimeOffset? End) FeeDates(LagoInvoice invoice)
    {
        var fees = (invoice.Fees ?? []).Where(f => f.FromDate is not null && f.ToDate is not null).ToList();
        return fees.Count == 0 ? (null, null) : (fees.Min(f => f.FromDate), fees.Max(f => f.ToDate));
    }
}
