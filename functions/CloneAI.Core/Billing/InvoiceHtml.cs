using System.Net;
using System.Text;

namespace CloneAI.Core.Billing;

/// <summary>
/// A statement or invoice as one self-contained HTML page (inline styles, no scripts, no outside resources) that prints cleanly.
/// Every text that came from users (names, clone names in the lines, the email) is HTML-encoded.
/// </summary>
public static class InvoiceHtml
{
    private const string Style = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f4f4f5; color: #18181b; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
        main { max-width: 800px; margin: 24px auto; padding: 32px; background: #fff; border: 1px solid #e4e4e7; border-radius: 8px; }
        header { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 16px; border-bottom: 2px solid #18181b; padding-bottom: 16px; }
        h1 { margin: 0; font-size: 22px; }
        h2 { margin: 0; font-size: 18px; font-weight: 600; }
        .muted { color: #52525b; }
        .meta { margin: 16px 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 8px 24px; }
        .meta dt { color: #52525b; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
        .meta dd { margin: 0; overflow-wrap: anywhere; }
        table { width: 100%; border-collapse: collapse; margin-top: 8px; }
        th, td { text-align: left; padding: 8px 6px; border-bottom: 1px solid #e4e4e7; vertical-align: top; }
        th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #52525b; }
        td.description { overflow-wrap: anywhere; }
        .amount { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        .date { white-space: nowrap; }
        .totals { margin: 16px 0 0 auto; max-width: 360px; }
        .totals div { display: flex; justify-content: space-between; gap: 16px; padding: 4px 0; }
        .totals .strong { font-weight: 700; border-top: 1px solid #18181b; margin-top: 4px; padding-top: 8px; }
        footer { margin-top: 24px; font-size: 12px; color: #52525b; }
        @media (max-width: 480px) { main { margin: 0; padding: 16px; border: 0; border-radius: 0; } th.date, td.date { display: none; } }
        @media print { body { background: #fff; } main { margin: 0; max-width: none; border: 0; padding: 0; } tr { break-inside: avoid; } }
        """;

    public static string Render(InvoiceDetail detail, InvoiceRecipient recipient)
    {
        var d = InvoiceDocument.Of(detail, recipient);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E($"{d.Title} {d.Number} · {d.Platform}")).Append("</title>")
            .Append("<style>").Append(Style).Append("</style></head><body><main>")
            .Append("<header><div><h1>").Append(E(d.Platform)).Append("</h1><p class=\"muted\">").Append(E(d.Title)).Append("</p></div>")
            .Append("<div><h2>").Append(E(d.Number)).Append("</h2><p class=\"muted\">").Append(E(d.Status)).Append("</p></div></header>")
            .Append("<dl class=\"meta\">");
        Meta(html, "For", $"{d.Recipient.Name} <{d.Recipient.Email}>");
        Meta(html, "Period", d.Period);
        Meta(html, "Issued", d.Issued);
        html.Append("</dl><table><thead><tr><th class=\"date\" scope=\"col\">Date</th><th scope=\"col\">Description</th><th class=\"amount\" scope=\"col\">Amount</th></tr></thead><tbody>");
        if (d.Rows.Count == 0) html.Append("<tr><td class=\"date\"></td><td class=\"description\">Nothing this period.</td><td class=\"amount\"></td></tr>");
        foreach (var row in d.Rows)
        {
            html.Append("<tr><td class=\"date\">").Append(E(row.Date)).Append("</td><td class=\"description\">").Append(E(row.Description))
                .Append("</td><td class=\"amount\">").Append(E(row.Amount)).Append("</td></tr>");
        }
        html.Append("</tbody></table><section class=\"totals\" aria-label=\"Totals\">");
        foreach (var total in d.Totals)
        {
            html.Append(total.Strong ? "<div class=\"strong\">" : "<div>").Append("<span>").Append(E(total.Label)).Append("</span><span class=\"amount\">")
                .Append(E(total.Amount)).Append("</span></div>");
        }
        html.Append("</section><footer>").Append(E(d.Note)).Append("</footer></main></body></html>\n");
        return html.ToString();
    }

    private static void Meta(StringBuilder html, string label, string value) =>
        html.Append("<div><dt>").Append(E(label)).Append("</dt><dd>").Append(E(value)).Append("</dd></div>");

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
