using CloneAI.Core;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace CloneAI.Azure.Cosmos;

/// <summary>
/// The database and containers of one Cosmos account. <c>users</c> (users, and email reservations with id
/// <c>email|&lt;sha256&gt;</c>), <c>clones</c> and <c>slugs</c> (one reservation per slug, id = the slug) are partitioned
/// by <c>/id</c>; <c>documents</c> (knowledge documents and their <c>sha|&lt;sha256&gt;</c> reservations) by <c>/cloneId</c>; <c>sessions</c> (sessions, messages, usage events) by <c>/sessionId</c>;
/// <c>topups</c> (wallet top-ups and their idempotency keys) by <c>/userId</c>; <c>ledger</c> (ledger transactions, entries,
/// wallet balances and pending-leg markers) by <c>/account</c>; <c>payouts</c> (payouts, their idempotency keys, and each creator's payout account) by <c>/creatorId</c>.
/// </summary>
public sealed class CosmosContainers(CosmosClient client, IOptions<CosmosOptions> options)
{
    public const string PartitionKeyPath = "/id";
    public const string DocumentsPartitionKeyPath = "/cloneId";
    public const string SessionsPartitionKeyPath = "/sessionId";
    public const string LedgerPartitionKeyPath = "/account";
    public const string TopUpsPartitionKeyPath = "/userId";
    public const string PayoutsPartitionKeyPath = "/creatorId";
    public const string MemoriesPartitionKeyPath = "/userId";
    public const string SummariesPartitionKeyPath = "/userId";
    public const string AuditPartitionKeyPath = "/shard";
    public const string ReportsPartitionKeyPath = "/cloneId";
    public const string VerificationsPartitionKeyPath = "/userId";
    public const string PrivacyPartitionKeyPath = "/userId";
    public const string LimitsPartitionKeyPath = "/id";

    public Database Database { get; } = client.GetDatabase(options.Value.Database);
    public Container Users { get; } = client.GetContainer(options.Value.Database, AzureNames.UsersContainer);
    public Container Clones { get; } = client.GetContainer(options.Value.Database, AzureNames.ClonesContainer);
    public Container Slugs { get; } = client.GetContainer(options.Value.Database, AzureNames.SlugsContainer);
    public Container Documents { get; } = client.GetContainer(options.Value.Database, AzureNames.DocumentsContainer);
    public Container Sessions { get; } = client.GetContainer(options.Value.Database, AzureNames.SessionsContainer);
    public Container Ledger { get; } = client.GetContainer(options.Value.Database, AzureNames.LedgerContainer);
    public Container TopUps { get; } = client.GetContainer(options.Value.Database, AzureNames.TopUpsContainer);
    public Container Payouts { get; } = client.GetContainer(options.Value.Database, AzureNames.PayoutsContainer);
    /// <summary>The billing outbox and webhook receipts (Lago), partitioned by <c>/id</c>.</summary>
    public Container Billing { get; } = client.GetContainer(options.Value.Database, AzureNames.BillingContainer);
    /// <summary>Users' memory items, per-clone settings and checklist ticks (told apart by <c>type</c>), partitioned by <c>/userId</c>.</summary>
    public Container Memories { get; } = client.GetContainer(options.Value.Database, AzureNames.MemoriesContainer);
    /// <summary>Session summaries, partitioned by <c>/userId</c> (<see cref="SummariesPartitionKeyPath"/>).</summary>
    public Container Summaries { get; } = client.GetContainer(options.Value.Database, AzureNames.SummariesContainer);
    /// <summary>The audit log of admin actions, partitioned by <c>/shard</c> (<see cref="AuditPartitionKeyPath"/>).</summary>
    public Container Audit { get; } = client.GetContainer(options.Value.Database, AzureNames.AuditContainer);
    /// <summary>Reports of clones and answers, partitioned by <c>/cloneId</c> (<see cref="ReportsPartitionKeyPath"/>).</summary>
    public Container Reports { get; } = client.GetContainer(options.Value.Database, AzureNames.ReportsContainer);
    /// <summary>Creators' verification requests, partitioned by <c>/userId</c> (<see cref="VerificationsPartitionKeyPath"/>).</summary>
    public Container Verifications { get; } = client.GetContainer(options.Value.Database, AzureNames.VerificationsContainer);
    /// <summary>Data exports and account deletion markers, partitioned by <c>/userId</c> (<see cref="PrivacyPartitionKeyPath"/>).</summary>
    public Container Privacy { get; } = client.GetContainer(options.Value.Database, AzureNames.PrivacyContainer);
    /// <summary>The throttles' sliding windows, partitioned by <c>/id</c> (<see cref="LimitsPartitionKeyPath"/>), with TTL on.</summary>
    public Container Limits { get; } = client.GetContainer(options.Value.Database, AzureNames.LimitsContainer);
}
