namespace CloneAI.Stripe;

/// <summary>Stripe, for payouts by Stripe Connect transfers (<c>Billing:PayoutProvider=stripe-connect</c>). Section <c>Stripe</c>.</summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    /// <summary>The platform's secret API key (<c>sk_…</c>); required with <c>stripe-connect</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The base URL of Stripe's API; unset, the real one. Tests point it at a loopback fake.</summary>
    public Uri? ApiBase { get; set; }
}
