using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using CloneAI.Azure.AI;
using CloneAI.Azure.Billing;
using CloneAI.Core.Billing;
using CloneAI.Core.Billing.Lago;
using CloneAI.Azure.Realtime;
using CloneAI.Core.Blobs;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Email;
using CloneAI.Core.Realtime;
using CloneAI.Core.Users;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using CloneAI.Azure.Cosmos;
using CloneAI.Azure.Email;
using CloneAI.Core.Accounts;
using CloneAI.Core.Knowledge;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using CloneAI.Azure.Blobs;
using CloneAI.Azure.Chat;
using CloneAI.Azure.Clones;
using CloneAI.Azure.Knowledge;
using CloneAI.Azure.Users;

namespace CloneAI.Azure;

public static class DependencyInjection
{
    /// <summary>The section Microsoft.Identity.Web reads: Instance, TenantId, ClientId (and Audience if it differs).</summary>
    public const string AzureAdSection = AzureAdOptions.Section;

    /// <summary>
    /// The Azure adapters: Cosmos DB stores for users, clones and knowledge documents, Blob Storage (and SAS upload URLs for
    /// knowledge documents), and Microsoft Entra (External ID) bearer
    /// validation under the scheme "Bearer" that <c>RequestAuth</c> authenticates with. Clients sign in with
    /// <see cref="DefaultAzureCredential"/> (the app's managed identity in Azure) unless a connection string is configured.
    /// Email (session receipts) goes through Azure Communication Services when <c>CommunicationEmail:Endpoint</c> is set;
    /// Entra sends its own account emails. Built-in accounts (<see cref="AccountService"/>) are a local-host feature and are
    /// not registered here.
    /// </summary>
    public static IServiceCollection AddCloneAIAzure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CosmosOptions>().BindConfiguration(CosmosOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BlobOptions>().BindConfiguration(BlobOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());

        services.AddAzureClients(clients =>
        {
            clients.UseCredential(sp => sp.GetRequiredService<TokenCredential>());
            clients.AddClient<BlobServiceClient, BlobClientOptions>((clientOptions, credential, sp) =>
            {
                var blob = sp.GetRequiredService<IOptions<BlobOptions>>().Value;
                return string.IsNullOrWhiteSpace(blob.ConnectionString)
                    ? new BlobServiceClient(blob.ServiceUri, credential, clientOptions)
                    : new BlobServiceClient(blob.ConnectionString, clientOptions);
            });
        });
        services.TryAddSingleton(sp => CreateCosmosClient(sp.GetRequiredService<IOptions<CosmosOptions>>().Value, sp.GetRequiredService<TokenCredential>()));
        services.TryAddSingleton<CosmosContainers>();
        services.TryAddSingleton(sp => sp.GetRequiredService<BlobServiceClient>()
            .GetBlobContainerClient(sp.GetRequiredService<IOptions<BlobOptions>>().Value.Container));

        services.AddSingleton<IUserStore>(sp =>
            new CosmosUserStore(sp.GetRequiredService<CosmosContainers>().Users, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ICloneStore>(sp =>
        {
            var cosmos = sp.GetRequiredService<CosmosContainers>();
            return new CosmosCloneStore(cosmos.Clones, cosmos.Slugs, cosmos.Database, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IBlobStore, AzureBlobStore>();
        services.AddSingleton<IDocumentStore>(sp =>
            new CosmosDocumentStore(sp.GetRequiredService<CosmosContainers>().Documents, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IUploadUrlIssuer, SasUploadUrlIssuer>();

        // Chat: sessions in Cosmos, frames through Web PubSub's REST API, answers from Azure OpenAI (or as configured).
        services.AddSingleton<ISessionStore>(sp => new CosmosSessionStore(sp.GetRequiredService<CosmosContainers>().Sessions));

        // Money: the ledger in the Cosmos container "ledger"; the CompletePendingLedgerLegs timer sweeps its pending legs.
        services.AddSingleton(sp => new CosmosLedger(sp.GetRequiredService<CosmosContainers>().Ledger, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<CosmosLedger>>()));
        services.AddSingleton<ILedger>(sp => sp.GetRequiredService<CosmosLedger>());
        services.AddSingleton<ILedgerSweep>(sp => sp.GetRequiredService<CosmosLedger>());
        // Wallet top-ups (the ledger is CosmosLedger).
        services.AddSingleton<CloneAI.Core.Billing.ITopUpStore>(sp => new Billing.CosmosTopUpStore(sp.GetRequiredService<CosmosContainers>().TopUps));
        // Issue 14 part 1, session summaries: in the container 'summaries'; SummaryTimer starts their orchestrations.
        services.AddSingleton<CloneAI.Core.Summaries.ISessionSummaryStore>(sp => new Summaries.CosmosSessionSummaryStore(sp.GetRequiredService<CosmosContainers>().Summaries));
        services.AddSingleton<ISessionEndObserver, CloneAI.Core.Summaries.DeferredSessionEndObserver>();
        services.AddSingleton<CloneAI.Core.Insights.ICloneInsightsStore>(sp => new Insights.CosmosCloneInsightsStore(sp.GetRequiredService<CosmosContainers>().Sessions));
        // Recommendations (issue 14 part 5): who used which clone, cross-partition reads of the sessions container.
        services.AddSingleton<CloneAI.Core.Recommendations.ICloneUsageReader>(sp => new Recommendations.CosmosCloneUsageReader(sp.GetRequiredService<CosmosContainers>().Sessions));
        // Payouts in Cosmos, paid by the configured provider (manual, or Stripe Connect).
        services.AddSingleton<CloneAI.Core.Billing.IPayoutStore>(sp => new Billing.CosmosPayoutStore(sp.GetRequiredService<CosmosContainers>().Payouts));
        // Issue 14, progress: checklist ticks in the memories container.
        services.AddSingleton<CloneAI.Core.Progress.IProgressTickStore>(sp => new Progress.CosmosProgressTickStore(sp.GetRequiredService<CosmosContainers>().Memories));
        CloneAI.Stripe.PayoutRegistration.AddCloneAIPayoutProvider(services);
        // Memory (issue 14, part 2): users' memory items and per-clone settings in the Cosmos container "memories" (/userId).
        services.AddSingleton<CloneAI.Core.Memory.IMemoryStore>(sp => new Memory.CosmosMemoryStore(sp.GetRequiredService<CosmosContainers>().Memories));
        services.AddSingleton<CloneAI.Core.Memory.IClonePreferenceStore>(sp => new Memory.CosmosClonePreferenceStore(sp.GetRequiredService<CosmosContainers>().Memories));
        // Issue 15 part 2, the admin console: the audit log in the container "audit" (/shard), and finding users and clones.
        services.AddSingleton<CloneAI.Core.Audit.IAuditLog>(sp => new Audit.CosmosAuditLog(sp.GetRequiredService<CosmosContainers>().Audit));
        services.AddSingleton<CloneAI.Core.Admin.IUserDirectory>(sp => new Admin.CosmosUserDirectory(sp.GetRequiredService<CosmosContainers>().Users));
        services.AddSingleton<CloneAI.Core.Admin.ICloneDirectory>(sp => new Admin.CosmosCloneDirectory(sp.GetRequiredService<CosmosContainers>().Clones));
        // Issue 15 parts 3 and 4 (moderation): reports and verification requests in their own containers.
        services.AddSingleton<CloneAI.Core.Moderation.IReportStore>(sp => new Moderation.CosmosReportStore(sp.GetRequiredService<CosmosContainers>().Reports));
        services.AddSingleton<CloneAI.Core.Moderation.IVerificationStore>(sp => new Moderation.CosmosVerificationStore(sp.GetRequiredService<CosmosContainers>().Verifications));
        // Issue 15 part 5 (your data): exports and deletion markers in the container "privacy" (/userId), and the erasers of what
        // Cosmos keeps (the index chunks and blobs of clones go through their ports, from the clone eraser).
        services.AddSingleton<CloneAI.Core.Privacy.IDataExportStore>(sp => new Privacy.CosmosDataExportStore(sp.GetRequiredService<CosmosContainers>().Privacy));
        services.AddSingleton<CloneAI.Core.Privacy.IAccountDeletionStore>(sp => new Privacy.CosmosAccountDeletionStore(sp.GetRequiredService<CosmosContainers>().Privacy));
        services.AddSingleton<CloneAI.Core.Users.IDeletedAccounts>(sp => new Users.CosmosDeletedAccounts(sp.GetRequiredService<CosmosContainers>().Privacy));
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, UserData.CosmosSessionDataEraser>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, UserData.CosmosCloneEraser>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, UserData.CosmosLedgerPseudonymiser>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, UserData.CosmosAccountEraser>();
        // Account emails queued off the request path, in the users container; built-in accounts are local, but a deletion erases
        // whatever is queued for the address.
        services.AddSingleton<IAccountEmailJobs>(sp => new Accounts.CosmosAccountEmailJobs(sp.GetRequiredService<CosmosContainers>().Users));
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, AccountEmailJobsEraser>();
        // Issue 15, limits: each user's one rating and use per clone, and their embedding work per day, in the memories container
        // (the user's partition): shared by every instance.
        services.AddSingleton<CloneAI.Core.Chat.ICloneAudienceStore>(sp => new Chat.CosmosCloneAudienceStore(sp.GetRequiredService<CosmosContainers>().Memories));
        services.AddSingleton<CloneAI.Core.Knowledge.IEmbeddingUsageStore>(sp => new Knowledge.CosmosEmbeddingUsageStore(sp.GetRequiredService<CosmosContainers>().Memories));
        // The audience recount (POST /api/admin/maintenance/recount-audience, once after upgrading): cross-partition reads of
        // sessions, audience records and clones.
        services.AddSingleton<CloneAI.Core.Chat.IAudienceRecountSource>(sp =>
        {
            var cosmos = sp.GetRequiredService<CosmosContainers>();
            return new Chat.CosmosAudienceRecountSource(cosmos.Sessions, cosmos.Memories, cosmos.Clones);
        });
        // The throttles' request counts in the container "limits": every instance counts in the same windows.
        services.AddSingleton<CloneAI.Core.Limits.IRateWindowStore>(sp => new Limits.CosmosRateWindowStore(sp.GetRequiredService<CosmosContainers>().Limits));
        services.AddOptions<AcsEmailOptions>().BindConfiguration(AcsEmailOptions.Section);
        // Email only where Communication Services is configured; otherwise no IEmailSender (receipts are skipped).
        if (configuration.GetSection(AcsEmailOptions.Section)["Endpoint"] is { Length: > 0 })
            services.AddHttpClient<IEmailSender, AcsEmailSender>();
        services.AddOptions<WebPubSubOptions>().BindConfiguration(WebPubSubOptions.Section);
        services.AddHttpClient<IRealtimeHub, WebPubSubRestHub>();
        services.PostConfigure<ChatSettings>(o =>
        {
            if (configuration[$"{ChatSettings.Section}:Provider"] is null) o.Provider = ChatProviders.AzureOpenAI;
        });
        services.TryAddSingleton<IChatClient>(sp => RemoteChat.Create(sp.GetRequiredService<IOptions<ChatSettings>>().Value, sp.GetRequiredService<TokenCredential>()));
        services.TryAddSingleton<IResponder>(sp => RemoteChat.CreateResponder(sp.GetRequiredService<IOptions<ChatSettings>>(), sp.GetRequiredService<IChatClient>));

        // Retrieval: Azure OpenAI (or any OpenAI-compatible) embeddings, the AI Search index, and chunk sizes counted with
        // the tokenizer of the OpenAI embedding models.
        services.AddCloneAIEmbeddings(configuration);
        services.AddCloneAIAzureSearch(configuration);
        services.TryAddSingleton<Tokenizer>(_ => TiktokenTokenizer.CreateForModel("text-embedding-3-small"));

        AddLago(services, configuration);

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddMicrosoftIdentityWebApi(configuration.GetSection(AzureAdSection), JwtBearerDefaults.AuthenticationScheme);
        // One tenant: the issuer must be exactly the one its OpenID metadata names (what JwtBearer checks without a custom
        // validator), rather than Identity.Web's multi-tenant template matching.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            o.TokenValidationParameters.IssuerValidator = null;
            o.TokenValidationParameters.ValidateIssuer = true;
        });
        return services;
    }

    /// <summary>
    /// With <c>Billing:Provider=lago</c>: Lago billing (its client, payment provider, invoice source, webhooks and the usage
    /// outbox's hosted sender; the <c>SendBillingOutbox</c> timer function sends leftovers too), with the outbox and the webhook
    /// receipts in the Cosmos container <c>billing</c>. <c>Lago:ApiKey</c> and <c>Lago:WebhookHmacKey</c> are Key Vault
    /// references in the app settings.
    /// </summary>
    private static void AddLago(IServiceCollection services, IConfiguration configuration)
    {
        if (configuration[$"{BillingOptions.Section}:{nameof(BillingOptions.Provider)}"] != PaymentProviders.Lago) return;
        services.AddSingleton<IBillingOutboxStore>(sp => new CosmosBillingOutboxStore(sp.GetRequiredService<CosmosContainers>().Billing));
        services.AddSingleton<IWebhookReceipts>(sp => new CosmosWebhookReceipts(sp.GetRequiredService<CosmosContainers>().Billing));
        services.AddLagoBilling();
    }

    /// <summary>
    /// One client per process: System.Text.Json documents, managed identity unless a connection string is set, and the
    /// configured retries of throttled (429) requests.
    /// </summary>
    public static CosmosClient CreateCosmosClient(CosmosOptions options, TokenCredential credential) =>
        CreateCosmosClient(options, credential, httpClientFactory: null);

    /// <summary>
    /// As <see cref="CreateCosmosClient(CosmosOptions, TokenCredential)"/>; a test can pass the <see cref="HttpClient"/> the
    /// client sends through, which forces gateway mode (direct mode would talk TCP past it).
    /// </summary>
    internal static CosmosClient CreateCosmosClient(CosmosOptions options, TokenCredential credential, Func<HttpClient>? httpClientFactory)
    {
        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = "cloneai",
            Serializer = new CosmosSystemTextJsonSerializer(),
            ConnectionMode = options.GatewayMode || httpClientFactory is not null ? ConnectionMode.Gateway : ConnectionMode.Direct,
            MaxRetryAttemptsOnRateLimitedRequests = options.MaxRetryAttemptsOnRateLimitedRequests,
            MaxRetryWaitTimeOnRateLimitedRequests = options.MaxRetryWaitTimeOnRateLimitedRequests,
            HttpClientFactory = httpClientFactory,
        };
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new CosmosClient(options.Endpoint!.AbsoluteUri, credential, clientOptions)
            : new CosmosClient(options.ConnectionString, clientOptions);
    }
}
