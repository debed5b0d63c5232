using CloneAI.Core.Auth;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Billing;

/// <summary>
/// The <see cref="PaymentProviders.Test"/> provider, the default: no money moves. Its checkout is the web app's TEST MODE page
/// <c>/checkout/{topUpId}</c> (absolute under <see cref="AuthOptions.PublicBaseUrl"/>, as links in emails are), which pays
/// with a test card through <see cref="TestCheckout"/>.
/// </summary>
public sealed class TestPaymentProvider(IOptions<AuthOptions> auth) : IPaymentProvider
{
    public string Name => PaymentProviders.Test;

    public Task<PaymentCheckout> StartAsync(TopUp topUp, PaymentCustomer customer, CancellationToken cancellationToken = default) =>
        Task.FromResult(new PaymentCheckout(CheckoutUrl(auth.Value.PublicBaseUrl, topUp.Id), ProviderReference: "test_" + topUp.Id));

    /// <summary>The checkout page of a top-up: relative when no public base URL is configured.</summary>
    public static string CheckoutUrl(string? publicBaseUrl, string topUpId) =>
        $"{(publicBaseUrl ?? "").TrimEnd('/')}/checkout/{Uri.EscapeDataString(topUpId)}";
}

/// <summary>The payment was refused by the card's issuer (a test card that always declines); the top-up failed.</summary>
public sealed class CardDeclinedException(string message = "The card was declined. Nothing was charged; try another card.") : AppException(message)
{
    public override int Status => 402;
    public override string Title => "Card declined";
}

/// <summary>
/// Paying a top-up on the TEST MODE checkout page. Only with <see cref="BillingOptions.Provider"/> <c>test</c> (otherwise it
/// does not exist: 404), only the top-up's own user. Card <see cref="SucceedingCard"/> succeeds and <see cref="DecliningCard"/>
/// is declined; the outcome is applied as a verified <see cref="PaymentNotice"/>, exactly as a real provider's webhook is.
/// </summary>
public sealed class TestCheckout(ITopUpStore store, IPaymentNotices notices, IOptions<BillingOptions> billing)
{
    public const string SucceedingCard = "4242424242424242";
    public const string DecliningCard = "4000000000000002";

    public bool Enabled => string.Equals(billing.Value.Provider, PaymentProviders.Test, StringComparison.Ordinal);

    public async Task<TopUp> PayAsync(Caller caller, string topUpId, string? cardNumber, CancellationToken cancellationToken = default)
    {
        if (!Enabled) throw new NotFoundException("Test payments exist only with the test payment provider.");
        var topUp = await store.GetAsync(caller.UserId, topUpId, cancellationToken) ?? throw new NotFoundException("No such top-up.");
        var card = Normalize(cardNumber);
        if (card is not (SucceedingCard or DecliningCard))
            throw new ValidationException("cardNumber", string.IsNullOrWhiteSpace(cardNumber)
                ? "Required."
                : "Use a test card: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined.");
        if (topUp.Status == TopUpStatus.Succeeded) return topUp;
        if (topUp.Status == TopUpStatus.Failed) throw new ConflictException("This top-up failed. Start a new top-up to try again.");

        var succeeded = card == SucceedingCard;
        var settled = await notices.ApplyAsync(new PaymentNotice(PaymentProviders.Test, topUp.Id, topUp.ProviderReference, succeeded,
            succeeded ? null : "The card was declined."), cancellationToken) ?? throw new NotFoundException("No such top-up.");
        return succeeded || settled.Status == TopUpStatus.Succeeded ? settled : throw new CardDeclinedException();
    }

    /// <summary>The card number without spaces, or null when it is missing or too long to be a card.</summary>
    private static string? Normalize(string? cardNumber) =>
        cardNumber is null || cardNumber.Length > 40 ? null : cardNumber.Replace(" ", "", StringComparison.Ordinal);
}
