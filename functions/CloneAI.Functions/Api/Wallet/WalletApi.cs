using CloneAI.Core.Billing.Reports;
using CloneAI.Core.Billing;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Wallet;

/// <summary>
/// The signed-in user's wallet: its balance, its transactions, and top-ups through the configured payment provider (with the
/// <c>test</c> provider, a TEST MODE checkout paid with test cards). A user's wallet and top-ups are theirs alone: anyone
/// else's top-up does not exist here, admins included.
/// </summary>
public sealed class WalletApi(RequestAuth auth, WalletService wallets, TopUpService topUps, TestCheckout testCheckout, ILogger<WalletApi> logger)
{
    [Function(nameof(GetWallet))]
    [ApiDoc("My wallet: balance and whether it is low", Tag = "Wallet", Access = "signed in", Auth = ApiAuth.Required)]
    [Returns<WalletDto>]
    public Task<IActionResult> GetWallet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "wallet")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            return new OkObjectResult(WalletDto.From(await wallets.GetAsync(caller, cancellationToken)));
        });

    [Function(nameof(ListWalletTransactions))]
    [ApiDoc("My wallet's transactions, newest first", Tag = "Wallet", Access = "signed in", Auth = ApiAuth.Required)]
    [Query<PageQuery>]
    [Returns<WalletTransactionPage>]
    public Task<IActionResult> ListWalletTransactions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "wallet/transactions")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<PageQuery>(req.Query);
            var page = await wallets.TransactionsAsync(caller, query.PageSize, query.ContinuationToken, cancellationToken);
            return new OkObjectResult(new WalletTransactionPage(page.Items.Select(WalletTransactionDto.From).ToList(), page.ContinuationToken));
        });

    [Function(nameof(CreateTopUp))]
    [ApiDoc("Start a top-up of my wallet; pay at its checkoutUrl", Tag = "Wallet", Access = "signed in", Auth = ApiAuth.Required, Errors = [409],
        Description = "201 with a new top-up; a retry with the same idempotencyKey returns that top-up again with 200 (409 if the amount differs). The wallet is credited only when the payment provider confirms the payment.")]
    [Accepts<CreateTopUpRequest>]
    [Returns<TopUpDto>(201, "A new top-up")]
    [Returns<TopUpDto>(200, "The top-up created before with this idempotency key")]
    public Task<IActionResult> CreateTopUp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "wallet/top-ups")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<CreateTopUpRequest>(req, cancellationToken);
            var (topUp, created) = await topUps.CreateAsync(caller, body.Amount, body.IdempotencyKey, cancellationToken);
            return new ObjectResult(TopUpDto.From(topUp)) { StatusCode = created ? 201 : 200 };
        });

    [Function(nameof(GetTopUp))]
    [ApiDoc("One of my top-ups", Tag = "Wallet", Access = "the top-up's user", Auth = ApiAuth.Required)]
    [Returns<TopUpDto>]
    public Task<IActionResult> GetTopUp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "wallet/top-ups/{topUpId}")] HttpRequest req, string topUpId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            return new OkObjectResult(TopUpDto.From(await topUps.GetAsync(caller, topUpId, cancellationToken)));
        });

    [Function(nameof(TestPayTopUp))]
    [ApiDoc("TEST MODE: pay a top-up with a test card (only with Billing:Provider test; otherwise 404)", Tag = "Wallet", Access = "the top-up's user", Auth = ApiAuth.Required, Errors = [402, 409],
        Description = "4242 4242 4242 4242 succeeds: the wallet is credited and the top-up returned (paying a succeeded top-up again changes nothing). 4000 0000 0000 0002 is declined: 402 card-declined, the top-up failed and nothing is credited (409 on a failed top-up: start a new one). Any other number is 400.")]
    [Accepts<TestPayRequest>]
    [Returns<TopUpDto>]
    public Task<IActionResult> TestPayTopUp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "wallet/top-ups/{topUpId}/test-pay")] HttpRequest req, string topUpId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            if (!testCheckout.Enabled) return Problems.From(new Core.Errors.NotFoundException("Test payments exist only with the test payment provider."));
            var body = await RequestBody.ReadAsync<TestPayRequest>(req, cancellationToken);
            return new OkObjectResult(TopUpDto.From(await testCheckout.PayAsync(caller, topUpId, body.CardNumber, cancellationToken)));
        });
}
