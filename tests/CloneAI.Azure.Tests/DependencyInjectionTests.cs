using Azure.Core;
using Azure.Storage.Blobs;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Blobs;
using CloneAI.Core.Clones;
using CloneAI.Core.Email;
using CloneAI.Core.Realtime;
using CloneAI.Core.Users;
using CloneAI.Core;
using CloneAI.Core.Knowledge;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CloneAI.Azure.Blobs;
using CloneAI.Azure.Chat;
using CloneAI.Azure.Clones;
using CloneAI.Azure.Knowledge;
using CloneAI.Azure.Users;

namespace CloneAI.Azure.Tests;

public sealed class DependencyInjectionTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Cosmos:Endpoint"] = "https://cloneai-test.documents.azure.com:443/",
        ["Blob:ServiceUri"] = "https://cloneaitest.blob.core.windows.net",
        ["AzureAd:Instance"] = "https://cloneaitest.ciamlogin.com/",
        ["AzureAd:TenantId"] = "11111111-1111-1111-1111-111111111111",
        ["AzureAd:ClientId"] = "22222222-2222-2222-2222-222222222222",
        ["Auth:Mode"] = "entra",
    };

    private static ServiceProvider Build(IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<global::Azure.Core.TokenCredential>(new OfflineCredential());
        services.AddCloneAICore();
        services.AddCloneAIAzure(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true });
    }

    [Fact]
    public void ThePortsResolveToTheAzureAdapters()
    {
        using var provider = Build(Settings);

        Assert.IsType<CosmosUserStore>(provider.GetRequiredService<IUserStore>());
        Assert.IsType<CosmosCloneStore>(provider.GetRequiredService<ICloneStore>());
        Assert.IsType<AzureBlobStore>(provider.GetRequiredService<IBlobStore>());
        Assert.IsType<CosmosDocumentStore>(provider.GetRequiredService<IDocumentStore>());
        Assert.IsType<SasUploadUrlIssuer>(provider.GetRequiredService<IUploadUrlIssuer>());
        Assert.IsType<CloneAI.Azure.Billing.CosmosPayoutStore>(provider.GetRequiredService<CloneAI.Core.Billing.IPayoutStore>());
        Assert.IsType<CloneAI.Core.Billing.ManualPayoutProvider>(provider.GetRequiredService<CloneAI.Core.Billing.IPayoutProvider>());
        Assert.Null(provider.GetService<IEmailSender>());
    }

    [Fact]
    public void TheAdminConsolesPortsResolveToCosmosAndDeletingAnAccountPseudonymisesTheAuditLog()
    {
        // Every eraser is built to list them, and the index chunks' eraser needs the search service.
        using var provider = Build(new Dictionary<string, string?>(Settings) { ["Search:Endpoint"] = "https://cloneai-test.search.windows.net" });

        Assert.IsType<CloneAI.Azure.Audit.CosmosAuditLog>(provider.GetRequiredService<CloneAI.Core.Audit.IAuditLog>());
        Assert.IsType<CloneAI.Azure.Admin.CosmosUserDirectory>(provider.GetRequiredService<CloneAI.Core.Admin.IUserDirectory>());
        Assert.IsType<CloneAI.Azure.Admin.CosmosCloneDirectory>(provider.GetRequiredService<CloneAI.Core.Admin.ICloneDirectory>());
        Assert.Contains(provider.GetServices<CloneAI.Core.UserData.IUserDataEraser>(), e => e is CloneAI.Core.Admin.AuditLogEraser);
    }

    [Fact]
    public void WithEverySettingTheBicepGivesEachPortOfTheFunctionsHostIsAnAzureAdapter()
    {
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["Search:Endpoint"] = "https://cloneai-test.search.windows.net",
            ["Search:Dimensions"] = "1536",
            ["Embeddings:Provider"] = "azure-openai",
            ["Embeddings:Endpoint"] = "https://cloneai-test.openai.azure.com/",
            ["Embeddings:Model"] = "text-embedding-3-small",
            ["Chat:Provider"] = "azure-openai",
            ["Chat:Endpoint"] = "https://cloneai-test.openai.azure.com/",
            ["Chat:Model"] = "gpt-4o-mini",
            ["WebPubSub:Endpoint"] = "https://cloneai-test.webpubsub.azure.com",
            ["CommunicationEmail:Endpoint"] = "https://acs-test.unitedstates.communication.azure.com",
            ["CommunicationEmail:Sender"] = "DoNotReply@0000-test.azurecomm.net",
        };
        using var provider = Build(settings);

        Assert.IsType<CosmosUserStore>(provider.GetRequiredService<IUserStore>());
        Assert.IsType<CosmosCloneStore>(provider.GetRequiredService<ICloneStore>());
        Assert.IsType<CosmosDocumentStore>(provider.GetRequiredService<IDocumentStore>());
        Assert.IsType<CosmosSessionStore>(provider.GetRequiredService<Core.Chat.ISessionStore>());
        var ledger = Assert.IsType<CloneAI.Azure.Billing.CosmosLedger>(provider.GetRequiredService<Core.Billing.ILedger>());
        Assert.Same(ledger, provider.GetRequiredService<Core.Billing.ILedgerSweep>());
        Assert.IsType<AzureBlobStore>(provider.GetRequiredService<IBlobStore>());
        Assert.IsType<SasUploadUrlIssuer>(provider.GetRequiredService<IUploadUrlIssuer>());
        Assert.IsType<CloneAI.Azure.Knowledge.AzureSearchKnowledgeIndex>(provider.GetRequiredService<IKnowledgeIndex>());
        Assert.IsType<CloneAI.Azure.Realtime.WebPubSubRestHub>(provider.GetRequiredService<IRealtimeHub>());
        Assert.IsType<CloneAI.Azure.Email.AcsEmailSender>(provider.GetRequiredService<IEmailSender>());
        Assert.True(provider.GetRequiredService<Core.Chat.SessionReceipts>().Enabled);
        // Chat and embeddings: Azure OpenAI clients, not the local extractive responder or ONNX model.
        var chat = provider.GetRequiredService<Microsoft.Extensions.AI.IChatClient>();
        Assert.IsType<Core.Chat.ModelResponder>(provider.GetRequiredService<Core.Chat.IResponder>());
        Assert.Equal("gpt-4o-mini", (chat.GetService(typeof(Microsoft.Extensions.AI.ChatClientMetadata)) as Microsoft.Extensions.AI.ChatClientMetadata)?.DefaultModelId);
        Assert.Equal("text-embedding-3-small", provider.GetRequiredService<IKnowledgeEmbedder>().Model.Model);
    }

    [Fact]
    public void StripeConnectPaysPayoutsWhenChosenAndNeedsItsApiKey()
    {
        var settings = new Dictionary<string, string?>(Settings) { ["Billing:PayoutProvider"] = "stripe-connect", ["Stripe:ApiKey"] = "sk_test_di" };
        using (var provider = Build(settings))
            Assert.IsType<CloneAI.Stripe.StripeConnectPayoutProvider>(provider.GetRequiredService<CloneAI.Core.Billing.IPayoutProvider>());

        settings["Stripe:ApiKey"] = null;
        using var withoutKey = Build(settings);
        var e = Assert.Throws<OptionsValidationException>(() => withoutKey.GetRequiredService<IOptions<CloneAI.Stripe.StripeOptions>>().Value);
        Assert.Contains("Stripe:ApiKey", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheClientsAreSingletonsWithTheConfiguredAccountsAndNames()
    {
        using var provider = Build(Settings);

        var cosmos = provider.GetRequiredService<CosmosClient>();
        Assert.Same(cosmos, provider.GetRequiredService<CosmosClient>());
        Assert.Equal(new Uri("https://cloneai-test.documents.azure.com:443/"), cosmos.Endpoint);
        Assert.IsType<CosmosSystemTextJsonSerializer>(cosmos.ClientOptions.Serializer);
        var containers = provider.GetRequiredService<CosmosContainers>();
        Assert.Equal(AzureNames.CosmosDatabase, containers.Database.Id);
        Assert.Equal([AzureNames.UsersContainer, AzureNames.ClonesContainer, AzureNames.SlugsContainer, AzureNames.DocumentsContainer, AzureNames.LedgerContainer],
            new[] { containers.Users.Id, containers.Clones.Id, containers.Slugs.Id, containers.Documents.Id, containers.Ledger.Id });

        var blobs = provider.GetRequiredService<BlobContainerClient>();
        Assert.Equal(Names.BlobContainer, blobs.Name);
        Assert.Equal("cloneaitest", blobs.AccountName);
        Assert.IsAssignableFrom<TokenCredential>(provider.GetRequiredService<TokenCredential>());
    }

    [Fact]
    public void AConnectionStringTakesThePlaceOfTheManagedIdentity()
    {
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["Cosmos:Endpoint"] = null,
            ["Cosmos:ConnectionString"] = "AccountEndpoint=https://localhost:8081/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
            ["Cosmos:GatewayMode"] = "true",
            ["Blob:ServiceUri"] = null,
            ["Blob:ConnectionString"] = "UseDevelopmentStorage=true",
        };
        using var provider = Build(settings);

        var cosmos = provider.GetRequiredService<CosmosClient>();
        Assert.Equal(new Uri("https://localhost:8081/"), cosmos.Endpoint);
        Assert.Equal(ConnectionMode.Gateway, cosmos.ClientOptions.ConnectionMode);
        Assert.Equal("devstoreaccount1", provider.GetRequiredService<BlobContainerClient>().AccountName);
    }

    [Fact]
    public void ThrottledRequestsAreRetriedAsTheSdkDoesUnlessConfiguredOtherwise()
    {
        using (var defaults = Build(Settings))
        {
            var options = defaults.GetRequiredService<CosmosClient>().ClientOptions;
            Assert.Equal(9, options.MaxRetryAttemptsOnRateLimitedRequests);
            Assert.Equal(TimeSpan.FromSeconds(30), options.MaxRetryWaitTimeOnRateLimitedRequests);
        }

        using var provider = Build(new Dictionary<string, string?>(Settings)
        {
            ["Cosmos:MaxRetryAttemptsOnRateLimitedRequests"] = "3",
            ["Cosmos:MaxRetryWaitTimeOnRateLimitedRequests"] = "00:00:05",
        });
        var configured = provider.GetRequiredService<CosmosClient>().ClientOptions;
        Assert.Equal(3, configured.MaxRetryAttemptsOnRateLimitedRequests);
        Assert.Equal(TimeSpan.FromSeconds(5), configured.MaxRetryWaitTimeOnRateLimitedRequests);
    }

    [Theory]
    [InlineData("Cosmos:MaxRetryAttemptsOnRateLimitedRequests", "-1")]
    [InlineData("Cosmos:MaxRetryWaitTimeOnRateLimitedRequests", "-00:00:01")]
    public void NegativeRetryLimitsFailOptionsValidation(string key, string value)
    {
        using var provider = Build(new Dictionary<string, string?>(Settings) { [key] = value });

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CosmosOptions>>().Value);
        Assert.Contains(key.Split(':')[1], e.Message);
    }

    [Fact]
    public void MissingAccountsFailOptionsValidation()
    {
        using var provider = Build(new Dictionary<string, string?>(Settings) { ["Cosmos:Endpoint"] = null, ["Blob:ServiceUri"] = null });

        var cosmos = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CosmosOptions>>().Value);
        Assert.Contains("Cosmos:Endpoint", cosmos.Message);
        var blob = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BlobOptions>>().Value);
        Assert.Contains("Blob:ServiceUri", blob.Message);
    }

    [Fact]
    public async Task EntraBearerValidationIsTheBearerSchemeRequestAuthUses()
    {
        using var provider = Build(Settings);

        var scheme = await provider.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(CloneAI.Functions.Http.RequestAuth.Scheme);
        Assert.NotNull(scheme);
        Assert.Equal(JwtBearerDefaults.AuthenticationScheme, scheme.Name);
        Assert.Equal(typeof(JwtBearerHandler), scheme.HandlerType);
        var jwt = provider.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        Assert.Contains("11111111-1111-1111-1111-111111111111", jwt.Authority, StringComparison.Ordinal);
        Assert.StartsWith("https://cloneaitest.ciamlogin.com/", jwt.Authority, StringComparison.Ordinal);
    }

    [Fact]
    public void LoggingIsAvailableToTheAdapters()
    {
        using var provider = Build(Settings);
        Assert.NotNull(provider.GetRequiredService<ILoggerFactory>());
    }
}
