using System.Net;
using System.Text.Json.Nodes;
using CloneAI.Azure.Cosmos;
using CloneAI.Azure.Limits;
using CloneAI.Azure.Tests.Cosmos;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Tests.Limits;

/// <summary>
/// The rate window store on the real <see cref="CosmosClient"/> the Functions host builds, talking HTTP to a
/// <see cref="FakeCosmosGateway"/> that keeps the container <c>limits</c> with Cosmos's answers (404, 409 on a create race, 412
/// on a stale If-Match): concurrent acquires from two clients let exactly the limit through, every write names the document's
/// own partition, and every replace carries the ETag it read.
/// </summary>
public sealed class CosmosRateWindowSdkTests : IDisposable
{
    private readonly FakeCosmosGateway _gateway = new();
    private readonly List<CosmosClient> _clients = [];
    private readonly Dictionary<string, (JsonObject Document, string ETag)> _documents = new(StringComparer.Ordinal);
    private int _etag;

    public CosmosRateWindowSdkTests() => _gateway.OnDocuments = Answer;

    public void Dispose()
    {
        foreach (var client in _clients) client.Dispose();
        _gateway.Dispose();
    }

    private CosmosRateWindowStore Connect()
    {
        var options = new CosmosOptions { ConnectionString = FakeCosmosGateway.ConnectionString };
        var client = DependencyInjection.CreateCosmosClient(options, new Mock<global::Azure.Core.TokenCredential>(MockBehavior.Strict).Object,
            () => new HttpClient(_gateway, disposeHandler: false));
        _clients.Add(client);
        return new CosmosRateWindowStore(new CosmosContainers(client, Microsoft.Extensions.Options.Options.Create(options)).Limits);
    }

    /// <summary>Point reads, creates and conditional replaces of the limits container's documents.</summary>
    private HttpResponseMessage Answer(RecordedRequest r)
    {
        lock (_documents)
        {
            if (r.Container != AzureNames.LimitsContainer) return FakeCosmosGateway.Respond.Error(HttpStatusCode.NotFound, "Resource Not Found");
            if (r.Method == HttpMethod.Get && r.DocumentId is { } id)
                return _documents.TryGetValue(id, out var found)
                    ? FakeCosmosGateway.Respond.Item(HttpStatusCode.OK, found.Document.DeepClone().AsObject(), found.ETag)
                    : FakeCosmosGateway.Respond.Error(HttpStatusCode.NotFound, "Resource Not Found");
            var body = JsonNode.Parse(r.Body!)!.AsObject();
            var key = (string)body["id"]!;
            if (r.Method == HttpMethod.Post && r.DocumentId is null)
            {
                if (_documents.ContainsKey(key)) return FakeCosmosGateway.Respond.Error(HttpStatusCode.Conflict, "Entity with the specified id already exists in the system.");
                return Store(key, body, HttpStatusCode.Created);
            }
            if (r.Method == HttpMethod.Put && r.DocumentId == key)
            {
                if (!_documents.TryGetValue(key, out var current)) return FakeCosmosGateway.Respond.Error(HttpStatusCode.NotFound, "Resource Not Found");
                if (r.Header("If-Match") != current.ETag) return FakeCosmosGateway.Respond.Error(HttpStatusCode.PreconditionFailed, "One of the specified pre-condition is not met.");
                return Store(key, body, HttpStatusCode.OK);
            }
            return FakeCosmosGateway.Respond.Error(HttpStatusCode.BadRequest, $"Unexpected {r.Method} {r.Uri.AbsolutePath}");
        }
    }

    private HttpResponseMessage Store(string id, JsonObject body, HttpStatusCode status)
    {
        var etag = $"\"{++_etag}\"";
        _documents[id] = (body, etag);
        return FakeCosmosGateway.Respond.Item(status, body.DeepClone().AsObject(), etag);
    }

    [Fact]
    public async Task ConcurrentAcquiresFromTwoClientsLetExactlyTheLimitThrough()
    {
        const int limit = 4;
        var stores = new[] { Connect(), Connect() };
        var now = DateTimeOffset.Parse("2026-12-06T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var decisions = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => stores[i % 2].TryAcquireAsync("user|session|u-1", limit, TimeSpan.FromMinutes(1), now))));

        Assert.Equal(limit, decisions.Count(d => d.Allowed));
        var id = CosmosRateWindowStore.Id("user|session|u-1");
        var stored = Assert.Single(_documents).Value.Document;
        Assert.Equal(limit, stored["times"]!.AsArray().Count);
        Assert.Equal(61, (int)stored["ttl"]!);
        var writes = _gateway.DocumentRequests.Where(r => r.Method == HttpMethod.Post || r.Method == HttpMethod.Put).ToList();
        Assert.All(_gateway.DocumentRequests, r => Assert.Equal($"[\"{id}\"]", r.PartitionKey));
        Assert.All(writes.Where(w => w.Method == HttpMethod.Put), w => Assert.NotNull(w.Header("If-Match")));
        Assert.True(writes.Count >= limit);
    }
}
