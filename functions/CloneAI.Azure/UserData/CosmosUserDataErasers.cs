using System.Net;
using System.Text.Json.Nodes;
using CloneAI.Azure.Cosmos;
using CloneAI.Azure.Users;
using CloneAI.Core.Blobs;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Privacy;
using Microsoft.Azure.Cosmos;
using CloneAI.Core.UserData;

namespace CloneAI.Azure.UserData;

/// <summary>Reading, deleting and pseudonymising raw Cosmos items (whatever their type) for the erasers.</summary>
internal static class CosmosItems
{
    public static async Task<List<JsonObject>> QueryAsync(Container container, QueryDefinition query, string? partition, CancellationToken cancellationToken)
    {
        var options = partition is null ? new QueryRequestOptions() : new QueryRequestOptions { PartitionKey = new PartitionKey(partition) };
        var result = new List<JsonObject>();
        using var iterator = container.GetItemQueryIterator<JsonObject>(query, requestOptions: options);
        while (iterator.HasMoreResults) result.AddRange(await iterator.ReadNextAsync(cancellationToken));
        return result;
    }

    public static Task<List<JsonObject>> WhereAsync(Container container, string field, string value, CancellationToken cancellationToken, string? partition = null) =>
        QueryAsync(container, new QueryDefinition($"SELECT * FROM c WHERE c.{field} = @value").WithParameter("@value", value), partition, cancellationToken);

    public static Task<List<JsonObject>> PartitionAsync(Container container, string partition, CancellationToken cancellationToken) =>
        QueryAsync(container, new QueryDefinition("SELECT * FROM c"), partition, cancellationToken);

    /// <summary>Every item of the container whose JSON names <paramref name="value"/> (a full scan: deletions are rare).</summary>
    public static async Task<List<JsonObject>> MentioningAsync(Container container, string value, CancellationToken cancellationToken) =>
        [.. (await QueryAsync(container, new QueryDefinition("SELECT * FROM c"), null, cancellationToken)).Where(i => i.ToJsonString().Contains(value, StringComparison.Ordinal))];

    public static async Task DeleteAsync(Container container, JsonObject item, string partitionProperty, CancellationToken cancellationToken)
    {
        try
        {
            await container.DeleteItemAsync<JsonObject>((string)item["id"]!, new PartitionKey((string)item[partitionProperty]!), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>
    /// Writes the item again with every mention of the user id replaced by the pseudonym (and <paramref name="change"/> applied).
    /// When that changes its partition key, the copy is created in the new partition before the original goes.
    /// </summary>
    public static async Task PseudonymiseAsync(Container container, JsonObject item, string partitionProperty, string userId, string pseudonym,
        CancellationToken cancellationToken, Action<JsonObject>? change = null)
    {
        foreach (var key in item.Select(p => p.Key).Where(k => k.StartsWith('_')).ToList()) item.Remove(key);
        var rewritten = JsonNode.Parse(item.ToJsonString().Replace(userId, pseudonym, StringComparison.Ordinal))!.AsObject();
        change?.Invoke(rewritten);
        var id = (string)rewritten["id"]!;
        var oldPartition = (string)item[partitionProperty]!;
        var newPartition = (string)rewritten[partitionProperty]!;
        if (oldPartition == newPartition && (string)item["id"]! == id)
        {
            try
            {
                await container.ReplaceItemAsync(rewritten, id, new PartitionKey(newPartition), cancellationToken: cancellationToken);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }
            return;
        }
        try
        {
            await container.CreateItemAsync(rewritten, new PartitionKey(newPartition), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Moved by a deletion that crashed after this step.
        }
        await DeleteAsync(container, item, partitionProperty, cancellationToken);
    }
}

/// <summary>
/// The user's sessions (their messages go, their usage events stay under the pseudonym), summaries, memories, per-clone settings
/// and checklist ticks. Other users' sessions with the user's clones stay theirs: the clone shows as "Deleted clone".
/// </summary>
public sealed class CosmosSessionDataEraser(CosmosContainers cosmos) : IUserDataEraser
{
    public const string DeletedCloneName = "Deleted clone";

    public string Name => "sessions";
    public int Order => 200;

    public async Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        var sessions = cosmos.Sessions;
        foreach (var session in await CosmosItems.WhereAsync(sessions, "userId", userId, cancellationToken))
        {
            foreach (var item in await CosmosItems.PartitionAsync(sessions, (string)session["sessionId"]!, cancellationToken))
            {
                if ((string?)item["type"] == Chat.CosmosSessionStore.UsageType) await CosmosItems.PseudonymiseAsync(sessions, item, "sessionId", userId, pseudonym, cancellationToken);
                else await CosmosItems.DeleteAsync(sessions, item, "sessionId", cancellationToken);
            }
        }
        foreach (var clone in await CosmosItems.WhereAsync(cosmos.Clones, "ownerId", userId, cancellationToken))
        {
            foreach (var session in await CosmosItems.WhereAsync(sessions, "cloneId", (string)clone["id"]!, cancellationToken))
            {
                foreach (var item in await CosmosItems.PartitionAsync(sessions, (string)session["sessionId"]!, cancellationToken))
                {
                    if ((string?)item["type"] == Chat.CosmosSessionStore.MessageType) continue;
                    await CosmosItems.PseudonymiseAsync(sessions, item, "sessionId", userId, pseudonym, cancellationToken, rewritten =>
                    {
                        if (rewritten["session"] is JsonObject s)
                        {
                            s["cloneName"] = DeletedCloneName;
                            s["cloneSlug"] = "";
                        }
                    });
                }
            }
        }
        foreach (var container in new[] { cosmos.Memories, cosmos.Summaries })
            foreach (var item in await CosmosItems.PartitionAsync(container, userId, cancellationToken))
                await CosmosItems.DeleteAsync(container, item, "userId", cancellationToken);
    }
}

/// <summary>
/// The user's clones, deleted ones included: their index chunks and blobs (<see cref="CloneContent"/>), their documents, their slug
/// reservations, and the clone itself; a clone that other users' sessions name stays as a tombstone without text.
/// </summary>
public sealed class CosmosCloneEraser(CosmosContainers cosmos, IKnowledgeIndex index, IBlobStore blobs, TimeProvider time) : IUserDataEraser
{
    public string Name => "clones";
    public int Order => 300;

    public async Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        var json = CosmosSystemTextJsonSerializer.CreateOptions();
        foreach (var item in await CosmosItems.WhereAsync(cosmos.Clones, "ownerId", userId, cancellationToken))
        {
            var clone = System.Text.Json.JsonSerializer.Deserialize<Clone>(item, json)!;
            var documents = await CosmosItems.PartitionAsync(cosmos.Documents, clone.Id, cancellationToken);
            var documentIds = documents.Where(d => d["blobPath"] is not null).Select(d => (string)d["id"]!).ToList();
            await CloneContent.EraseAsync(clone.Id, documentIds, clone.AvatarBlob, index, blobs, cancellationToken);
            foreach (var doc in documents) await CosmosItems.DeleteAsync(cosmos.Documents, doc, "cloneId", cancellationToken);
            foreach (var slug in await CosmosItems.WhereAsync(cosmos.Slugs, "ownerId", clone.Id, cancellationToken))
                await CosmosItems.DeleteAsync(cosmos.Slugs, slug, "id", cancellationToken);
            var used = (await CosmosItems.WhereAsync(cosmos.Sessions, "cloneId", clone.Id, cancellationToken)).Count > 0;
            if (!used)
            {
                await CosmosItems.DeleteAsync(cosmos.Clones, item, "id", cancellationToken);
                continue;
            }
            var tombstone = new Clone
            {
                Id = clone.Id, Slug = "deleted-" + clone.Id, OwnerId = pseudonym, Name = CosmosSessionDataEraser.DeletedCloneName, Category = clone.Category,
                Status = CloneStatus.Deleted, Pricing = clone.Pricing, CreatedAt = clone.CreatedAt, UpdatedAt = time.GetUtcNow(),
            };
            await cosmos.Clones.ReplaceItemAsync(tombstone, clone.Id, new PartitionKey(clone.Id), cancellationToken: cancellationToken);
        }
    }
}

/// <summary>
/// Money records that must be kept name the pseudonym instead of the user: ledger items (the wallet's and earnings' partitions
/// move to the pseudonym's), top-ups, payouts and the billing outbox; the payout account (bank details at the provider) goes.
/// </summary>
public sealed class CosmosLedgerPseudonymiser(CosmosContainers cosmos) : IUserDataEraser
{
    public string Name => "ledger";
    public int Order => 400;

    public async Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        foreach (var item in await CosmosItems.MentioningAsync(cosmos.Ledger, userId, cancellationToken))
            await CosmosItems.PseudonymiseAsync(cosmos.Ledger, item, "account", userId, pseudonym, cancellationToken);
        foreach (var item in await CosmosItems.PartitionAsync(cosmos.TopUps, userId, cancellationToken))
            await CosmosItems.PseudonymiseAsync(cosmos.TopUps, item, "userId", userId, pseudonym, cancellationToken);
        foreach (var item in await CosmosItems.PartitionAsync(cosmos.Payouts, userId, cancellationToken))
        {
            if ((string?)item["type"] == Billing.CosmosPayoutStore.AccountType) await CosmosItems.DeleteAsync(cosmos.Payouts, item, "creatorId", cancellationToken);
            else await CosmosItems.PseudonymiseAsync(cosmos.Payouts, item, "creatorId", userId, pseudonym, cancellationToken);
        }
        foreach (var item in await CosmosItems.MentioningAsync(cosmos.Billing, userId, cancellationToken))
            await CosmosItems.PseudonymiseAsync(cosmos.Billing, item, "id", userId, pseudonym, cancellationToken);
    }
}

/// <summary>The user record and its email reservation, last: from now on the user's tokens name no one.</summary>
public sealed class CosmosAccountEraser(CosmosContainers cosmos) : IUserDataEraser
{
    public string Name => "account";
    public int Order => 900;

    public async Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        foreach (var item in await CosmosItems.PartitionAsync(cosmos.Users, userId, cancellationToken))
        {
            if (item["email"] is JsonValue email)
            {
                var reservation = CosmosUserStore.EmailReservationId((string)email!);
                await CosmosItems.DeleteAsync(cosmos.Users, new JsonObject { ["id"] = reservation }, "id", cancellationToken);
            }
            await CosmosItems.DeleteAsync(cosmos.Users, item, "id", cancellationToken);
        }
    }
}
