using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Billing;

/// <summary>Who collects payments for wallet top-ups.</summary>
public static class PaymentProviders
{
    /// <summary>The local test provider: a TEST MODE checkout page in the web app, test cards only; no money moves.</summary>
    public const string Test = "test";

    /// <summary>Lago: top-ups are Lago wallet transactions with paid credits, collected through Lago's payment provider.</summary>
    public const string Lago = "lago";

    public static readonly IReadOnlyList<string> All = [Test, Lago];
}

/// <summary>How creators' payouts are paid.</summary>
public static class PayoutProviders
{
    /// <summary>An admin pays outside the product and records the payment's reference.</summary>
    public const string Manual = "manual";

    /// <summary>A Stripe transfer to the creator's connected account.</summary>
    public const string StripeConnect = "stripe-connect";

    public static readonly IReadOnlyList<string> All = [Manual, StripeConnect];
}

/// <summary>Money: the platform currency, the platform's fee, payouts and the payment provider. Section <c>Billing</c>.</summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    /// <summary>The one platform currency (ISO 4217). Wallets, prices, earnings and payouts are integer minor units of it.</summary>
    [Required, RegularExpression("^[A-Z]{3}$")]
    public string Currency { get; set; } = "USD";

    /// <summary>The platform's share of every session charge, in percent; the creator earns the rest.</summary>
    [Range(0, 100)]
    public decimal PlatformFeePercent { get; set; } = 20;

    /// <summary>The smallest payout a creator can request, in minor units.</summary>
    [Range(1, long.MaxValue)]
    public long MinPayout { get; set; } = 1000;

    /// <summary>A wallet below this (minor units) is reported as <c>lowBalance</c>.</summary>
    [Range(0, long.MaxValue)]
    public long LowBalance { get; set; } = 500;

    /// <summary><c>test</c> (the default) or <c>lago</c>.</summary>
    [Required]
    public string Provider { get; set; } = PaymentProviders.Test;

    /// <summary><c>manual</c> (the default) or <c>stripe-connect</c>.</summary>
    [Required]
    public string PayoutProvider { get; set; } = PayoutProviders.Manual;

    /// <summary>The creator's share of <paramref name="amount"/>: <c>1 − PlatformFeePercent</c>, rounded down; the platform keeps the rest.</summary>
    public (long Creator, long Platform) Split(long amount)
    {
        var creator = (long)Math.Floor(amount * (100 - PlatformFeePercent) / 100m);
        return (creator, amount - creator);
    }
}
