using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloneAI.Azure.Cosmos;
using CloneAI.Core;

namespace CloneAI.Azure.Tests.Cosmos;

/// <summary>
/// A Cosmos DB gateway inside an <see cref="HttpMessageHandler"/>, for the real <c>CosmosClient</c> in gateway mode. It
/// answers the metadata the SDK reads before it touches a document, as the service and the emulator do: the account at the
/// endpoint root (one region, Session consistency, the query engine configuration), a container (its <c>_rid</c> and
/// partition key definition, hash version 2) and the container's partition key ranges (one range, "" to "FF", then 304 on
/// the incremental refresh). Every request under <c>/docs</c> (point operations, query plans, queries, batches) is recorded
/// and answered by <see cref="OnDocuments"/>; the <c>Respond</c> helpers build answers with the headers the SDK reads.
/// </summary>
internal sealed class FakeCosmosGateway : HttpMessageHandler
{
    public const string Endpoint = "https://127.0.0.1:8081/";
    public static readonly string ConnectionString =
        $"AccountEndpoint={Endpoint};AccountKey={Convert.ToBase64String(Encoding.ASCII.GetBytes("a fake account key for the fake gateway, 64 bytes long.........."))};";

    private const string DatabaseRid = "ccZ1AA==";

    /// <summary>Each container of the database: its partition key path and resource id (the database's four bytes, then four of its own).</summary>
    private static readonly Dictionary<string, (string PartitionKeyPath, string Rid)> Containers = new(StringComparer.Ordinal)
    {
        [AzureNames.UsersContainer] = (CosmosContainers.PartitionKeyPath, Rid(1)),
        [AzureNames.ClonesContainer] = (CosmosContainers.PartitionKeyPath, Rid(2)),
        [AzureNames.SlugsContainer] = (CosmosContainers.PartitionKeyPath, Rid(3)),
        [AzureNames.DocumentsContainer] = (CosmosContainers.DocumentsPartitionKeyPath, Rid(4)),
        [AzureNames.SessionsContainer] = (CosmosContainers.SessionsPartitionKeyPath, Rid(5)),
        [AzureNames.LedgerContainer] = (CosmosContainers.LedgerPartitionKeyPath, Rid(6)),
        [AzureNames.TopUpsContainer] = (CosmosContainers.TopUpsPartitionKeyPath, Rid(7)),
        [AzureNames.PayoutsContainer] = (CosmosContainers.PayoutsPartitionKeyPath, Rid(13)),
        [AzureNames.BillingContainer] = (CosmosContainers.PartitionKeyPath, Rid(9)),
        [AzureNames.MemoriesContainer] = (CosmosContainers.MemoriesPartitionKeyPath, Rid(15)),
        [AzureNames.SummariesContainer] = (CosmosContainers.SummariesPartitionKeyPath, Rid(14)),
        [AzureNames.AuditContainer] = (CosmosContainers.AuditPartitionKeyPath, Rid(17)),
        [AzureNames.ReportsContainer] = (CosmosContainers.ReportsPartitionKeyPath, Rid(18)),
        [AzureNames.VerificationsContainer] = (CosmosContainers.VerificationsPartitionKeyPath, Rid(19)),
        [AzureNames.PrivacyContainer] = (CosmosContainers.PrivacyPartitionKeyPath, Rid(20)),
        [AzureNames.LimitsContainer] = (CosmosContainers.LimitsPartitionKeyPath, Rid(22)),
    };

    private readonly Lock _lock = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly List<RecordedRequest> _requests = [];
    private long _lsn;

    /// <summary>Answers a request on documents (<c>dbs/{db}/colls/{container}/docs[/{id}]</c>).</summary>
    public Func<RecordedRequest, HttpResponseMessage> OnDocuments { get; set; } =
        _ => Respond.Error(HttpStatusCode.NotFound, "Resource Not Found");

    /// <summary>Every request the client sent, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_lock) return [.. _requests]; }
    }

    /// <summary>The requests on documents that are not query-plan requests: what reached the (fake) partition.</summary>
    public IReadOnlyList<RecordedRequest> DocumentRequests =>
        Requests.Where(r => r.Container is not null && r.IsDocuments && !r.IsQueryPlan).ToList();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, Headers(request), body, _clock.Elapsed);
        lock (_lock) _requests.Add(recorded);

        var response = Route(recorded);
        response.RequestMessage = request;
        response.Headers.TryAddWithoutValidation("x-ms-activity-id", recorded.Header("x-ms-activity-id") ?? Guid.NewGuid().ToString());
        if (!response.Headers.Contains("x-ms-request-charge")) response.Headers.TryAddWithoutValidation("x-ms-request-charge", "1");
        response.Headers.TryAddWithoutValidation("x-ms-gatewayversion", "2.0.0");
        // Session consistency: every answer from the partition (but a throttle, which never reached it) carries a session
        // token, range id 0 and a growing LSN, which the SDK sends back on later reads.
        if (recorded.IsDocuments && !recorded.IsQueryPlan && response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
            response.Headers.TryAddWithoutValidation("x-ms-session-token", $"0:-1#{Interlocked.Increment(ref _lsn)}");
        return response;
    }

    private HttpResponseMessage Route(RecordedRequest request)
    {
        var segments = request.Uri.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 && request.Method == HttpMethod.Get) return Respond.Json(HttpStatusCode.OK, Account());
        if (segments is ["dbs", var db] && request.Method == HttpMethod.Get)
            return Respond.Json(HttpStatusCode.OK, new JsonObject { ["id"] = db, ["_rid"] = DatabaseRid, ["_self"] = $"dbs/{DatabaseRid}/", ["_etag"] = "\"db\"", ["_colls"] = "colls/", ["_users"] = "users/", ["_ts"] = 1 });
        if (segments is ["dbs", _, "colls", var name] && request.Method == HttpMethod.Get)
        {
            return Containers.TryGetValue(name, out var container)
                ? Respond.Json(HttpStatusCode.OK, ContainerProperties(name, container.PartitionKeyPath, container.Rid))
                : Respond.Error(HttpStatusCode.NotFound, $"Container {name} does not exist");
        }
        if (segments is ["dbs", DatabaseRid, "colls", var rid, "pkranges"] && request.Method == HttpMethod.Get)
        {
            // The first read returns every range; an incremental read (A-IM with the ETag it was given) finds no change.
            if (request.Header("If-None-Match") is not null) return new HttpResponseMessage(HttpStatusCode.NotModified) { Content = new StringContent("") };
            var response = Respond.Json(HttpStatusCode.OK, PartitionKeyRanges(rid));
            response.Headers.ETag = new EntityTagHeaderValue("\"1\"");
            return response;
        }
        if (request.Container is not null && request.IsDocuments) return OnDocuments(request);
        return Respond.Error(HttpStatusCode.NotFound, $"The fake gateway does not serve {request.Method} {request.Uri.AbsolutePath}");
    }

    private static JsonObject Account() => new()
    {
        ["_self"] = "",
        ["id"] = "fake",
        ["_rid"] = "fake",
        ["media"] = "//media/",
        ["addresses"] = "//addresses/",
        ["_dbs"] = "//dbs/",
        ["writableLocations"] = new JsonArray(new JsonObject { ["name"] = "East US", ["databaseAccountEndpoint"] = Endpoint }),
        ["readableLocations"] = new JsonArray(new JsonObject { ["name"] = "East US", ["databaseAccountEndpoint"] = Endpoint }),
        ["enableMultipleWriteLocations"] = false,
        ["userReplicationPolicy"] = new JsonObject { ["asyncReplication"] = false, ["minReplicaSetSize"] = 1, ["maxReplicasetSize"] = 4 },
        ["userConsistencyPolicy"] = new JsonObject { ["defaultConsistencyLevel"] = "Session" },
        ["systemReplicationPolicy"] = new JsonObject { ["minReplicaSetSize"] = 1, ["maxReplicasetSize"] = 4 },
        ["readPolicy"] = new JsonObject { ["primaryReadCoefficient"] = 1, ["secondaryReadCoefficient"] = 1 },
        ["queryEngineConfiguration"] = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["maxSqlQueryInputLength"] = 262144, ["maxJoinsPerSqlQuery"] = 5, ["maxLogicalAndPerSqlQuery"] = 500,
            ["maxLogicalOrPerSqlQuery"] = 500, ["maxUdfRefPerSqlQuery"] = 10, ["maxInExpressionItemsCount"] = 16000,
            ["queryMaxInMemorySortDocumentCount"] = 500, ["maxQueryRequestTimeoutFraction"] = 0.9, ["sqlAllowNonFiniteNumbers"] = false,
            ["sqlAllowAggregateFunctions"] = true, ["sqlAllowSubQuery"] = true, ["sqlAllowScalarSubQuery"] = true, ["allowNewKeywords"] = true,
            ["sqlAllowLike"] = true, ["sqlAllowGroupByClause"] = true, ["maxSpatialQueryCells"] = 12, ["spatialMaxGeometryPointCount"] = 256,
            ["sqlDisableOptimizationFlags"] = 0, ["sqlAllowTop"] = true, ["enableSpatialIndexing"] = true,
        }),
    };

    private static JsonObject ContainerProperties(string name, string partitionKeyPath, string rid) => new()
    {
        ["id"] = name,
        ["_rid"] = rid,
        ["_self"] = $"dbs/{DatabaseRid}/colls/{rid}/",
        ["_etag"] = $"\"{name}\"",
        ["_ts"] = 1,
        ["_docs"] = "docs/",
        ["_sprocs"] = "sprocs/",
        ["_triggers"] = "triggers/",
        ["_udfs"] = "udfs/",
        ["_conflicts"] = "conflicts/",
        ["indexingPolicy"] = new JsonObject
        {
            ["indexingMode"] = "consistent",
            ["automatic"] = true,
            ["includedPaths"] = new JsonArray(new JsonObject { ["path"] = "/*" }),
            ["excludedPaths"] = new JsonArray(new JsonObject { ["path"] = "/\"_etag\"/?" }),
        },
        ["partitionKey"] = new JsonObject { ["paths"] = new JsonArray(partitionKeyPath), ["kind"] = "Hash", ["version"] = 2 },
        ["geospatialConfig"] = new JsonObject { ["type"] = "Geography" },
    };

    private static JsonObject PartitionKeyRanges(string containerRid) => new()
    {
        ["_rid"] = containerRid,
        ["PartitionKeyRanges"] = new JsonArray(new JsonObject
        {
            ["_rid"] = containerRid + "AgAAAAAAAAA=",
            ["id"] = "0",
            ["_etag"] = "\"range-0\"",
            ["minInclusive"] = "",
            ["maxExclusive"] = "FF",
            ["ridPrefix"] = 0,
            ["_self"] = $"dbs/{DatabaseRid}/colls/{containerRid}/pkranges/0/",
            ["throughputFraction"] = 1,
            ["status"] = "online",
            ["parents"] = new JsonArray(),
            ["_ts"] = 1,
        }),
        ["_count"] = 1,
    };

    /// <summary>A container's resource id: the database's four bytes, then four with the high bit set (which marks a collection).</summary>
    private static string Rid(byte container) =>
        Convert.ToBase64String([.. Convert.FromBase64String(DatabaseRid), 0xD0, 0xAC, 0xCF, container]);

    private static Dictionary<string, string> Headers(HttpRequestMessage request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers) headers[name] = string.Join(",", values);
        if (request.Content is not null)
            foreach (var (name, values) in request.Content.Headers) headers[name] = string.Join(",", values);
        return headers;
    }

    /// <summary>Responses with the headers the SDK reads.</summary>
    public static class Respond
    {
        public static HttpResponseMessage Json(HttpStatusCode status, JsonNode body) => new(status)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };

        /// <summary>A document as stored: its JSON with the system properties, and the ETag also as a header.</summary>
        public static HttpResponseMessage Item(HttpStatusCode status, JsonObject document, string etag)
        {
            document["_etag"] = etag;
            document["_ts"] = 1_735_689_600;
            var response = Json(status, document);
            response.Headers.ETag = new EntityTagHeaderValue(etag);
            return response;
        }

        /// <summary>One page of query results, with a continuation when there are more.</summary>
        public static HttpResponseMessage Page(string containerRid, IEnumerable<JsonObject> documents, string? continuation)
        {
            var items = new JsonArray([.. documents]);
            var response = Json(HttpStatusCode.OK, new JsonObject { ["_rid"] = containerRid, ["Documents"] = items, ["_count"] = items.Count });
            response.Headers.TryAddWithoutValidation("x-ms-item-count", items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (continuation is not null) response.Headers.TryAddWithoutValidation("x-ms-continuation", continuation);
            return response;
        }

        public static HttpResponseMessage Error(HttpStatusCode status, string message, int subStatus = 0)
        {
            var response = Json(status, new JsonObject { ["code"] = status.ToString(), ["message"] = message });
            if (subStatus != 0) response.Headers.TryAddWithoutValidation("x-ms-substatus", subStatus.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }

        /// <summary>429 Too Many Requests, asking the client to wait <paramref name="retryAfterMs"/> (substatus 3200: RU budget exhausted).</summary>
        public static HttpResponseMessage Throttled(int retryAfterMs = 10)
        {
            var response = Error(HttpStatusCode.TooManyRequests, "Request rate is large. More Request Units may be needed.", 3200);
            response.Headers.TryAddWithoutValidation("x-ms-retry-after-ms", retryAfterMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }
    }

    public static string ContainerRid(string container) => Containers[container].Rid;
}

/// <summary>One request as the fake gateway saw it, <see cref="At"/> how long after the gateway was made.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body, TimeSpan At)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    private string[] Segments => Uri.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The container named in the path (<c>dbs/{db}/colls/{container}/…</c>), if any.</summary>
    public string? Container => Segments is ["dbs", _, "colls", var container, ..] ? container : null;

    public bool IsDocuments => Segments is ["dbs", _, "colls", _, "docs", ..];

    /// <summary>The document id of a point operation (<c>…/docs/{id}</c>).</summary>
    public string? DocumentId => Segments is ["dbs", _, "colls", _, "docs", var id] ? Uri.UnescapeDataString(id) : null;

    public bool IsQuery => IsDocuments && Method == HttpMethod.Post && string.Equals(Header("x-ms-documentdb-isquery"), "True", StringComparison.OrdinalIgnoreCase);

    public bool IsQueryPlan => string.Equals(Header("x-ms-cosmos-is-query-plan-request"), "True", StringComparison.OrdinalIgnoreCase);

    public string? PartitionKey => Header("x-ms-documentdb-partitionkey");
}
