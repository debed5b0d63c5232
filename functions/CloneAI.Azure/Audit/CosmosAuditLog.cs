using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Audit;
using CloneAI.Core.Domain;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Audit;

/// <summary>An audit entry as stored: the entry plus the fields queries filter and sort on (epoch milliseconds compare as numbers).</summary>
public sealed record AuditItem(string Id, string Shard, string Type, long AtMs, string ActorId, string? SubjectUserId, AuditEntry Entry);

/// <summary>
/// The audit log in the Cosmos container <c>audit</c>, partition key <c>/shard</c>: one of <see cref="Shards"/>, taken from
/// a hash of the entry's id, so the same id always lands in the same partition and a second append conflicts (409) and
/// stores nothing. The log is small (admin actions), so reading it is a cross-partition query ordered by time; pages are
/// Cosmos continuation tokens.
/// </summary>
public sealed class CosmosAuditLog(Container audit) : IAuditLog
{
    public const int Shards = 16;
    public const string EntryType = "audit";

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        var item = Item(entry);
        if (!CosmosIds.IsValid(item.Id)) throw new ArgumentException("This audit entry id cannot be stored.", nameof(entry));
        try
        {
            await audit.CreateItemAsync(item, new PartitionKey(item.Shard), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Appended before (a retry): stored once.
        }
    }

    public Task<Page<AuditEntry>> ListAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        ListPageAsync(pageSize, continuationToken, cancellationToken);

    private async Task<Page<AuditEntry>> ListPageAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type ORDER BY c.atMs DESC").WithParameter("@type", EntryType);
        var page = await CosmosPaging.ReadPageAsync<AuditItem>(audit, query, Math.Max(1, pageSize), continuationToken, partitionKey: null, cancellationToken);
        return new Page<AuditEntry>(page.Items.Select(i => i.Entry).ToList(), page.ContinuationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListForSubjectAsync(string userId, int max, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.type = @type AND c.subjectUserId = @user ORDER BY c.atMs DESC")
            .WithParameter("@max", max).WithParameter("@type", EntryType).WithParameter("@user", userId);
        return (await CosmosPaging.ReadAllAsync<AuditItem>(audit, query, partitionKey: null, cancellationToken)).Select(i => i.Entry).ToList();
    }

    /// <summary>Every entry naming the user as actor or subject is replaced in place (same id, same shard), naming the pseudonym.</summary>
    public async Task PseudonymiseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        var items = new Dictionary<string, AuditItem>(StringComparer.Ordinal);
        foreach (var field in new[] { "actorId", "subjectUserId" })
        {
            var query = new QueryDefinition($"SELECT * FROM c WHERE c.type = @type AND c.{field} = @user").WithParameter("@type", EntryType).WithParameter("@user", userId);
            foreach (var item in await CosmosPaging.ReadAllAsync<AuditItem>(audit, query, partitionKey: null, cancellationToken)) items[item.Id] = item;
        }
        foreach (var item in items.Values)
        {
            var entry = item.Entry;
            var changed = entry with
            {
                ActorId = entry.ActorId == userId ? pseudonym : entry.ActorId,
                ActorEmail = entry.ActorId == userId ? "" : entry.ActorEmail,
                SubjectUserId = entry.SubjectUserId == userId ? pseudonym : entry.SubjectUserId,
                TargetId = entry.TargetId == userId ? pseudonym : entry.TargetId,
            };
            try
            {
                await audit.ReplaceItemAsync(Item(changed), item.Id, new PartitionKey(item.Shard), cancellationToken: cancellationToken);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // Gone meanwhile: nothing names the user there any more.
            }
        }
    }

    /// <summary>The shard of an entry id: the first byte of its SHA-256, modulo <see cref="Shards"/>, as two digits.</summary>
    public static string ShardOf(string id) =>
        (SHA256.HashData(Encoding.UTF8.GetBytes(id))[0] % Shards).ToString("00", CultureInfo.InvariantCulture);

    public static AuditItem Item(AuditEntry e) =>
        new(e.Id, ShardOf(e.Id), EntryType, e.At.ToUnixTimeMilliseconds(), e.ActorId, e.SubjectUserId, e);
}
