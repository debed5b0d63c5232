using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Billing.Lago;

public static class LagoRegistration
{
    /// <summary>
    /// Billing through Lago, for <c>Billing:Provider=lago</c>: the Lago settings (validated at start), the typed client,
    /// customers made on first use, the Lago <see cref="IPaymentProvider"/> (beside the others: <c>Billing:Provider</c> picks it by name), the webhook verifier and
    /// handler, the Lago <see cref="IInvoiceSource"/> (replacing any other; so call this after the other billing registrations), and the <see cref="IBillingOutbox"/> whose events
    /// the <see cref="LagoOutboxWorker"/> sends. The host adds the durable stores: <see cref="IBillingOutboxStore"/> and
    /// <see cref="IWebhookReceipts"/>; the wallet's <see cref="IPaymentNotices"/> comes from the top-up service.
    /// </summary>
    public static IServiceCollection AddLagoBilling(this IServiceCollection services)
    {
        services.AddOptions<LagoOptions>().BindConfiguration(LagoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LagoOptions>, LagoOptionsValidation>());
        services.AddOptions<LagoOutboxOptions>().BindConfiguration(LagoOutboxOptions.Section);
        services.TryAddSingleton(TimeProvider.System);

        // The handler's own timeout and retries are LagoClient's (Lago:Timeout, Lago:Retries).
        services.AddHttpClient<LagoClient>(c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<LagoAccounts>();
        // Payment providers add themselves and Billing:Provider picks one by name; the invoice source is Lago's and no other
        // (whatever was registered before, such as the ledger's statements, is removed).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPaymentProvider, LagoPaymentProvider>());
        services.RemoveAll<IInvoiceSource>();
        services.AddHttpClient(LagoInvoiceSource.FilesClient, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton(sp => new LagoInvoiceSource(sp.GetRequiredService<LagoClient>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(LagoInvoiceSource.FilesClient)));
        services.AddSingleton<IInvoiceSource>(sp => sp.GetRequiredService<LagoInvoiceSource>());
        services.AddSingleton<IInvoiceFiles>(sp => sp.GetRequiredService<LagoInvoiceSource>());
        services.AddSingleton<LagoWebhookVerifier>();
        services.AddSingleton<LagoWebhooks>();

        services.AddSingleton<BillingOutboxSignal>();
        services.RemoveAll<IBillingOutbox>();
        services.AddSingleton<IBillingOutbox, BillingOutbox>();
        services.AddSingleton<LagoEventDispatcher>();
        services.AddHostedService<LagoOutboxWorker>();
        return services;
    }
}
