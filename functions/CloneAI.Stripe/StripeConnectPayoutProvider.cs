using System.Globalization;
using CloneAI.Core.Billing;
using Stripe;
using Payout = CloneAI.Core.Billing.Payout;

namespace CloneAI.Stripe;

/// <summary>
/// Pays a payout as a Stripe transfer from the platform's balance to the creator's connected account. The payout's id is the
/// request's idempotency key, so a retried approval makes one transfer; the transfer's id is the payout's reference. A refused
/// or failed transfer is a <see cref="PayoutFailedException"/> carrying Stripe's message.
/// </summary>
public sealed class StripeConnectPayoutProvider(IStripeClient client) : IPayoutProvider
{
    public string Name => PayoutProviders.StripeConnect;

    public bool NeedsReference => false;

    public async Task<PayoutReceipt> PayAsync(Payout payout, PayoutAccount? account, string? reference, CancellationToken cancellationToken = default)
    {
        if (account is null) throw new PayoutFailedException("The creator has not connected a Stripe account to be paid to.");
        var options = new TransferCreateOptions
        {
            Amount = payout.Amount,
            Currency = payout.Currency.ToLowerInvariant(),
            Destination = account.StripeAccountId,
            Description = string.Create(CultureInfo.InvariantCulture, $"CloneAI payout {payout.Id}"),
            Metadata = new Dictionary<string, string> { ["payoutId"] = payout.Id, ["creatorId"] = payout.CreatorId },
        };
        try
        {
            var transfer = await new TransferService(client).CreateAsync(options, new RequestOptions { IdempotencyKey = payout.Id }, cancellationToken);
            return new PayoutReceipt(transfer.Id);
        }
        catch (StripeException e)
        {
            var message = e.StripeError?.Message is { Length: > 0 } m ? m : e.Message;
            throw new PayoutFailedException($"Stripe refused the transfer: {message}");
        }
    }
}
