using CloneAI.Azure.Audit;
using CloneAI.Azure.Tests.Cosmos;
using CloneAI.Core.Audit;
using Microsoft.Azure.Cosmos;
using static CloneAI.Azure.Tests.Cosmos.CosmosMocks;

namespace CloneAI.Azure.Tests.Audit;

/// <summary>The Cosmos audit log on an in-memory container with Cosmos's semantics (409 on an existing id in its partition).</summary>
public sealed class CosmosAuditLogTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);

    private readonly InMemoryContainer _container = new("shard", typeof(AuditItem));

    private CosmosAuditLog Log() => new(_container.Object);

    private static AuditEntry Entry(string id, int minute, string subject = "u1", string actor = "admin-1", string action = AuditActions.ConversationRead) => new()
    {
        Id = id, At = At.AddMinutes(minute), ActorId = actor, ActorEmail = actor + "@example.com", Action = action,
        TargetType = AuditTargets.Session, TargetId = "s-" + id, SubjectUserId = subject, Reason = "Report " + id,
    };

    [Fact]
    public async Task AnEntryAppendedTwiceIsStoredOnceInTheShardItsIdPicks()
    {
        var log = Log();
        await log.AppendAsync(Entry("e1", 1));
        await log.AppendAsync(Entry("e1", 1) with { Reason = "A retry" });

        var stored = Assert.Single(_container.Documents());
        Assert.Equal(CosmosAuditLog.ShardOf("e1"), (string?)stored["shard"]);
        Assert.Equal("Report e1", (string?)stored["entry"]!["reason"]);
        Assert.Equal(At.AddMinutes(1).ToUnixTimeMilliseconds(), (long)stored["atMs"]!);
    }

    [Fact]
    public void ShardsSpreadIdsAndAreStable()
    {
        var shards = Enumerable.Range(0, 200).Select(i => CosmosAuditLog.ShardOf($"entry-{i}")).ToHashSet();
        Assert.True(shards.Count > 8, $"only {shards.Count} shards used");
        Assert.All(shards, s => Assert.InRange(int.Parse(s, System.Globalization.CultureInfo.InvariantCulture), 0, CosmosAuditLog.Shards - 1));
        Assert.Equal(CosmosAuditLog.ShardOf("same"), CosmosAuditLog.ShardOf("same"));
    }

    [Fact]
    public async Task TheLogIsNewestFirstAndAUsersEntriesAreTheirsAlone()
    {
        var log = Log();
        await log.AppendAsync(Entry("e1", 1));
        await log.AppendAsync(Entry("e2", 3, subject: "u2"));
        await log.AppendAsync(Entry("e3", 2));

        Assert.Equal(["e2", "e3", "e1"], (await log.ListAsync(10, null)).Items.Select(e => e.Id));
        Assert.Equal(["e3", "e1"], (await log.ListForSubjectAsync("u1", 10)).Select(e => e.Id));
        Assert.Equal(["e3"], (await log.ListForSubjectAsync("u1", 1)).Select(e => e.Id));
        Assert.Empty(await log.ListForSubjectAsync("u3", 10));
    }

    [Fact]
    public async Task PseudonymisingRenamesTheUserAsActorAndSubjectAndDropsTheEmail()
    {
        var log = Log();
        await log.AppendAsync(Entry("e1", 1, subject: "u1"));
        await log.AppendAsync(Entry("e2", 2, subject: "u2", actor: "u1") with { TargetId = "u1" });
        await log.AppendAsync(Entry("e3", 3, subject: "u2"));

        await log.PseudonymiseAsync("u1", "deleted-1");
        await log.PseudonymiseAsync("u1", "deleted-1"); // a deletion run again

        var all = (await log.ListAsync(10, null)).Items.ToDictionary(e => e.Id);
        Assert.Equal(("deleted-1", "admin-1", "admin-1@example.com"), (all["e1"].SubjectUserId, all["e1"].ActorId, all["e1"].ActorEmail));
        Assert.Equal(("deleted-1", "", "deleted-1", "u2"), (all["e2"].ActorId, all["e2"].ActorEmail, all["e2"].TargetId, all["e2"].SubjectUserId));
        Assert.Equal("u2", all["e3"].SubjectUserId);
        Assert.Equal("Report e2", all["e2"].Reason); // what was done, and why, stays
        Assert.Empty(await log.ListForSubjectAsync("u1", 10));
        Assert.DoesNotContain(_container.Documents(), d => d.ToJsonString().Contains("\"u1\"", StringComparison.Ordinal) || d.ToJsonString().Contains("u1@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PagesAreReadAcrossShardsWithTheContinuationTokenOfCosmos()
    {
        var container = new Mock<Container>(MockBehavior.Strict);
        QueryDefinition? query = null;
        QueryRequestOptions? options = null;
        string? token = null;
        container.Setup(c => c.GetItemQueryIterator<AuditItem>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns((QueryDefinition q, string t, QueryRequestOptions o) =>
            {
                (query, token, options) = (q, t, o);
                return Feed<AuditItem>([CosmosAuditLog.Item(Entry("e9", 9))], "next-page");
            });

        var page = await new CosmosAuditLog(container.Object).ListAsync(1, "this-page");

        Assert.Equal("SELECT * FROM c WHERE c.type = @type ORDER BY c.atMs DESC", query!.QueryText);
        Assert.Equal("this-page", token);
        Assert.Null(options!.PartitionKey); // across every shard
        Assert.Equal(1, options.MaxItemCount);
        Assert.Equal(("e9", "next-page"), (Assert.Single(page.Items).Id, page.ContinuationToken));
    }
}
