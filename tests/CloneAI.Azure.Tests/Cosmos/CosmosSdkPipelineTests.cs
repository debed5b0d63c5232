using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using CloneAI.Azure.Cosmos;
using CloneAI.Core;
using CloneAI.Core.Chat;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;
using CloneAI.Azure.Chat;
using CloneAI.Azure.Clones;
using CloneAI.Azure.Knowledge;
using CloneAI.Azure.Users;
using static CloneAI.Azure.Tests.Cosmos.FakeCosmosGateway;

namespace CloneAI.Azure.Tests.Cosmos;

/// <summary>
/// The stores on the real <see cref="CosmosClient"/> that <see cref="DependencyInjection.CreateCosmosClient(CosmosOptions, TokenCredential)"/>
/// builds, talking HTTP to a <see cref="FakeCosmosGateway"/>: what the SDK itself does with a 429, a 412, partition keys and
/// continuation tokens, which the Moq tests on <see cref="Container"/> cannot show.
/// </summary>
public sealed class CosmosSdkPipelineTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2025-03-01T12:00:00Z");

    private readonly FakeCosmosGateway _gateway = new();
    private readonly List<CosmosClient> _clients = [];

    public void Dispose()
    {
        foreach (var client in _clients) client.Dispose();
        _gateway.Dispose();
    }

    /// <summary>The containers of a client built as the Functions host builds it, sending through the fake gateway.</summary>
    private CosmosContainers Connect(Action<CosmosOptions>? configure = null)
    {
        var options = new CosmosOptions { ConnectionString = FakeCosmosGateway.ConnectionString };
        configure?.Invoke(options);
        var client = DependencyInjection.CreateCosmosClient(options, new Mock<TokenCredential>(MockBehavior.Strict).Object,
            () => new HttpClient(_gateway, disposeHandler: false));
        _clients.Add(client);
        return new CosmosContainers(client, Options.Create(options));
    }

    /// <summary>A record as the stores write it (camelCase, through the store's serializer).</summary>
    private static JsonObject Json<T>(T record) =>
        JsonSerializer.SerializeToNode(record, CosmosSystemTextJsonSerializer.CreateOptions())!.AsObject();

    private static JsonObject StoredUser() => Json(CosmosMocks.User() with { ETag = null });

    private static KnowledgeDocument Document(string id) => new()
    {
        Id = id,
        CloneId = "clone-1",
        OwnerId = "user-1",
        FileName = $"{id}.md",
        Title = id,
        Kind = DocumentKinds.Md,
        Sha256 = new string('a', 64),
        BlobPath = WorkFiles.Original("clone-1", id, $"{id}.md"),
        Status = DocumentStatus.Ready,
        CreatedAt = Now,
        UpdatedAt = Now,
    };

    private static ChatSession Session() => new()
    {
        Id = "session-1", UserId = "user-1", CloneId = "clone-1", CloneName = "Ada Bot", OwnerId = "user-1", StartedAt = Now, LastActivityAt = Now,
    };

    [Fact]
    public async Task AThrottledPointReadIsRetriedAfterTheWaitCosmosAsksForAndThenSucceeds()
    {
        var users = new CosmosUserStore(Connect().Users);
        var answers = 0;
        _gateway.OnDocuments = _ => ++answers <= 2 ? Respond.Throttled(retryAfterMs: 10) : Respond.Item(HttpStatusCode.OK, StoredUser(), "\"v3\"");

        var user = await users.GetAsync("user-1");

        Assert.Equal(("user-1", "\"v3\""), (user!.Id, user.ETag));
        var reads = _gateway.DocumentRequests;
        Assert.Equal(3, reads.Count);
        Assert.All(reads, r => Assert.Equal((HttpMethod.Get, "user-1", "[\"user-1\"]"), (r.Method, r.DocumentId, r.PartitionKey)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task AWriteThrottledPastTheRetryBudgetSurfacesThe429AfterOneTryAndTheConfiguredRetries(int retries)
    {
        var users = new CosmosUserStore(Connect(o => o.MaxRetryAttemptsOnRateLimitedRequests = retries).Users);
        _gateway.OnDocuments = _ => Respond.Throttled(retryAfterMs: 10);

        var e = await Assert.ThrowsAsync<CosmosException>(() => users.ReplaceAsync(CosmosMocks.User(etag: "\"v1\"")));

        Assert.Equal(HttpStatusCode.TooManyRequests, e.StatusCode);
        Assert.Equal(3200, e.SubStatusCode);
        var writes = _gateway.DocumentRequests;
        Assert.Equal(retries + 1, writes.Count);
        Assert.All(writes, r => Assert.Equal((HttpMethod.Put, "user-1", "\"v1\""), (r.Method, r.DocumentId, r.Header("If-Match"))));
    }

    [Fact]
    public async Task ThrottledRetriesStopOnceTheirWaitsWouldPassTheConfiguredMaximumWaitTime()
    {
        // 30 s by default would allow all 9 retries of 600 ms; one second allows one (0.6 s), not a second (1.2 s in all).
        var users = new CosmosUserStore(Connect(o => o.MaxRetryWaitTimeOnRateLimitedRequests = TimeSpan.FromSeconds(1)).Users);
        _gateway.OnDocuments = _ => Respond.Throttled(retryAfterMs: 600);

        var e = await Assert.ThrowsAsync<CosmosException>(() => users.GetAsync("user-1"));

        Assert.Equal(HttpStatusCode.TooManyRequests, e.StatusCode);
        var attempts = _gateway.DocumentRequests;
        Assert.Equal(2, attempts.Count);
        var waited = attempts[1].At - attempts[0].At;
        Assert.True(waited >= TimeSpan.FromMilliseconds(500), $"The retry came {waited.TotalMilliseconds} ms after the 429 that asked for 600 ms.");
    }

    [Fact]
    public async Task AReplaceOnAStaleETagIsA412FromCosmosThatSurfacesAsAConflictWithoutARetry()
    {
        var users = new CosmosUserStore(Connect().Users);
        _gateway.OnDocuments = r => r.Header("If-Match") == "\"v2\""
            ? Respond.Item(HttpStatusCode.OK, StoredUser(), "\"v3\"")
            : Respond.Error(HttpStatusCode.PreconditionFailed, "One of the specified pre-condition is not met.");

        await Assert.ThrowsAsync<ConflictException>(() => users.ReplaceAsync(CosmosMocks.User(etag: "\"v1\"")));

        var replace = Assert.Single(_gateway.DocumentRequests);
        Assert.Equal((HttpMethod.Put, "users", "user-1"), (replace.Method, replace.Container, replace.DocumentId));
        Assert.Equal("\"v1\"", replace.Header("If-Match"));
        Assert.Equal("[\"user-1\"]", replace.PartitionKey);
        Assert.Equal("user-1", JsonNode.Parse(replace.Body!)!["id"]!.GetValue<string>());
        Assert.Null(JsonNode.Parse(replace.Body!)!["_etag"]); // the ETag travels as If-Match, never in the document

        // The current ETag goes through: the check is Cosmos's, not the fake's refusing everything.
        Assert.Equal("\"v3\"", (await users.ReplaceAsync(CosmosMocks.User(etag: "\"v2\""))).ETag);
    }

    [Theory]
    [InlineData("user", AzureNames.UsersContainer, "user-1", "user-1")]
    [InlineData("clone", AzureNames.ClonesContainer, "clone-1", "clone-1")]
    [InlineData("document", AzureNames.DocumentsContainer, "doc-1", "clone-1")]
    [InlineData("session", AzureNames.SessionsContainer, "session-1", "session-1")]
    public async Task EachRecordIsAPointReadInItsContainerWithItsPartitionKeyOnTheWire(string kind, string container, string id, string partitionKey)
    {
        var cosmos = Connect();
        JsonObject stored = kind switch
        {
            "user" => StoredUser(),
            "clone" => Json(CosmosMocks.Clone()),
            "document" => Json(Document(id)),
            _ => Json(CosmosSessionStore.Item(Session())),
        };
        Func<Task<object?>> read = kind switch
        {
            "user" => async () => await new CosmosUserStore(cosmos.Users).GetAsync(id),
            "clone" => async () => await new CosmosCloneStore(cosmos.Clones, cosmos.Slugs, cosmos.Database).GetAsync(id),
            "document" => async () => await new CosmosDocumentStore(cosmos.Documents).GetAsync("clone-1", id),
            _ => async () => await new CosmosSessionStore(cosmos.Sessions).GetAsync(id),
        };
        _gateway.OnDocuments = r => r.DocumentId == id && r.Container == container
            ? Respond.Item(HttpStatusCode.OK, stored.DeepClone().AsObject(), "\"v1\"")
            : Respond.Error(HttpStatusCode.NotFound, "Resource Not Found");

        Assert.NotNull(await read());

        var request = Assert.Single(_gateway.DocumentRequests);
        Assert.Equal((HttpMethod.Get, container, id), (request.Method, request.Container, request.DocumentId));
        Assert.Equal(new JsonArray(partitionKey).ToJsonString(), request.PartitionKey);
        // The SDK looked up the container's partition key definition (the path the fake declares for it) before sending.
        Assert.Contains(_gateway.Requests, r => r.Uri.AbsolutePath == $"/dbs/{AzureNames.CosmosDatabase}/colls/{container}");
    }

    [Fact]
    public async Task CreatingAUserWritesTheEmailReservationAndTheUserEachInItsOwnPartition()
    {
        var users = new CosmosUserStore(Connect().Users);
        _gateway.OnDocuments = r => Respond.Item(HttpStatusCode.Created, JsonNode.Parse(r.Body!)!.AsObject(), "\"v1\"");

        var created = await users.CreateAsync(CosmosMocks.User());

        Assert.Equal("\"v1\"", created.ETag);
        var reservationId = CosmosUserStore.EmailReservationId("ada@example.com");
        Assert.Equal(
            [("POST", null, $"[\"{reservationId}\"]", reservationId), ("POST", null, "[\"user-1\"]", "user-1")],
            _gateway.DocumentRequests.Select(r => (r.Method.Method, r.DocumentId, r.PartitionKey, JsonNode.Parse(r.Body!)!["id"]!.GetValue<string>())));
    }

    [Fact]
    public async Task AQueryPageHandsBackTheContinuationCosmosSentAndPassingItBackResumesThere()
    {
        const string Continuation = "+RID:~ccZ1ANCszwQCAAAAAAAAAA==#RT:1#TRC:2#ISV:2#IEO:65567#QCF:8";
        var documents = new CosmosDocumentStore(Connect().Documents);
        var rid = ContainerRid(AzureNames.DocumentsContainer);
        _gateway.OnDocuments = r => r switch
        {
            { IsQueryPlan: true } => Respond.Json(HttpStatusCode.OK, OrderByCreatedAtPlan()),
            { IsQuery: true } when r.Header("x-ms-continuation") is null => Respond.Page(rid, [Json(Document("doc-3")), Json(Document("doc-2"))], Continuation),
            { IsQuery: true } when r.Header("x-ms-continuation") == Continuation => Respond.Page(rid, [Json(Document("doc-1"))], continuation: null),
            _ => Respond.Error(HttpStatusCode.BadRequest, "The continuation token is malformed."),
        };

        var first = await documents.ListAsync("clone-1", new DocumentFilter(PageSize: 2));
        var second = await documents.ListAsync("clone-1", new DocumentFilter(PageSize: 2, ContinuationToken: first.ContinuationToken));

        Assert.Equal(["doc-3", "doc-2"], first.Items.Select(d => d.Id));
        Assert.NotNull(first.ContinuationToken); // the SDK's token (Cosmos's, with the key range it belongs to), opaque to callers
        Assert.Equal(["doc-1"], second.Items.Select(d => d.Id));
        Assert.Null(second.ContinuationToken);
        var queries = _gateway.DocumentRequests;
        Assert.Equal(2, queries.Count);
        Assert.All(queries, q => Assert.True(q.IsQuery));
        Assert.All(queries, q => Assert.Equal("[\"clone-1\"]", q.PartitionKey)); // a single-partition query
        Assert.Equal([null, Continuation], queries.Select(q => q.Header("x-ms-continuation")));
        Assert.Equal(["2", "2"], queries.Select(q => q.Header("x-ms-max-item-count")));
    }

    [Fact]
    public async Task AShortPageIsToppedUpFromTheContinuationBeforeItIsReturned()
    {
        var documents = new CosmosDocumentStore(Connect().Documents);
        var rid = ContainerRid(AzureNames.DocumentsContainer);
        _gateway.OnDocuments = r => r switch
        {
            { IsQueryPlan: true } => Respond.Json(HttpStatusCode.OK, OrderByCreatedAtPlan()),
            { IsQuery: true } when r.Header("x-ms-continuation") is null => Respond.Page(rid, [], "+RID:~after-nothing#RT:1"),
            { IsQuery: true } when r.Header("x-ms-continuation") == "+RID:~after-nothing#RT:1" => Respond.Page(rid, [Json(Document("doc-1"))], "+RID:~after-doc-1#RT:2"),
            { IsQuery: true } when r.Header("x-ms-continuation") == "+RID:~after-doc-1#RT:2" => Respond.Page(rid, [Json(Document("doc-0"))], continuation: null),
            _ => Respond.Error(HttpStatusCode.BadRequest, "The continuation token is malformed."),
        };

        var page = await documents.ListAsync("clone-1", new DocumentFilter(PageSize: 3));

        Assert.Equal(["doc-1", "doc-0"], page.Items.Select(d => d.Id));
        Assert.Null(page.ContinuationToken);
        // Each follow-up asks only for what the page still lacks.
        Assert.Equal([(null, "3"), ("+RID:~after-nothing#RT:1", "3"), ("+RID:~after-doc-1#RT:2", "2")],
            _gateway.DocumentRequests.Select(q => (q.Header("x-ms-continuation"), q.Header("x-ms-max-item-count"))));
    }

    [Fact]
    public async Task AContinuationTheSdkCannotReadOrCosmosRefusesIsAValidationError()
    {
        var documents = new CosmosDocumentStore(Connect().Documents);
        _gateway.OnDocuments = r => r.IsQueryPlan
            ? Respond.Json(HttpStatusCode.OK, OrderByCreatedAtPlan())
            : Respond.Error(HttpStatusCode.BadRequest, "Invalid Continuation Token");

        var forged = await Assert.ThrowsAsync<ValidationException>(() => documents.ListAsync("clone-1", new DocumentFilter(ContinuationToken: "forged")));
        Assert.Contains("continuationToken", forged.Errors.Keys);
        Assert.Empty(_gateway.DocumentRequests); // refused by the SDK before anything is sent

        const string Stale = """[{"token":"+RID:~stale#RT:1","range":{"min":"","max":"FF"}}]""";
        var stale = await Assert.ThrowsAsync<ValidationException>(() => documents.ListAsync("clone-1", new DocumentFilter(ContinuationToken: Stale)));
        Assert.Contains("continuationToken", stale.Errors.Keys);
        Assert.Equal("+RID:~stale#RT:1", Assert.Single(_gateway.DocumentRequests).Header("x-ms-continuation"));
    }

    /// <summary>
    /// What the gateway answers a query-plan request (<c>x-ms-cosmos-is-query-plan-request</c>) for the knowledge list: an
    /// ORDER BY on <c>c.createdAt</c> over the whole key range. With a partition key and no aggregate the SDK then sends the
    /// query itself, unchanged, to that partition.
    /// </summary>
    private static JsonObject OrderByCreatedAtPlan() => new()
    {
        ["partitionedQueryExecutionInfoVersion"] = 2,
        ["queryInfo"] = new JsonObject
        {
            ["distinctType"] = "None",
            ["top"] = null,
            ["offset"] = null,
            ["limit"] = null,
            ["orderBy"] = new JsonArray("Descending"),
            ["orderByExpressions"] = new JsonArray("c.createdAt"),
            ["groupByExpressions"] = new JsonArray(),
            ["groupByAliases"] = new JsonArray(),
            ["aggregates"] = new JsonArray(),
            ["groupByAliasToAggregateType"] = new JsonObject(),
            ["rewrittenQuery"] = "SELECT c._rid, [{\"item\": c.createdAt}] AS orderByItems, c AS payload\nFROM c\n" +
                "WHERE ((c.cloneId = @cloneId) AND IS_DEFINED(c.status)) AND {documentdb-formattableorderbyquery-filter}\nORDER BY c.createdAt DESC",
            ["hasSelectValue"] = false,
            ["dCountInfo"] = null,
            ["hasNonStreamingOrderBy"] = false,
        },
        ["queryRanges"] = new JsonArray(new JsonObject { ["min"] = "", ["max"] = "FF", ["isMinInclusive"] = true, ["isMaxInclusive"] = false }),
    };
}
