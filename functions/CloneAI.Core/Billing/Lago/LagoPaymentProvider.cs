using System.Globalization;
using Microsoft.Extensions.Logging;

namespace CloneAI.Core.Billing.Lago;

/// <summary>
/// Top-ups through Lago (<c>Billing:Provider=lago</c>): the user's Lago customer and wallet are made on first use, the top-up
/// becomes a wallet transaction with paid credits (one credit per unit of the platform currency) whose invoice waits for a
/// successful payment, and the user is sent to that transaction's payment URL (Lago's payment provider's checkout). The
/// top-up's provider reference is the wallet transaction's Lago id. Nothing is credited here: the wallet is credited when a
/// verified webhook says the wallet transaction settled (<see cref="LagoWebhooks"/>).
/// </summary>
public sealed class LagoPaymentProvider(LagoClient lago, LagoAccounts accounts, ILogger<LagoPaymentProvider> logger) : IPaymentProvider
{
    public string Name => PaymentProviders.Lago;

    public async Task<PaymentCheckout> StartAsync(TopUp topUp, PaymentCustomer customer, CancellationToken cancellationToken = default)
    {
        if (topUp.UserId != customer.UserId) throw new ArgumentException("The top-up is not the customer's.", nameof(customer));
        var account = await accounts.EnsureAsync(customer, cancellationToken);
        var created = await lago.CreateWalletTransactionAsync(new LagoWalletTransactionInput(
            account.WalletId,
            PaidCredits: LagoMoney.Credits(topUp.Amount, topUp.Currency),
            Name: "CloneAI wallet top-up",
            InvoiceRequiresSuccessfulPayment: true,
            Metadata: [new LagoMetadata("top_up_id", topUp.Id)]), cancellationToken);
        var purchase = created.FirstOrDefault(t => t.TransactionType == "inbound" && t.TransactionStatus == "purchased")
            ?? (created.Count > 0 ? created[0] : null)
            ?? throw new LagoException("Lago made no wallet transaction for the top-up.", 200, null, transient: false);
        var url = await lago.GetWalletTransactionPaymentUrlAsync(purchase.LagoId, cancellationToken);
        logger.LogInformation("Top-up {TopUp} is Lago wallet transaction {WalletTransaction}", topUp.Id, purchase.LagoId);
        return new PaymentCheckout(url, purchase.LagoId);
    }
}

/// <summary>Minor units of a currency as Lago's decimal amounts (credits at rate 1, <c>"12.5"</c>) and back.</summary>
public static class LagoMoney
{
    private static readonly HashSet<string> NoDecimals = new(StringComparer.Ordinal)
    {
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    private static readonly HashSet<string> ThreeDecimals = new(StringComparer.Ordinal) { "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND" };

    /// <summary>How many minor units make one unit of <paramref name="currency"/> (ISO 4217 exponent).</summary>
    public static int Exponent(string currency) => NoDecimals.Contains(currency) ? 0 : ThreeDecimals.Contains(currency) ? 3 : 2;

    /// <summary><paramref name="minor"/> units as a decimal amount of the currency, for Lago: 1250 USD cents → "12.5".</summary>
    public static string Credits(long minor, string currency)
    {
        var major = minor / (decimal)Math.Pow(10, Exponent(currency));
        return major.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
