using CloneAI.Core.Accounts;
using CloneAI.Core.Billing;
using CloneAI.Core.Billing.Lago;
using CloneAI.Core.Chat;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Auth;
using CloneAI.Core.Blobs;
using CloneAI.Core.Clones;
using CloneAI.Core.Email;
using CloneAI.Core.Realtime;
using CloneAI.Core.Users;
using CloneAI.Functions.Http;
using CloneAI.Local.Email;
using CloneAI.Local.Knowledge;
using CloneAI.Local.Realtime;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using CloneAI.Local.AI;
using CloneAI.Local.Accounts;
using CloneAI.Local.Blobs;
using CloneAI.Local.Chat;
using CloneAI.Local.Clones;
using CloneAI.Local.Sqlite;
using CloneAI.Local.Users;

namespace CloneAI.Local;

public static class DependencyInjection
{
    /// <summary>
    /// The local adapters, as <c>AddCloneAIAzure</c> registers the Azure ones: SQLite stores (users, clones, accounts, documents,
    /// sessions) and blob files under <c>Local:DataDir</c>; the bundled ONNX embeddings (unless a remote provider is configured)
    /// and the SQLite retrieval index; the email outbox; built-in accounts (<see cref="AccountService"/>) with HMAC JWTs that the
    /// "Bearer" scheme <c>RequestAuth</c> authenticates with validates; the realtime hub that the host's WebSocket endpoint serves;
    /// and the configured chat model, or the extractive responder. The hosting (routes, Durable, triggers) is
    /// <c>Hosting.LocalHosting</c>.
    /// </summary>
    public static IServiceCollection AddCloneAILocal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LocalOptions>().BindConfiguration(LocalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var dataDir = DataDir(configuration);
        Directory.CreateDirectory(dataDir);

        // Issue 15, backups: a running host holds the data folder's lock (shared), so a restore refuses to run under it.
        services.AddSingleton(_ => Backup.DataFolderLock.AcquireShared(dataDir));

        // Storage: one SQLite database and a folder of blob files.
        services.AddSingleton(sp => new SqliteDatabase(Path.Combine(dataDir, "cloneai.db"), sp.GetRequiredService<ILogger<SqliteDatabase>>()));
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<ICloneStore, SqliteCloneStore>();
        services.AddSingleton<IAccountStore, SqliteAccountStore>();
        services.AddSingleton<CloneAI.Core.Audit.IAuditLog, Audit.SqliteAuditLog>();
        // Issue 15 part 2, the admin console: finding users and clones.
        services.AddSingleton<CloneAI.Core.Admin.IUserDirectory, Admin.SqliteUserDirectory>();
        services.AddSingleton<CloneAI.Core.Admin.ICloneDirectory, Admin.SqliteCloneDirectory>();
        services.AddSingleton<IDocumentStore, SqliteDocumentStore>();
        services.AddSingleton<ISessionStore, SqliteSessionStore>();
        services.AddSingleton<CloneAI.Core.Insights.ICloneInsightsStore, Insights.SqliteCloneInsightsStore>();
        services.AddSingleton<CloneAI.Core.Billing.ILedger, Billing.SqliteLedger>();
        services.AddSingleton<CloneAI.Core.Billing.ITopUpStore, Billing.SqliteTopUpStore>();
        services.AddSingleton<CloneAI.Core.Billing.IPayoutStore, Billing.SqlitePayoutStore>();
        // Issue 15 parts 3 and 4 (moderation): reports and verification requests.
        services.AddSingleton<CloneAI.Core.Moderation.IReportStore, Moderation.SqliteReportStore>();
        services.AddSingleton<CloneAI.Core.Moderation.IVerificationStore, Moderation.SqliteVerificationStore>();
        // Issue 14, progress: checklist ticks.
        services.AddSingleton<CloneAI.Core.Progress.IProgressTickStore, Progress.SqliteProgressTickStore>();
        CloneAI.Stripe.PayoutRegistration.AddCloneAIPayoutProvider(services);
        AddLago(services, configuration);
        // Recommendations (issue 14 part 5): who used which clone, read from the sessions table.
        services.AddSingleton<CloneAI.Core.Recommendations.ICloneUsageReader, Recommendations.SqliteCloneUsageReader>();
        var blobs = new FileBlobStore(Path.Combine(dataDir, "blobs"));
        services.AddSingleton(blobs);
        services.AddSingleton<IBlobStore>(blobs);

        // Retrieval: embeddings, chunk sizes counted with the embedding model's tokenizer, and the SQLite index.
        services.AddLocalOnnxEmbeddings(configuration);
        services.AddSingleton<Tokenizer>(sp => sp.GetService<OnnxEmbeddingGenerator>()?.Tokenizer ?? TiktokenTokenizer.CreateForModel("text-embedding-3-small"));
        services.AddCloneAILocalSearch();

        services.AddSingleton<IEmailSender>(sp => new OutboxEmailSender(Path.Combine(dataDir, "outbox"),
            sp.GetRequiredService<IOptions<EmailOptions>>(), sp.GetRequiredService<ILogger<OutboxEmailSender>>()));

        // Built-in accounts: tokens and realtime connections are signed with one key, kept in the data folder.
        var key = LocalJwt.LoadKey(configuration["Auth:SigningKey"], dataDir);
        services.AddSingleton<AccountService>();
        // Issue 15, auth: throttles of the account routes (per client and per address), the sign-in slow-down, account emails sent
        // off the request path (stored, so a stop loses none), and the erasers of what the throttles and the queued emails keep about an address.
        services.AddOptions<AuthThrottleOptions>().BindConfiguration(AuthThrottleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AuthThrottle>();
        services.AddSingleton<SignInGuard>();
        services.AddSingleton<AccountEmails>();
        services.AddSingleton<IAccountEmailJobs, SqliteAccountEmailJobs>();
        services.AddSingleton<AccountEmailQueue>();
        services.AddHostedService<AccountEmailWorker>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, AccountEmailJobsEraser>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, SignInDataEraser>();
        services.AddSingleton<IRefreshTokenRevoker, AccountStoreRefreshTokenRevoker>();
        services.AddSingleton<IAccessTokenIssuer>(sp => new LocalJwt(key, sp.GetRequiredService<IOptions<AuthOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddAuthentication(RequestAuth.Scheme).AddJwtBearer(RequestAuth.Scheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = LocalJwt.ValidationParameters(key);
        });

        // Chat: frames go through the local hub; answers come from the configured model, or the extractive responder.
        services.AddSingleton(sp => new LocalRealtimeHub(key, sp.GetRequiredService<IOptions<AuthOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LocalRealtimeHub>>()));
        services.AddSingleton<IRealtimeHub>(sp => sp.GetRequiredService<LocalRealtimeHub>());
        services.AddSingleton<IResponder>(sp => LocalChat.Create(sp.GetRequiredService<IOptions<ChatSettings>>()));

        // Issue 14 part 1, session summaries: kept in SQLite; written by the configured model when there is one (else extractively).
        services.AddSingleton<CloneAI.Core.Summaries.ISessionSummaryStore, Summaries.SqliteSessionSummaryStore>();
        // Memory (issue 14, part 2): users' memory items and per-clone settings in the SQLite file; with a model configured, its
        // client extracts memory too.
        services.AddSingleton<CloneAI.Core.Memory.IMemoryStore, Memory.SqliteMemoryStore>();
        services.AddSingleton<CloneAI.Core.Memory.IClonePreferenceStore, Memory.SqliteClonePreferenceStore>();
        // Issue 15, limits: each user's one rating and use per clone, and their embedding work per day, in the SQLite file.
        services.AddSingleton<CloneAI.Core.Chat.ICloneAudienceStore, Chat.SqliteCloneAudienceStore>();
        services.AddSingleton<CloneAI.Core.Knowledge.IEmbeddingUsageStore, Knowledge.SqliteEmbeddingUsageStore>();
        services.AddSingleton<CloneAI.Core.Chat.IAudienceRecountSource, Chat.SqliteAudienceRecountSource>();
        // The throttles' request counts (per user, per client, per address) in the SQLite file: they survive a restart.
        services.AddSingleton<CloneAI.Core.Limits.IRateWindowStore, Limits.SqliteRateWindowStore>();
        if (configuration[$"{ChatSettings.Section}:Provider"] == ChatProviders.OpenAI)
            services.TryAddSingleton<Microsoft.Extensions.AI.IChatClient>(sp => CloneAI.OpenAI.OpenAICompatibleChat.Create(sp.GetRequiredService<IOptions<ChatSettings>>().Value));
        // Issue 15 part 5 (your data): exports and deletion markers in the SQLite file; the erasers of what only this host keeps
        // (rows, the email outbox), and the compaction that leaves no deleted bytes in the file or its write-ahead log.
        services.AddSingleton<CloneAI.Core.Privacy.IDataExportStore, Privacy.SqliteDataExportStore>();
        services.AddSingleton<CloneAI.Core.Privacy.IAccountDeletionStore, Privacy.SqliteAccountDeletionStore>();
        services.AddSingleton<CloneAI.Core.Users.IDeletedAccounts, Users.SqliteDeletedAccounts>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, UserData.SqliteSessionDataEraser>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, UserData.SqliteCloneEraser>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, UserData.SqliteLedgerPseudonymiser>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, UserData.SqliteAccountEraser>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser>(sp => new UserData.OutboxEraser(Path.Combine(dataDir, "outbox"), sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<CloneAI.Core.Privacy.IStorageCompactor, Privacy.SqliteCompactor>();
        return services;
    }

    /// <summary>
    /// With <c>Billing:Provider=lago</c>: Lago billing (its client, payment provider, invoice source, webhooks and the usage
    /// outbox's sender), with the outbox and the webhook receipts in the SQLite file.
    /// </summary>
    private static void AddLago(IServiceCollection services, IConfiguration configuration)
    {
        if (configuration[$"{BillingOptions.Section}:{nameof(BillingOptions.Provider)}"] != PaymentProviders.Lago) return;
        services.AddSingleton<IBillingOutboxStore, Billing.SqliteBillingOutboxStore>();
        services.AddSingleton<IWebhookReceipts, Billing.SqliteWebhookReceipts>();
        services.AddLagoBilling();
    }

    /// <summary>The data folder, as an absolute path: <c>Local:DataDir</c>.</summary>
    public static string DataDir(IConfiguration configuration) =>
        Path.GetFullPath((configuration.GetSection(LocalOptions.Section).Get<LocalOptions>() ?? new LocalOptions()).DataDir);
}
