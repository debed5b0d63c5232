using CloneAI.Core.Billing.Reports;
using CloneAI.Core.Accounts;
using CloneAI.Core.Auth;
using CloneAI.Core.Billing;
using CloneAI.Core.Chat;
using CloneAI.Core.Email;
using CloneAI.Core.Insights;
using CloneAI.Core.Limits;
using CloneAI.Core.Moderation;
using CloneAI.Core.Clones;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Recommendations;
using CloneAI.Core.Summaries;
using CloneAI.Core.Users;
using CloneAI.Core.Memory;
using CloneAI.Core.Progress;
using CloneAI.Core.Styling;
using CloneAI.Core.Deletion;
using CloneAI.Core.Memory.Greetings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using CloneAI.Core.UserData;

namespace CloneAI.Core;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the application services. Hosts add the adapters for the ports. Built-in accounts
    /// (<see cref="AccountService"/>) need local-only ports, so the local host registers them itself.
    /// </summary>
    public static IServiceCollection AddCloneAICore(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UserService>();
        // Prices are in the platform currency (Billing:Currency): the service gets the billing settings.
        services.AddSingleton<CloneService>();

        services.AddOptions<KnowledgeOptions>().BindConfiguration(KnowledgeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddCloneAIKnowledgeCore();
        services.AddSingleton<KnowledgeService>();
        services.AddSingleton<IngestionService>();

        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.Section).ValidateDataAnnotations()
            .Validate(o => PaymentProviders.All.Contains(o.Provider), $"Billing:Provider must be one of: {string.Join(", ", PaymentProviders.All)}.")
            .Validate(o => PayoutProviders.All.Contains(o.PayoutProvider), $"Billing:PayoutProvider must be one of: {string.Join(", ", PayoutProviders.All)}.")
            .ValidateOnStart();
        // Wallets and top-ups. The host registers the ITopUpStore and ILedger; payment providers add themselves as
        // IPaymentProvider and Billing:Provider picks one by name.
        services.AddSingleton<IPaymentProvider, TestPaymentProvider>();
        services.AddSingleton<TopUpService>();
        services.AddSingleton<IPaymentNotices>(sp => sp.GetRequiredService<TopUpService>());
        services.AddSingleton<TestCheckout>();
        services.AddSingleton<WalletService>();
        // Statements from the ledger; with Billing:Provider=lago the host registers Lago's invoices as the IInvoiceSource instead.
        services.TryAddSingleton<LedgerStatementSource>();
        services.TryAddSingleton<IInvoiceSource>(sp => sp.GetRequiredService<LedgerStatementSource>());
        // Earnings and payouts. The host registers the IPayoutStore and the IPayoutProvider (Billing:PayoutProvider).
        services.AddSingleton<EarningsService>();
        services.AddSingleton<PayoutService>();

        services.AddOptions<ChatSettings>().BindConfiguration(ChatSettings.Section).ValidateDataAnnotations()
            .Validate(o => ChatProviders.All.Contains(o.Provider), $"Chat:Provider must be one of: {string.Join(", ", ChatProviders.All)}.")
            .Validate(o => !o.LacksModel, ChatSettings.ModelRequired)
            .ValidateOnStart();
        // Sessions and answers. The host registers the IResponder (a model, or the extractive responder).
        services.AddSingleton<SessionClock>();
        // Sessions draw from the wallet: the host registers the ILedger (and, with Lago, the IBillingOutbox).
        services.AddSingleton<SessionCharges>();
        services.AddSingleton<CloneAggregates>();
        services.AddSingleton<SessionLifecycle>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<SessionExport>();
        services.AddSingleton<CloneStatistics>();
        // The creator dashboard; the host registers ICloneInsightsStore.
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<QuestionAnalysis>();
        services.AddSingleton<CreatorDashboard>();
        services.AddSingleton<SourceRetriever>();
        services.AddSingleton<AnswerComposer>();
        services.AddSingleton<QuestionAdmission>();
        services.AddSingleton<ExchangeRecorder>();
        services.AddSingleton<AnswerFrames>();
        services.AddSingleton<AnswerService>();
        // Receipts go out through the host's IEmailSender; a host without one sends none.
        services.AddSingleton(sp => new SessionReceipts(sp.GetRequiredService<IUserStore>(), sp.GetService<IEmailSender>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SessionReceipts>>()));
        // Issue 14 part 1, session summaries: the host registers the ISessionSummaryStore (and the ISessionEndObserver that starts
        // the SummarizeSession orchestration). With an IChatClient the model writes them (structured output), else the extractive
        // summarizer does; the model falls back to it.
        services.AddOptions<SummaryOptions>().BindConfiguration(SummaryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ExtractiveSessionSummarizer>();
        services.AddSingleton<ISessionSummarizer>(sp => new DeferredSessionSummarizer(() =>
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChatSettings>>().Value.Provider != ChatProviders.Extractive
            && sp.GetService<Microsoft.Extensions.AI.IChatClient>() is { } chat
                ? ActivatorUtilities.CreateInstance<ModelSessionSummarizer>(sp, chat)
                : sp.GetRequiredService<ExtractiveSessionSummarizer>()));
        services.AddSingleton<SessionSummaries>();
        services.AddSingleton<ISessionRecap, SummaryRecap>();
        services.AddSingleton<SessionDeletion>();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The throttles count in the host's IRateWindowStore (SQLite, or Cosmos): shared by every instance, kept across restarts.
        services.AddSingleton<UserRateLimiter>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, UserRateLimitEraser>();

        // Issue 14, parts 3 and 4 (goals, progress, communication style). The host registers the IProgressTickStore; memory,
        // per-clone settings and summaries are read when their stores are registered.
        services.AddSingleton(sp => new ProgressService(sp.GetRequiredService<IProgressTickStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IMemoryStore>(), sp.GetService<ISessionSummaryStore>()));
        services.AddSingleton<IProgressReader>(sp => sp.GetRequiredService<ProgressService>());
        services.AddSingleton<IAnswerStyleSource>(sp => new EffectiveStyle(sp.GetRequiredService<IUserStore>(),
            sp.GetService<IClonePreferenceStore>(), sp.GetService<IMemoryStore>()));
        // Recommendations (issue 14 part 5): the host registers the ICloneUsageReader; next questions read the summaries
        // when the host has an ISessionSummaryStore, and are empty without one.
        services.AddOptions<RecommendationOptions>().BindConfiguration(RecommendationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CloneProfileVectors>();
        services.AddSingleton<Recommender>();
        services.AddSingleton(sp => new NextQuestions(sp.GetRequiredService<CloneService>(), sp.GetService<ISessionSummaryStore>()));

        // Memory (issue 14, part 2): extraction after each exchange (the model's when one is configured, else patterns), the
        // welcome-back greeting, memory in a model's prompt, and the user's own memory and per-clone settings. The host registers
        // the IMemoryStore and IClonePreferenceStore (and, when kept, ISessionSummaryStore and IProgressReader for the greeting).
        services.AddOptions<MemoryOptions>().BindConfiguration(MemoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PatternMemoryExtractor>();
        services.AddSingleton<IMemoryExtractor>(sp =>
        {
            var chat = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChatSettings>>();
            var model = sp.GetService<IChatClient>() is { } client && chat.Value.Provider != ChatProviders.Extractive
                && sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<MemoryOptions>>().Value.ExtractWithModel
                ? new ModelMemoryExtractor(client, chat)
                : null;
            return new MemoryExtractor(sp.GetRequiredService<PatternMemoryExtractor>(), model);
        });
        services.AddSingleton<MemoryRecorder>();
        services.AddSingleton<IExchangeObserver>(sp => sp.GetRequiredService<MemoryRecorder>());
        services.AddSingleton<IPromptMemory, PromptMemory>();
        services.AddSingleton<IReturningUserGreeting, ReturningUserGreeting>();
        services.AddSingleton<MemoryService>();

        // Issue 15 part 2, the admin console: the host registers the IAuditLog, IUserDirectory and ICloneDirectory. Account
        // deletion pseudonymises the audit entries that name the user.
        services.AddSingleton<CloneAI.Core.Admin.AuditTrail>();
        services.AddSingleton<CloneAI.Core.Admin.AdminUsers>();
        services.AddSingleton<CloneAI.Core.Admin.AdminClones>();
        services.AddSingleton<CloneAI.Core.Admin.ConversationAccess>();
        // The host registers the IAudienceRecountSource the one-off recount of old data reads.
        services.AddSingleton<CloneAI.Core.Admin.AudienceRecount>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, CloneAI.Core.Admin.AuditLogEraser>();
        // Issue 15 part 5 (your data): exports and account deletion. Each section of the export is an IUserDataExporter and each
        // kind of data an IUserDataEraser; the hosts add theirs for what only they store (rows, the email outbox).
        services.AddOptions<CloneAI.Core.Privacy.PrivacyOptions>().BindConfiguration(CloneAI.Core.Privacy.PrivacyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CloneAI.Core.Privacy.DataExports>();
        services.AddSingleton<CloneAI.Core.Privacy.AccountDeletion>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataExporter, CloneAI.Core.Privacy.ProfileExporter>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataExporter, CloneAI.Core.Privacy.ClonesExporter>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataExporter, CloneAI.Core.Privacy.SessionsExporter>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataExporter, CloneAI.Core.Privacy.RatingsExporter>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataExporter, CloneAI.Core.Privacy.MemoriesExporter>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataExporter, CloneAI.Core.Privacy.SummariesExporter>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataExporter, CloneAI.Core.Privacy.ClonePreferencesExporter>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataExporter, CloneAI.Core.Privacy.ProgressExporter>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataExporter, CloneAI.Core.Privacy.LedgerExporter>();
        services.AddSingleton<CloneAI.Core.Privacy.IUserDataFileExporter, CloneAI.Core.Privacy.DocumentFilesExporter>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, CloneAI.Core.Privacy.AvatarEraser>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, CloneAI.Core.Privacy.DataExportEraser>();

        WebPageImporter.Register(services);

        // Issue 15 parts 3 and 4 (moderation: reports, hiding, verified experts, creator profiles). The host registers the
        // IReportStore and IVerificationStore; reports and verification requests are erased and exported with the account.
        services.AddOptions<ModerationOptions>().BindConfiguration(ModerationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new CloneModeration(sp.GetRequiredService<ICloneStore>(), sp.GetRequiredService<IUserStore>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<CloneModeration>>(), sp.GetService<IEmailSender>()));
        services.AddSingleton<ReportService>();
        services.AddSingleton(sp => new VerificationService(sp.GetRequiredService<IVerificationStore>(), sp.GetRequiredService<IUserStore>(),
            sp.GetRequiredService<CloneModeration>(), sp.GetRequiredService<CloneAI.Core.Audit.IAuditLog>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<VerificationService>>(), sp.GetService<IEmailSender>()));
        services.AddSingleton<CreatorProfiles>();
        services.AddSingleton<ReportsUserData>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser>(sp => sp.GetRequiredService<ReportsUserData>());
        services.AddSingleton<CloneAI.Core.UserData.IUserDataExporter>(sp => sp.GetRequiredService<ReportsUserData>());
        services.AddSingleton<VerificationUserData>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser>(sp => sp.GetRequiredService<VerificationUserData>());
        services.AddSingleton<CloneAI.Core.UserData.IUserDataExporter>(sp => sp.GetRequiredService<VerificationUserData>());

        // Issue 15, limits: the embedding budget, and each user's one rating and use per clone (the hosts register the
        // IEmbeddingUsageStore and ICloneAudienceStore); both are in the user's export and go with their account.
        services.AddSingleton<EmbeddingBudget>();
        services.AddSingleton<CloneAudienceUserData>();
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser>(sp => sp.GetRequiredService<CloneAudienceUserData>());
        services.AddSingleton<CloneAI.Core.UserData.IUserDataExporter>(sp => sp.GetRequiredService<CloneAudienceUserData>());
        services.AddSingleton<CloneAI.Core.UserData.IUserDataEraser, EmbeddingUsageEraser>();
        return services;
    }
}
