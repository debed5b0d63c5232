using CloneAI.Azure.Billing;
using CloneAI.Core;
using CloneAI.Core.Billing;
using CloneAI.Core.Billing.Lago;
using CloneAI.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloneAI.Azure.Tests.Billing;

/// <summary>The Functions host's composition with Billing:Provider=lago: Lago's services on the Cosmos billing store.</summary>
public sealed class AzureLagoCompositionTests
{
    private static (ServiceCollection Services, ServiceProvider Provider) Build(string provider)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cosmos:Endpoint"] = "https://cloneai-test.documents.azure.com:443/",
            ["Blob:ServiceUri"] = "https://cloneaitest.blob.core.windows.net",
            ["Auth:Mode"] = Names.AuthModeEntra,
            ["Billing:Provider"] = provider,
            ["Lago:ApiUrl"] = "https://api.getlago.com",
            ["Lago:ApiKey"] = "key",
            ["Lago:WebhookHmacKey"] = "hmac",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<global::Azure.Core.TokenCredential>(new OfflineCredential());
        services.AddCloneAICore();
        services.AddCloneAIFunctions();
        services.AddCloneAIAzure(configuration);
        return (services, services.BuildServiceProvider());
    }

    [Fact]
    public void WithLagoTheOutboxInvoicesPaymentsAndWebhooksAreLagosOnCosmos()
    {
        var (services, provider) = Build("lago");
        using (provider)
        {
            Assert.IsType<BillingOutbox>(provider.GetRequiredService<IBillingOutbox>());
            Assert.IsType<CosmosBillingOutboxStore>(provider.GetRequiredService<IBillingOutboxStore>());
            Assert.IsType<CosmosWebhookReceipts>(provider.GetRequiredService<IWebhookReceipts>());
            Assert.IsType<LagoInvoiceSource>(provider.GetRequiredService<IInvoiceSource>());
            Assert.Single(services, d => d.ServiceType == typeof(IInvoiceSource));
            Assert.Contains(provider.GetServices<IPaymentProvider>(), p => p.Name == PaymentProviders.Lago);
            Assert.NotNull(provider.GetRequiredService<LagoEventDispatcher>());
            Assert.NotNull(provider.GetRequiredService<LagoWebhookVerifier>());
            Assert.Contains(services, d => d.ServiceType == typeof(LagoWebhooks));
            Assert.Contains(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(LagoOutboxWorker));
        }
    }

    [Fact]
    public void WithTheTestProviderNothingOfLagoIsRegistered()
    {
        var (services, provider) = Build("test");
        using (provider)
        {
            Assert.Null(provider.GetService<IBillingOutbox>());
            Assert.DoesNotContain(services, d => d.ServiceType == typeof(LagoWebhooks) || d.ServiceType == typeof(LagoClient));
            Assert.DoesNotContain(provider.GetServices<IPaymentProvider>(), p => p.Name == PaymentProviders.Lago);
        }
    }
}
