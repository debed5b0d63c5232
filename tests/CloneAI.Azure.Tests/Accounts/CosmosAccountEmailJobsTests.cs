using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using CloneAI.Azure.Accounts;
using CloneAI.Azure.Cosmos;
using CloneAI.Azure.Tests.Cosmos;
using CloneAI.Azure.Users;
using CloneAI.Core.Accounts;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;
using static CloneAI.Azure.Tests.Cosmos.FakeCosmosGateway;

namespace CloneAI.Azure.Tests.Accounts;

/// <summary>Queued account emails in the users container: claimed with a lease on the job's ETag, deleted once sent, erased by address.</summary>
public sealed class CosmosAccountEmailJobsTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private readonly InMemoryContainer _users = new("id", typeof(AccountEmailJobDocument), typeof(CloneAI.Core.Domain.User));
    private readonly FakeCosmosGateway _gateway = new();
    private readonly List<CosmosClient> _clients = [];

    public void Dispose()
    {
        foreach (var client in _clients) client.Dispose();
        _gateway.Dispose();
    }

    private static AccountEmailJob Job(string id, string address, DateTimeOffset at, string kind = AccountEmailKinds.PasswordReset) => new(id, kind, address, at);

    [Fact]
    public async Task AClaimedJobIsHeldForItsLeaseCountedAndDeletedOnceSent()
    {
        var jobs = new CosmosAccountEmailJobs(_users.Object);
        await jobs.AddAsync(Job("j2", "b@example.com", Now.AddSeconds(1)));
        await jobs.AddAsync(Job("j1", "a@example.com", Now));
        await jobs.AddAsync(Job("j3", "c@example.com", Now.AddMinutes(5))); // not due yet

        var claimed = await jobs.ClaimAsync(Now.AddSeconds(1), Lease, 10);

        Assert.Equal([("j1", "a@example.com", 1), ("j2", "b@example.com", 1)], claimed.Select(j => (j.Id, j.Address, j.Attempts)));
        Assert.Equal(Now, claimed[0].CreatedAt);
        Assert.Empty(await jobs.ClaimAsync(Now.AddMinutes(1), Lease, 10)); // held by the lease
        Assert.All(_users.Documents(), d => Assert.Null(d["email"])); // never taken for a user
        Assert.Null(await new CosmosUserStore(_users.Object).GetAsync(CosmosAccountEmailJobs.IdPrefix + "j1"));

        await jobs.DeleteAsync("j1");
        await jobs.DeleteAsync("j1"); // gone already: nothing to do
        await jobs.ReleaseAsync("j2", Now.AddMinutes(1));
        var again = await jobs.ClaimAsync(Now.AddMinutes(5), Lease, 10);

        Assert.Equal([("j2", 2), ("j3", 1)], again.Select(j => (j.Id, j.Attempts)));
        Assert.Empty(await jobs.ClaimAsync(Now.AddMinutes(5), Lease, 10));
    }

    [Fact]
    public async Task ClaimsRacingOverTheSameJobsGiveEachJobToOneClaimer()
    {
        var jobs = new CosmosAccountEmailJobs(_users.Object);
        for (var i = 0; i < 40; i++) await jobs.AddAsync(Job($"j{i}", $"u{i}@example.com", Now.AddMilliseconds(i)));
        var instances = Enumerable.Range(0, 4).Select(_ => new CosmosAccountEmailJobs(_users.Object)).ToList();

        var claims = await Task.WhenAll(instances.Select(store => Task.Run(async () =>
        {
            var mine = new List<string>();
            for (var round = 0; round < 20; round++) mine.AddRange((await store.ClaimAsync(Now.AddSeconds(1), Lease, 5)).Select(j => j.Id));
            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(40, all.Distinct().Count());
    }

    [Fact]
    public async Task DeletingByAddressLeavesOtherAddressesJobs()
    {
        var jobs = new CosmosAccountEmailJobs(_users.Object);
        await jobs.AddAsync(Job("j1", "leaver@example.com", Now));
        await jobs.AddAsync(Job("j2", "leaver@example.com", Now, AccountEmailKinds.Verification));
        await jobs.AddAsync(Job("j3", "stayer@example.com", Now));

        Assert.Equal(2, await jobs.DeleteByAddressAsync("leaver@example.com"));

        Assert.Equal(["stayer@example.com"], _users.Documents().Select(d => (string?)d["address"]));
    }

    [Fact]
    public async Task ThroughTheSdkAClaimIsAReplaceOnTheJobsETagAndAnotherInstancesEarlierClaimIsSkipped()
    {
        var jobs = new CosmosAccountEmailJobs(Connect().Users);
        var rid = ContainerRid(AzureNames.UsersContainer);
        var stored = new[] { "j1", "j2" }.Select(id => Json(new AccountEmailJobDocument(CosmosAccountEmailJobs.IdPrefix + id,
            CosmosAccountEmailJobs.Type, AccountEmailKinds.PasswordReset, id + "@example.com", Now.ToUnixTimeMilliseconds(), 0, Now.ToUnixTimeMilliseconds()))).ToList();
        _gateway.OnDocuments = r => r switch
        {
            { IsQueryPlan: true } => Respond.Json(HttpStatusCode.OK, SimplePlan()),
            { IsQuery: true } => Respond.Page(rid, stored.Select((d, i) => { var copy = d.DeepClone().AsObject(); copy["_etag"] = $"\"e{i + 1}\""; return copy; }), null),
            _ when r.Method == HttpMethod.Put && r.DocumentId == CosmosAccountEmailJobs.IdPrefix + "j1" =>
                Respond.Error(HttpStatusCode.PreconditionFailed, "One of the specified pre-condition is not met."),
            _ when r.Method == HttpMethod.Put => Respond.Item(HttpStatusCode.OK, JsonNode.Parse(r.Body!)!.AsObject(), "\"e9\""),
            _ => Respond.Error(HttpStatusCode.NotFound, "Resource Not Found"),
        };

        var claimed = await jobs.ClaimAsync(Now, Lease, 10);

        var job = Assert.Single(claimed);
        Assert.Equal(("j2", 1), (job.Id, job.Attempts));
        var replaces = _gateway.DocumentRequests.Where(r => r.Method == HttpMethod.Put).ToList();
        Assert.Equal([(CosmosAccountEmailJobs.IdPrefix + "j1", "\"e1\""), (CosmosAccountEmailJobs.IdPrefix + "j2", "\"e2\"")],
            replaces.Select(r => (r.DocumentId!, r.Header("If-Match")!)));
        Assert.All(replaces, r => Assert.Equal($"[\"{r.DocumentId}\"]", r.PartitionKey));
        var sent = JsonNode.Parse(replaces[1].Body!)!;
        Assert.Equal((Now + Lease).ToUnixTimeMilliseconds(), (long)sent["dueAt"]!);
        var query = Assert.Single(_gateway.DocumentRequests, r => r.IsQuery);
        Assert.Null(query.PartitionKey); // across partitions: each job is its own
        Assert.Contains("c.type = @type", query.Body, StringComparison.Ordinal);
    }

    private CosmosContainers Connect()
    {
        var options = new CosmosOptions { ConnectionString = ConnectionString };
        var client = DependencyInjection.CreateCosmosClient(options, new Mock<TokenCredential>(MockBehavior.Strict).Object,
            () => new HttpClient(_gateway, disposeHandler: false));
        _clients.Add(client);
        return new CosmosContainers(client, Options.Create(options));
    }

    private static JsonObject Json<T>(T record) => JsonSerializer.SerializeToNode(record, CosmosSystemTextJsonSerializer.CreateOptions())!.AsObject();

    /// <summary>The gateway's query plan for a filter without ORDER BY, TOP or aggregates, over the whole key range.</summary>
    private static JsonObject SimplePlan() => new()
    {
        ["partitionedQueryExecutionInfoVersion"] = 2,
        ["queryInfo"] = new JsonObject
        {
            ["distinctType"] = "None",
            ["top"] = null,
            ["offset"] = null,
            ["limit"] = null,
            ["orderBy"] = new JsonArray(),
            ["orderByExpressions"] = new JsonArray(),
            ["groupByExpressions"] = new JsonArray(),
            ["groupByAliases"] = new JsonArray(),
            ["aggregates"] = new JsonArray(),
            ["groupByAliasToAggregateType"] = new JsonObject(),
            ["rewrittenQuery"] = "",
            ["hasSelectValue"] = false,
            ["dCountInfo"] = null,
            ["hasNonStreamingOrderBy"] = false,
        },
        ["queryRanges"] = new JsonArray(new JsonObject { ["min"] = "", ["max"] = "FF", ["isMinInclusive"] = true, ["isMaxInclusive"] = false }),
    };
}
