using CloneAI.Core.Billing;
using CloneAI.Core.Clones;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Functions.Api.Payouts;

/// <summary>A creator's earnings, their history, their payouts and where they are paid.</summary>
public sealed class EarningsApi(
    RequestAuth auth, EarningsService earnings, PayoutService payouts, ICloneStore clones, IOptions<BillingOptions> billing, ILogger<EarningsApi> logger)
{
    [Function(nameof(GetEarnings))]
    [ApiDoc("My earnings: available, pending and paid out, and what each clone earned", Tag = "Earnings", Access = "signed in", Auth = ApiAuth.Required)]
    [Returns<EarningsDto>]
    public Task<IActionResult> GetEarnings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/earnings")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var summary = await earnings.GetAsync(caller, cancellationToken);
            var names = await CloneNamesAsync(summary.ByClone.Select(c => c.CloneId), cancellationToken);
            return new OkObjectResult(new EarningsDto(summary.Currency, summary.Available, summary.Pending, summary.PaidOut, billing.Value.MinPayout,
                payouts.Provider.Name, summary.ByClone.Select(c => new CloneEarningsDto(c.CloneId, names[c.CloneId], c.Earned, c.Refunded, c.Net)).ToList()));
        });

    [Function(nameof(ListEarningsTransactions))]
    [ApiDoc("The transactions that moved my earnings, newest first", Tag = "Earnings", Access = "signed in", Auth = ApiAuth.Required)]
    [Query<PageQuery>]
    [Returns<EarningsTransactionPage>]
    public Task<IActionResult> ListEarningsTransactions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/earnings/transactions")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<PageQuery>(req.Query);
            var page = await earnings.TransactionsAsync(caller, query.PageSize, query.ContinuationToken, cancellationToken);
            var names = await CloneNamesAsync(page.Items.Select(t => t.CloneId).OfType<string>(), cancellationToken);
            return new OkObjectResult(new EarningsTransactionPage(page.Items.Select(t => new EarningsTransactionDto(
                t.Id, t.Type, t.Amount, t.Currency, t.CreatedAt, t.CloneId, t.CloneId is null ? null : names[t.CloneId], t.SessionId, t.PayoutId)).ToList(),
                page.ContinuationToken));
        });

    [Function(nameof(ListMyPayouts))]
    [ApiDoc("My payouts, newest first", Tag = "Earnings", Access = "signed in", Auth = ApiAuth.Required)]
    [Query<PageQuery>]
    [Returns<PayoutPage>]
    public Task<IActionResult> ListMyPayouts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/payouts")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<PageQuery>(req.Query);
            var page = await payouts.ListMineAsync(caller, query.PageSize, query.ContinuationToken, cancellationToken);
            return new OkObjectResult(new PayoutPage(page.Items.Select(p => PayoutDto.From(p)).ToList(), page.ContinuationToken));
        });

    [Function(nameof(RequestPayout))]
    [ApiDoc("Ask to be paid some of my available earnings", Tag = "Earnings", Access = "creator", Auth = ApiAuth.Required, Errors = [403, 409],
        Description = "The amount leaves your available earnings at once and is pending until an admin pays or rejects it. 400 with the limits when it is below Billing:MinPayout or above what is available; 409 when your earnings changed while it was being requested. A retry with the same idempotencyKey and amount returns the same payout (200).")]
    [Accepts<RequestPayoutRequest>]
    [Returns<PayoutDto>(201)]
    [Returns<PayoutDto>(200, "An earlier request with the same idempotency key")]
    public Task<IActionResult> RequestPayout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/payouts")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<RequestPayoutRequest>(req, cancellationToken);
            var (payout, created) = await payouts.RequestAsync(caller, body.Amount, body.IdempotencyKey, cancellationToken);
            return new ObjectResult(PayoutDto.From(payout)) { StatusCode = created ? 201 : 200 };
        });

    [Function(nameof(GetPayoutAccount))]
    [ApiDoc("Where I am paid with stripe-connect", Tag = "Earnings", Access = "signed in", Auth = ApiAuth.Required)]
    [Returns<PayoutAccountDto>]
    public Task<IActionResult> GetPayoutAccount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/payout-account")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var account = await payouts.GetAccountAsync(caller, cancellationToken);
            return new OkObjectResult(new PayoutAccountDto(account?.StripeAccountId, account?.UpdatedAt, payouts.Provider.Name));
        });

    [Function(nameof(SetPayoutAccount))]
    [ApiDoc("Set the connected Stripe account I am paid to", Tag = "Earnings", Access = "creator", Auth = ApiAuth.Required, Errors = [403])]
    [Accepts<PayoutAccountRequest>]
    [Returns<PayoutAccountDto>]
    public Task<IActionResult> SetPayoutAccount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "me/payout-account")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<PayoutAccountRequest>(req, cancellationToken);
            var account = await payouts.SetAccountAsync(caller, body.StripeAccountId, cancellationToken);
            return new OkObjectResult(new PayoutAccountDto(account.StripeAccountId, account.UpdatedAt, payouts.Provider.Name));
        });

    /// <summary>Each clone's name; a deleted clone keeps its id as its name.</summary>
    private async Task<Dictionary<string, string>> CloneNamesAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
            names[id] = (await clones.GetAsync(id, cancellationToken))?.Name ?? id;
        return names;
    }
}
