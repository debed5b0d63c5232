namespace CloneAI.Azure;

/// <summary>Names of the Azure resources' insides, shared by the adapters, tests and Bicep (which reads the same strings).</summary>
public static class AzureNames
{
    public const string CosmosDatabase = "cloneai";
    public const string UsersContainer = "users";
    public const string ClonesContainer = "clones";
    public const string SlugsContainer = "slugs";
    public const string DocumentsContainer = "documents";
    public const string SessionsContainer = "sessions";
    public const string LedgerContainer = "ledger";
    public const string TopUpsContainer = "topups";
    public const string PayoutsContainer = "payouts";
    /// <summary>The billing outbox (usage events for Lago) and webhook receipts; partitioned by <c>/id</c>.</summary>
    public const string BillingContainer = "billing";
    /// <summary>Users' memory items, per-clone settings and checklist ticks (issue 14; documents told apart by <c>type</c>); partitioned by <c>/userId</c>.</summary>
    public const string MemoriesContainer = "memories";
    /// <summary>Session summaries (issue 14 part 1), one per session, partitioned by <c>/userId</c>.</summary>
    public const string SummariesContainer = "summaries";
    /// <summary>The audit log of admin actions (issue 15), partitioned by <c>/shard</c> (one of 16, from the entry's id).</summary>
    public const string AuditContainer = "audit";
    /// <summary>Reports of clones and answers (moderation), partitioned by <c>/cloneId</c>.</summary>
    public const string ReportsContainer = "reports";
    /// <summary>Creators' verification requests, partitioned by <c>/userId</c>.</summary>
    public const string VerificationsContainer = "verifications";
    /// <summary>Data exports and account deletions under way (issue 15 part 5), partitioned by <c>/userId</c>.</summary>
    public const string PrivacyContainer = "privacy";
    /// <summary>The throttles' sliding windows (one document per key, with a TTL), partitioned by <c>/id</c>.</summary>
    public const string LimitsContainer = "limits";
    public const string KnowledgeIndexName = "cloneai-knowledge";
}
