using CloneAI.Core.Admin;
using CloneAI.Core.Audit;
using CloneAI.Core.Billing;
using CloneAI.Core.Users;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Payouts;

/// <summary>Admins work through creators' payout requests: approve (the payout provider pays) or reject (the money goes back).</summary>
public sealed class AdminPayoutsApi(RequestAuth auth, PayoutService payouts, IUserStore users, AuditTrail audit, ILogger<AdminPayoutsApi> logger)
{
    [Function(nameof(AdminListPayouts))]
    [ApiDoc("Payouts in one status (default requested), oldest first", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403])]
    [Query<AdminPayoutQuery>]
    [Returns<PayoutPage>]
    public Task<IActionResult> AdminListPayouts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/payouts")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<AdminPayoutQuery>(req.Query);
            var page = await payouts.ListAsync(caller, query.Status, query.PageSize, query.ContinuationToken, cancellationToken);
            var names = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var creator in page.Items.Select(p => p.CreatorId).Distinct(StringComparer.Ordinal))
                names[creator] = (await users.GetAsync(creator, cancellationToken)) is { } u ? $"{u.DisplayName} <{u.Email}>" : null;
            return new OkObjectResult(new PayoutPage(page.Items.Select(p => PayoutDto.From(p, names[p.CreatorId])).ToList(), page.ContinuationToken));
        });

    [Function(nameof(ApprovePayout))]
    [ApiDoc("Approve a requested payout: the payout provider pays it and it is marked paid", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403, 409],
        Description = "Writes payout.paid to the audit log with the reference as its reason. With the manual provider, reference (what you paid outside) is required. With stripe-connect, a transfer goes to the creator's connected account (idempotent by the payout's id) and its id is the reference; a refused transfer answers 502 with Stripe's message, and the payout stays requested with that error. A decided payout answers 409.")]
    [Accepts<ApprovePayoutRequest>]
    [Returns<PayoutDto>]
    public Task<IActionResult> ApprovePayout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/payouts/{payoutId}/approve")] HttpRequest req, string payoutId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<ApprovePayoutRequest>(req, cancellationToken);
            var paid = await payouts.ApproveAsync(caller, payoutId, body.Reference, cancellationToken);
            // The audit log's reason is the payment's reference (what was paid outside, or the provider's transfer).
            await RecordAsync(caller, AuditActions.PayoutPaid, paid, paid.Reference ?? body.Reference ?? "Approved", cancellationToken);
            return new OkObjectResult(PayoutDto.From(paid));
        });

    [Function(nameof(RejectPayout))]
    [ApiDoc("Reject a requested payout: the money goes back to the creator's available earnings", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403, 409],
        Description = "Writes payout.rejected to the audit log with the reason. The reversing ledger transaction is keyed payout-rejected:{id}, so it is posted once. A decided payout answers 409.")]
    [Accepts<RejectPayoutRequest>]
    [Returns<PayoutDto>]
    public Task<IActionResult> RejectPayout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/payouts/{payoutId}/reject")] HttpRequest req, string payoutId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<RejectPayoutRequest>(req, cancellationToken);
            var rejected = await payouts.RejectAsync(caller, payoutId, body.Reason, cancellationToken);
            await RecordAsync(caller, AuditActions.PayoutRejected, rejected, rejected.RejectionReason ?? body.Reason ?? "Rejected", cancellationToken);
            return new OkObjectResult(PayoutDto.From(rejected));
        });

    /// <summary>The decision in the audit log, keyed by the payout and when it was decided (a retry stores it once).</summary>
    private Task<AuditEntry> RecordAsync(CloneAI.Core.Domain.Caller caller, string action, Payout payout, string reason, CancellationToken cancellationToken) =>
        audit.RecordAsync(caller, action, AuditTargets.Payout, payout.Id, payout.CreatorId, reason,
            id: payout.DecidedAt is { } decided ? AuditTrail.ChangeId(action, payout.Id, decided) : null, at: payout.DecidedAt, cancellationToken: cancellationToken);
}
