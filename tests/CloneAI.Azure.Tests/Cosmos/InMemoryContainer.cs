using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloneAI.Azure.Cosmos;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Tests.Cosmos;

/// <summary>
/// A Cosmos container in memory, behind a Moq <see cref="Container"/>, with the service's semantics where a store relies on
/// them: documents per logical partition (the value at <see cref="PartitionKeyProperty"/>), a new ETag on every write, 409 on
/// creating an id the partition holds, 412 on a stale If-Match, transactional batches that apply all their operations or none
/// (the first failing one carries its status, the others 424), and the few query shapes the ledger sends
/// (<c>SELECT [TOP @n] * | VALUE SUM(c.f) FROM c [WHERE c.f = @p AND …] [ORDER BY c.f [DESC]]</c>, in one partition or across
/// all); any other query throws, so a changed query cannot pass unnoticed. Documents go through the stores' serializer.
/// <see cref="Fault"/> can fail a write before it applies, as a crash or a lost connection would.
/// </summary>
internal sealed partial class InMemoryContainer
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Partition, string Id), JsonObject> _documents = [];
    private readonly List<(string Partition, IReadOnlyList<string> Operations, bool Committed)> _batches = [];
    private readonly JsonSerializerOptions _json = CosmosSystemTextJsonSerializer.CreateOptions();
    private long _etag;

    public InMemoryContainer(string partitionKeyProperty, params Type[] documentTypes)
    {
        PartitionKeyProperty = partitionKeyProperty;
        Mock.Setup(c => c.CreateTransactionalBatch(It.IsAny<PartitionKey>())).Returns((PartitionKey pk) => new Batch(this, pk));
        var support = typeof(InMemoryContainer).GetMethod(nameof(Support), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        foreach (var type in documentTypes) support.MakeGenericMethod(type).Invoke(this, null);
    }

    public string PartitionKeyProperty { get; }

    public Mock<Container> Mock { get; } = new(MockBehavior.Strict);

    public Container Object => Mock.Object;

    /// <summary>Called before every write (<c>create</c>, <c>delete</c>, <c>batch</c>) with the partition it goes to; an exception it returns is thrown instead.</summary>
    public Func<string, string, Exception?>? Fault { get; set; }

    /// <summary>Every batch executed: its partition, its operations (<c>create:{id}</c>, <c>replace:{id}:if-match</c>…) and whether it committed.</summary>
    public IReadOnlyList<(string Partition, IReadOnlyList<string> Operations, bool Committed)> Batches
    {
        get { lock (_lock) return [.. _batches]; }
    }

    /// <summary>The stored documents (copies) whose property <c>kind</c> is <paramref name="kind"/>, or all.</summary>
    public IReadOnlyList<JsonObject> Documents(string? kind = null)
    {
        lock (_lock)
            return _documents.Values.Where(d => kind is null || (string?)d["kind"] == kind).Select(d => d.DeepClone().AsObject()).ToList();
    }

    /// <summary>Rewrites a document unchanged, as another writer would: its ETag changes.</summary>
    public void Touch(string partition, string id)
    {
        lock (_lock) _documents[(partition, id)]["_etag"] = NextETag();
    }

    /// <summary>The partition of a document whose partition key is <paramref name="value"/>.</summary>
    public static string Partition(string value) => new PartitionKey(value).ToString();

    private void Support<T>()
    {
        Mock.Setup(c => c.ReadItemAsync<T>(It.IsAny<string>(), It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Returns((string id, PartitionKey pk, ItemRequestOptions _, CancellationToken _) => Task.FromResult(Read<T>(pk.ToString(), id)));
        Mock.Setup(c => c.CreateItemAsync(It.IsAny<T>(), It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Returns((T item, PartitionKey? pk, ItemRequestOptions _, CancellationToken _) => Task.FromResult(Create(item, pk)));
        Mock.Setup(c => c.DeleteItemAsync<T>(It.IsAny<string>(), It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Returns((string id, PartitionKey pk, ItemRequestOptions _, CancellationToken _) => Task.FromResult(Delete<T>(pk.ToString(), id)));
        Mock.Setup(c => c.ReplaceItemAsync(It.IsAny<T>(), It.IsAny<string>(), It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Returns((T item, string id, PartitionKey? pk, ItemRequestOptions options, CancellationToken _) => Task.FromResult(Replace(item, id, pk, options?.IfMatchEtag)));
        Mock.Setup(c => c.GetItemQueryIterator<T>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns((QueryDefinition query, string _, QueryRequestOptions options) => CosmosMocks.Feed(Query<T>(query, options?.PartitionKey)));
    }

    private ItemResponse<T> Read<T>(string partition, string id)
    {
        lock (_lock)
        {
            if (!_documents.TryGetValue((partition, id), out var document)) throw CosmosMocks.Error(HttpStatusCode.NotFound);
            return CosmosMocks.Item(document.Deserialize<T>(_json)!, (string)document["_etag"]!);
        }
    }

    private ItemResponse<T> Create<T>(T item, PartitionKey? pk)
    {
        var document = Serialize(item);
        var partition = pk?.ToString() ?? PartitionOf(document);
        if (Fault?.Invoke("create", partition) is { } fault) throw fault;
        lock (_lock)
        {
            if (PartitionOf(document) != partition) throw CosmosMocks.Error(HttpStatusCode.BadRequest);
            var key = (partition, (string)document["id"]!);
            if (_documents.ContainsKey(key)) throw CosmosMocks.Error(HttpStatusCode.Conflict);
            document["_etag"] = NextETag();
            _documents[key] = document;
            return CosmosMocks.Item(document.Deserialize<T>(_json)!, (string)document["_etag"]!, HttpStatusCode.Created);
        }
    }

    /// <summary>Replaces an existing document (404 when there is none, 412 when <paramref name="ifMatch"/> is stale).</summary>
    private ItemResponse<T> Replace<T>(T item, string id, PartitionKey? pk, string? ifMatch)
    {
        var document = Serialize(item);
        var partition = pk?.ToString() ?? PartitionOf(document);
        if (Fault?.Invoke("replace", partition) is { } fault) throw fault;
        lock (_lock)
        {
            if (PartitionOf(document) != partition || (string?)document["id"] != id) throw CosmosMocks.Error(HttpStatusCode.BadRequest);
            if (!_documents.TryGetValue((partition, id), out var current)) throw CosmosMocks.Error(HttpStatusCode.NotFound);
            if (ifMatch is not null && ifMatch != (string?)current["_etag"]) throw CosmosMocks.Error(HttpStatusCode.PreconditionFailed);
            document["_etag"] = NextETag();
            _documents[(partition, id)] = document;
            return CosmosMocks.Item(document.Deserialize<T>(_json)!, (string)document["_etag"]!);
        }
    }

    private ItemResponse<T> Delete<T>(string partition, string id)
    {
        if (Fault?.Invoke("delete", partition) is { } fault) throw fault;
        lock (_lock)
        {
            if (!_documents.Remove((partition, id))) throw CosmosMocks.Error(HttpStatusCode.NotFound);
            return CosmosMocks.Item<T>(default!, "", HttpStatusCode.NoContent);
        }
    }

    /// <summary>Applies the operations in order on a copy of the partition; the first failure discards them all.</summary>
    private TransactionalBatchResponse Execute(string partition, List<Operation> operations)
    {
        if (Fault?.Invoke("batch", partition) is { } fault) throw fault;
        lock (_lock)
        {
            var statuses = Enumerable.Repeat(HttpStatusCode.FailedDependency, operations.Count).ToArray();
            var staged = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
            JsonObject? Current(string id) => staged.TryGetValue(id, out var d) ? d : _documents.GetValueOrDefault((partition, id));
            for (var i = 0; i < operations.Count; i++)
            {
                var op = operations[i];
                var current = Current(op.Id);
                HttpStatusCode status;
                if (op.Document is not null && PartitionOf(op.Document) != partition) status = HttpStatusCode.BadRequest;
                else if (op.Kind == "create") status = current is null ? HttpStatusCode.Created : HttpStatusCode.Conflict;
                else if (current is null) status = HttpStatusCode.NotFound;
                else if (op.IfMatch is not null && op.IfMatch != (string?)current["_etag"]) status = HttpStatusCode.PreconditionFailed;
                else status = op.Kind == "delete" ? HttpStatusCode.NoContent : HttpStatusCode.OK;
                if ((int)status >= 300)
                {
                    statuses[i] = status;
                    _batches.Add((partition, operations.Select(o => o.Describe()).ToList(), false));
                    return CosmosMocks.BatchResponse(statuses);
                }
                statuses[i] = status;
                if (op.Document is { } document) document["_etag"] = NextETag();
                staged[op.Id] = op.Document;
            }
            foreach (var (id, document) in staged)
            {
                if (document is null) _documents.Remove((partition, id));
                else _documents[(partition, id)] = document;
            }
            _batches.Add((partition, operations.Select(o => o.Describe()).ToList(), true));
            return CosmosMocks.BatchResponse(statuses);
        }
    }

    private List<T> Query<T>(QueryDefinition query, PartitionKey? pk)
    {
        var match = QueryShape().Match(query.QueryText);
        if (!match.Success) throw new NotSupportedException($"The in-memory container does not run '{query.QueryText}'.");
        var parameters = query.GetQueryParameters().ToDictionary(p => p.Name, p => JsonSerializer.SerializeToNode(p.Value, _json));
        JsonNode? Value(string token) => token.StartsWith('@') ? parameters[token] : JsonNode.Parse(token.Replace('\'', '"'));
        var conditions = match.Groups["where"].Success
            ? match.Groups["where"].Value.Split(" AND ").Select(c => Condition().Match(c)).Select(m => m.Success
                ? (Field: m.Groups["field"].Value, Less: m.Groups["op"].Value == "<", Value: Value(m.Groups["value"].Value))
                : throw new NotSupportedException($"The in-memory container does not run the condition in '{query.QueryText}'.")).ToList()
            : [];
        List<JsonObject> rows;
        lock (_lock)
        {
            rows = _documents.Where(d => pk is null || d.Key.Partition == pk.Value.ToString()).Select(d => d.Value)
                .Where(d => conditions.All(c => c.Less
                    ? d[c.Field] is JsonValue v && v.GetValue<long>() < c.Value!.GetValue<long>()
                    : JsonNode.DeepEquals(d[c.Field], c.Value)))
                .Select(d => d.DeepClone().AsObject()).ToList();
        }
        if (match.Groups["order"].Success)
        {
            var field = match.Groups["order"].Value;
            rows = match.Groups["desc"].Success ? [.. rows.OrderByDescending(r => r[field]!.GetValue<long>())] : [.. rows.OrderBy(r => r[field]!.GetValue<long>())];
        }
        if (match.Groups["top"].Success) rows = rows.Take(Value(match.Groups["top"].Value)!.GetValue<int>()).ToList();
        if (match.Groups["sum"].Success)
        {
            if (rows.Count == 0) return [];
            var sum = rows.Sum(r => r[match.Groups["sum"].Value]!.GetValue<long>());
            return [JsonSerializer.SerializeToNode(sum)!.Deserialize<T>(_json)!];
        }
        return rows.Select(r => r.Deserialize<T>(_json)!).ToList();
    }

    private JsonObject Serialize<T>(T item) => JsonSerializer.SerializeToNode(item, _json)!.AsObject();

    private string PartitionOf(JsonObject document) => Partition((string)document[PartitionKeyProperty]!);

    private string NextETag() => $"\"{Interlocked.Increment(ref _etag)}\"";

    [GeneratedRegex(@"^SELECT (TOP (?<top>@\w+|\d+) )?(\*|VALUE SUM\(c\.(?<sum>\w+)\)) FROM c( WHERE (?<where>.+?))?( ORDER BY c\.(?<order>\w+)( (?<desc>DESC)| ASC)?)?$")]
    private static partial Regex QueryShape();

    [GeneratedRegex(@"^c\.(?<field>\w+) (?<op>=|<) (?<value>@\w+|'[^']*'|-?\d+)$")]
    private static partial Regex Condition();

    private sealed record Operation(string Kind, string Id, JsonObject? Document, string? IfMatch)
    {
        public string Describe() => IfMatch is null ? $"{Kind}:{Id}" : $"{Kind}:{Id}:if-match";
    }

    /// <summary>A batch that records its operations and applies them when executed.</summary>
    private sealed class Batch(InMemoryContainer container, PartitionKey partitionKey) : TransactionalBatch
    {
        private readonly List<Operation> _operations = [];

        public override TransactionalBatch CreateItem<T>(T item, TransactionalBatchItemRequestOptions? requestOptions = null) =>
            Add("create", null, container.Serialize(item), requestOptions);

        public override TransactionalBatch ReplaceItem<T>(string id, T item, TransactionalBatchItemRequestOptions? requestOptions = null) =>
            Add("replace", id, container.Serialize(item), requestOptions);

        public override TransactionalBatch UpsertItem<T>(T item, TransactionalBatchItemRequestOptions? requestOptions = null) =>
            throw new NotSupportedException("Upsert in a batch");

        public override TransactionalBatch DeleteItem(string id, TransactionalBatchItemRequestOptions? requestOptions = null) =>
            Add("delete", id, null, requestOptions);

        public override TransactionalBatch ReadItem(string id, TransactionalBatchItemRequestOptions? requestOptions = null) => throw new NotSupportedException();
        public override TransactionalBatch CreateItemStream(Stream streamPayload, TransactionalBatchItemRequestOptions? requestOptions = null) => throw new NotSupportedException();
        public override TransactionalBatch UpsertItemStream(Stream streamPayload, TransactionalBatchItemRequestOptions? requestOptions = null) => throw new NotSupportedException();
        public override TransactionalBatch ReplaceItemStream(string id, Stream streamPayload, TransactionalBatchItemRequestOptions? requestOptions = null) => throw new NotSupportedException();
        public override TransactionalBatch PatchItem(string id, IReadOnlyList<PatchOperation> patchOperations, TransactionalBatchPatchItemRequestOptions? requestOptions = null) => throw new NotSupportedException();

        public override Task<TransactionalBatchResponse> ExecuteAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(container.Execute(partitionKey.ToString(), _operations));

        public override Task<TransactionalBatchResponse> ExecuteAsync(TransactionalBatchRequestOptions requestOptions, CancellationToken cancellationToken = default) =>
            ExecuteAsync(cancellationToken);

        private Batch Add(string kind, string? id, JsonObject? document, TransactionalBatchItemRequestOptions? options)
        {
            _operations.Add(new Operation(kind, id ?? (string)document!["id"]!, document, options?.IfMatchEtag));
            return this;
        }
    }
}
