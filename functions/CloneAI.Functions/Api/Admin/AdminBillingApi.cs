using CloneAI.Core.Billing;
using CloneAI.Core.Chat;
using CloneAI.Core.Errors;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Admin;

/// <summary>Admins' money tools: refund a session (reversing entries, once), and re-sum the whole ledger.</summary>
public sealed class AdminBillingApi(RequestAuth auth, SessionCharges charges, ILedger ledger, ILogger<AdminBillingApi> logger)
{
    [Function(nameof(RefundSession))]
    [ApiDoc("Refund a session: every charge of it gets its reversing transaction, once", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403, 409],
        Description = "The user's wallet gets back what each charge took; the creator's earnings and the platform's revenue give back their shares. Idempotent: a second call posts nothing and answers the same. 409 while the session is still running.")]
    [Returns<SessionRefund>]
    public Task<IActionResult> RefundSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/sessions/{sessionId}/refund")] HttpRequest req, string sessionId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            return new OkObjectResult(await charges.RefundAsync(caller, sessionId, cancellationToken));
        });

    [Function(nameof(CheckLedger))]
    [ApiDoc("The whole ledger re-summed: every transaction balanced, and wallets below zero (none expected)", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403])]
    [Returns<LedgerCheck>]
    public Task<IActionResult> CheckLedger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/ledger/check")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            if (!caller.IsAdmin) throw new ForbiddenException("Only admins can check the ledger.");
            return new OkObjectResult(await ledger.CheckAsync(cancellationToken));
        });
}
