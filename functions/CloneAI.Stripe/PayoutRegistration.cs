using CloneAI.Core.Billing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stripe;

namespace CloneAI.Stripe;

public static class PayoutRegistration
{
    public const string HttpClientName = "stripe";

    /// <summary>
    /// The <see cref="IPayoutProvider"/> that <c>Billing:PayoutProvider</c> names: <c>manual</c> (the default) or
    /// <c>stripe-connect</c>, a Stripe client with <c>Stripe:ApiKey</c> (required then) and <c>Stripe:ApiBase</c>. Both hosts call it.
    /// </summary>
    public static IServiceCollection AddCloneAIPayoutProvider(this IServiceCollection services)
    {
        services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.Section)
            .Validate<IOptions<BillingOptions>>((stripe, billing) => billing.Value.PayoutProvider != PayoutProviders.StripeConnect || !string.IsNullOrWhiteSpace(stripe.ApiKey),
                "Stripe:ApiKey is required with Billing:PayoutProvider=stripe-connect.")
            .ValidateOnStart();
        services.AddHttpClient(HttpClientName);
        services.AddSingleton<IPayoutProvider>(sp =>
            sp.GetRequiredService<IOptions<BillingOptions>>().Value.PayoutProvider == PayoutProviders.StripeConnect
                ? new StripeConnectPayoutProvider(CreateClient(sp.GetRequiredService<IOptions<StripeOptions>>().Value, sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName)))
                : new ManualPayoutProvider());
        return services;
    }

    /// <summary>A Stripe client on <paramref name="http"/>; network failures are retried by Stripe.net with the same idempotency key.</summary>
    public static StripeClient CreateClient(StripeOptions options, HttpClient http) =>
        new(options.ApiKey, httpClient: new SystemNetHttpClient(http, maxNetworkRetries: 2, enableTelemetry: false),
            apiBase: options.ApiBase?.AbsoluteUri.TrimEnd('/'));
}
