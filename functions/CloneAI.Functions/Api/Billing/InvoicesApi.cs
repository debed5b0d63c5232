using CloneAI.Core.Billing;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Billing;

/// <summary>
/// The signed-in user's statements (monthly, from the local ledger) or invoices (from Lago with <c>Billing:Provider=lago</c>):
/// the list, one with its lines, and the same as an HTML page or a PDF. Only the user's own: any other id is 404.
/// </summary>
public sealed class InvoicesApi(RequestAuth auth, IInvoiceSource invoices, IEnumerable<IInvoiceFiles> files, UserService users, ILogger<InvoicesApi> logger)
{
    /// <summary>The HTML page loads nothing and runs nothing; its styles are inline.</summary>
    private const string HtmlPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    [Function(nameof(ListMyInvoices))]
    [ApiDoc("My statements or invoices, newest first", Tag = "Billing", Access = "signed in", Auth = ApiAuth.Required,
        Description = "With the local ledger (Billing:Provider test), one statement per calendar month (UTC) in which the wallet moved, and the current month's (open) once the wallet has a history; with lago, Lago's invoices.")]
    [Returns<InvoiceList>]
    public Task<IActionResult> ListMyInvoices(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/invoices")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var list = await invoices.ListAsync(caller.UserId, cancellationToken);
            return new OkObjectResult(new InvoiceList(list.Select(InvoiceSummaryDto.From).ToList()));
        });

    [Function(nameof(GetMyInvoice))]
    [ApiDoc("One of my statements or invoices, with its lines", Tag = "Billing", Access = "signed in; your own", Auth = ApiAuth.Required)]
    [Returns<InvoiceDetailDto>]
    public Task<IActionResult> GetMyInvoice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/invoices/{invoiceId}")] HttpRequest req, string invoiceId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            return new OkObjectResult(InvoiceDetailDto.From(await FindAsync(caller, invoiceId, cancellationToken)));
        });

    [Function(nameof(GetMyInvoiceHtml))]
    [ApiDoc("One of my statements or invoices as a printable HTML page", Tag = "Billing", Access = "signed in; your own", Auth = ApiAuth.Required)]
    [ReturnsFile("text/html", Description = "A self-contained page: inline styles, no scripts")]
    public Task<IActionResult> GetMyInvoiceHtml(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/invoices/{invoiceId}/html")] HttpRequest req, string invoiceId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var detail = await FindAsync(caller, invoiceId, cancellationToken);
            var html = InvoiceHtml.Render(detail, await RecipientAsync(caller, cancellationToken));
            req.HttpContext.Response.Headers.ContentSecurityPolicy = HtmlPolicy;
            req.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
            return new ContentResult { Content = html, ContentType = "text/html; charset=utf-8", StatusCode = 200 };
        });

    [Function(nameof(GetMyInvoicePdf))]
    [ApiDoc("One of my statements or invoices as a PDF", Tag = "Billing", Access = "signed in; your own", Auth = ApiAuth.Required)]
    [ReturnsFile("application/pdf", Description = "An attachment named after the statement's or invoice's number")]
    public Task<IActionResult> GetMyInvoicePdf(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/invoices/{invoiceId}/pdf")] HttpRequest req, string invoiceId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var detail = await FindAsync(caller, invoiceId, cancellationToken);
            var recipient = await RecipientAsync(caller, cancellationToken);
            // Lago's invoice as Lago issued it, when Lago has its file; otherwise (and for statements) rendered here.
            var pdf = (detail.Summary.Kind == InvoiceKinds.Invoice && files.FirstOrDefault() is { } provider
                    ? await provider.PdfAsync(caller.UserId, invoiceId, cancellationToken) : null)
                ?? InvoicePdf.Render(detail, recipient);
            return new FileContentResult(pdf, "application/pdf") { FileDownloadName = InvoiceDocument.Of(detail, recipient).FileName + ".pdf" };
        });

    private async Task<InvoiceDetail> FindAsync(Caller caller, string invoiceId, CancellationToken cancellationToken) =>
        await invoices.GetAsync(caller.UserId, invoiceId, cancellationToken) ?? throw new NotFoundException("You have no statement or invoice with this id.");

    private async Task<InvoiceRecipient> RecipientAsync(Caller caller, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(caller.UserId, cancellationToken);
        return new InvoiceRecipient(user.DisplayName, user.Email);
    }
}
