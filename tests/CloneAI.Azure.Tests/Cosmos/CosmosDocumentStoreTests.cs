using System.Net;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Time.Testing;
using CloneAI.Azure.Knowledge;
using static CloneAI.Azure.Tests.Cosmos.CosmosMocks;

namespace CloneAI.Azure.Tests.Cosmos;

public sealed class CosmosDocumentStoreTests
{
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2025-03-01T12:00:00Z");

    private readonly Mock<Container> _documents = new(MockBehavior.Strict);
    private readonly CosmosDocumentStore _store;
    private readonly List<RecordedBatch> _batches = [];
    private readonly Queue<HttpStatusCode[]> _batchOutcomes = new();

    public CosmosDocumentStoreTests()
    {
        _store = new CosmosDocumentStore(_documents.Object, new FakeTimeProvider(Now));
        _documents.Setup(c => c.CreateTransactionalBatch(It.IsAny<PartitionKey>())).Returns((PartitionKey pk) => NewBatch(pk));
    }

    /// <summary>One transactional batch as the store built it: its partition and its operations in order.</summary>
    private sealed record RecordedBatch(PartitionKey PartitionKey, List<(string Kind, string Id, object? Item, string? IfMatch)> Operations);

    private TransactionalBatch NewBatch(PartitionKey pk)
    {
        var recorded = new RecordedBatch(pk, []);
        _batches.Add(recorded);
        var batch = new Mock<TransactionalBatch>(MockBehavior.Strict);
        batch.Setup(b => b.CreateItem(It.IsAny<DocumentHashReservation>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
            .Callback((DocumentHashReservation r, TransactionalBatchItemRequestOptions o) => recorded.Operations.Add(("create", r.Id, r, o?.IfMatchEtag)))
            .Returns(batch.Object);
        batch.Setup(b => b.CreateItem(It.IsAny<KnowledgeDocument>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
            .Callback((KnowledgeDocument d, TransactionalBatchItemRequestOptions o) => recorded.Operations.Add(("create", d.Id, d, o?.IfMatchEtag)))
            .Returns(batch.Object);
        batch.Setup(b => b.ReplaceItem(It.IsAny<string>(), It.IsAny<KnowledgeDocument>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
            .Callback((string id, KnowledgeDocument d, TransactionalBatchItemRequestOptions o) => recorded.Operations.Add(("replace", id, d, o?.IfMatchEtag)))
            .Returns(batch.Object);
        batch.Setup(b => b.DeleteItem(It.IsAny<string>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
            .Callback((string id, TransactionalBatchItemRequestOptions o) => recorded.Operations.Add(("delete", id, null, o?.IfMatchEtag)))
            .Returns(batch.Object);
        batch.Setup(b => b.ExecuteAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => BatchResponse(_batchOutcomes.Count > 0
                ? _batchOutcomes.Dequeue()
                : recorded.Operations.Select(o => o.Kind == "create" ? HttpStatusCode.Created : HttpStatusCode.OK).ToArray()));
        return batch.Object;
    }

    private static KnowledgeDocument Document(string id = "doc-1", string cloneId = "clone-1", string sha = Sha, string? etag = null) => new()
    {
        Id = id,
        CloneId = cloneId,
        OwnerId = "user-1",
        FileName = "notes.md",
        Title = "notes",
        Kind = DocumentKinds.Md,
        Size = 42,
        Sha256 = sha,
        BlobPath = WorkFiles.Original(cloneId, id, "notes.md"),
        Tags = ["math"],
        CreatedAt = Now,
        UpdatedAt = Now,
        ETag = etag,
    };

    private void Stored(KnowledgeDocument document, string etag) =>
        _documents.Setup(c => c.ReadItemAsync<KnowledgeDocument>(document.Id, It.Is<PartitionKey>(pk => pk == new PartitionKey(document.CloneId)), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(document with { ETag = null }, etag));

    private List<(QueryDefinition Query, string? Token, QueryRequestOptions Options)> CaptureQueries<T>(params FeedIterator<T>[] pages)
    {
        var calls = new List<(QueryDefinition, string?, QueryRequestOptions)>();
        var queue = new Queue<FeedIterator<T>>(pages);
        _documents.Setup(c => c.GetItemQueryIterator<T>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Callback<QueryDefinition, string, QueryRequestOptions>((q, t, o) => calls.Add((q, t, o)))
            .Returns(() => queue.Dequeue());
        return calls;
    }

    private static Dictionary<string, object> Parameters(QueryDefinition query) => query.GetQueryParameters().ToDictionary(p => p.Name, p => p.Value);

    [Fact]
    public async Task CreatingADocumentReservesItsHashAndWritesBothInOneBatchInTheClonePartition()
    {
        var created = await _store.CreateAsync(Document(etag: "\"stale\""));

        var batch = Assert.Single(_batches);
        Assert.Equal(new PartitionKey("clone-1"), batch.PartitionKey);
        Assert.Equal([("create", "sha|" + Sha), ("create", "doc-1")], batch.Operations.Select(o => (o.Kind, o.Id)));
        var reservation = Assert.IsType<DocumentHashReservation>(batch.Operations[0].Item);
        Assert.Equal(("clone-1", "doc-1", "sha256", Now), (reservation.CloneId, reservation.DocumentId, reservation.Type, reservation.ReservedAt));
        Assert.Null(Assert.IsType<KnowledgeDocument>(batch.Operations[1].Item).ETag);
        Assert.Equal("\"b1\"", created.ETag);
    }

    [Fact]
    public async Task TheSameContentTwiceInOneCloneIsAConflict()
    {
        _batchOutcomes.Enqueue([HttpStatusCode.Conflict, HttpStatusCode.FailedDependency]);

        var e = await Assert.ThrowsAsync<ConflictException>(() => _store.CreateAsync(Document()));

        Assert.Contains("same content", e.Message);
    }

    [Fact]
    public async Task AnExistingDocumentIdIsAConflictToo()
    {
        _batchOutcomes.Enqueue([HttpStatusCode.FailedDependency, HttpStatusCode.Conflict]);

        var e = await Assert.ThrowsAsync<ConflictException>(() => _store.CreateAsync(Document()));

        Assert.Contains("id already exists", e.Message);
    }

    [Fact]
    public async Task ThrottlingSurfacesAsACosmosExceptionForTheCallerToRetry()
    {
        _batchOutcomes.Enqueue([(HttpStatusCode)429, HttpStatusCode.FailedDependency]);

        var e = await Assert.ThrowsAsync<CosmosException>(() => _store.CreateAsync(Document()));

        Assert.Equal(429, (int)e.StatusCode);
    }

    [Theory]
    [InlineData("doc/1", "clone-1", Sha)]
    [InlineData("sha|abc", "clone-1", Sha)]
    [InlineData("doc-1", "clone?1", Sha)]
    [InlineData("doc-1", "clone-1", "a/b")]
    public async Task IdsCosmosCannotStoreAreRefusedBeforeAnyWrite(string id, string cloneId, string sha)
    {
        await Assert.ThrowsAsync<ValidationException>(() => _store.CreateAsync(Document(id, cloneId, sha)));

        Assert.Empty(_batches);
    }

    [Fact]
    public async Task GettingADocumentIsAPointReadInTheClonePartition()
    {
        Stored(Document(), "\"d1\"");

        var document = await _store.GetAsync("clone-1", "doc-1");

        Assert.Equal("\"d1\"", document!.ETag);
    }

    [Fact]
    public async Task AMissingDocumentOrAReservationIdIsNull()
    {
        _documents.Setup(c => c.ReadItemAsync<KnowledgeDocument>("nope", It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.NotFound));

        Assert.Null(await _store.GetAsync("clone-1", "nope"));
        Assert.Null(await _store.GetAsync("clone-1", "sha|" + Sha));
        Assert.Null(await _store.GetAsync("clone-1", "../doc-1"));
    }

    [Fact]
    public async Task FindingByHashReadsTheReservationThenTheDocument()
    {
        _documents.Setup(c => c.ReadItemAsync<DocumentHashReservation>("sha|" + Sha, It.Is<PartitionKey>(pk => pk == new PartitionKey("clone-1")), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(new DocumentHashReservation { Id = "sha|" + Sha, CloneId = "clone-1", DocumentId = "doc-1" }));
        Stored(Document(), "\"d1\"");

        var found = await _store.FindByHashAsync("clone-1", Sha);

        Assert.Equal("doc-1", found!.Id);
    }

    [Fact]
    public async Task AnUnknownHashFindsNothing()
    {
        _documents.Setup(c => c.ReadItemAsync<DocumentHashReservation>("sha|" + Sha, It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.NotFound));

        Assert.Null(await _store.FindByHashAsync("clone-1", Sha));
    }

    [Fact]
    public async Task ReplacingWithTheSameHashIsAConditionalReplaceOnTheETag()
    {
        Stored(Document(), "\"d1\"");
        _documents.Setup(c => c.ReplaceItemAsync(It.Is<KnowledgeDocument>(d => d.ETag == null && d.Status == DocumentStatus.Processing), "doc-1",
                It.Is<PartitionKey?>(pk => Is(pk, "clone-1")), It.Is<ItemRequestOptions>(o => o.IfMatchEtag == "\"d1\""), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(Document(), "\"d2\""));

        var replaced = await _store.ReplaceAsync(Document(etag: "\"d1\"") with { Status = DocumentStatus.Processing });

        Assert.Equal("\"d2\"", replaced.ETag);
        Assert.Equal(DocumentStatus.Processing, replaced.Status);
        Assert.Empty(_batches);
    }

    [Fact]
    public async Task AStaleETagIsAConflict()
    {
        Stored(Document(), "\"d2\"");

        await Assert.ThrowsAsync<ConflictException>(() => _store.ReplaceAsync(Document(etag: "\"d1\"")));
    }

    [Fact]
    public async Task APreconditionFailureOnReplaceIsAConflict()
    {
        Stored(Document(), "\"d1\"");
        _documents.Setup(c => c.ReplaceItemAsync(It.IsAny<KnowledgeDocument>(), "doc-1", It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.PreconditionFailed));

        var e = await Assert.ThrowsAsync<ConflictException>(() => _store.ReplaceAsync(Document(etag: "\"d1\"")));

        Assert.Contains("changed by another request", e.Message);
    }

    [Fact]
    public async Task ReplacingAMissingDocumentIsNotFound()
    {
        _documents.Setup(c => c.ReadItemAsync<KnowledgeDocument>("doc-1", It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.NotFound));

        await Assert.ThrowsAsync<NotFoundException>(() => _store.ReplaceAsync(Document(etag: "\"d1\"")));
    }

    [Fact]
    public async Task StoringTheRealHashOfAnUploadSwapsTheReservationsInOneBatch()
    {
        Stored(Document(sha: "pending:doc-1"), "\"d1\"");

        var replaced = await _store.ReplaceAsync(Document(etag: "\"d1\""));

        var batch = Assert.Single(_batches);
        Assert.Equal(new PartitionKey("clone-1"), batch.PartitionKey);
        Assert.Equal([("create", "sha|" + Sha, null), ("replace", "doc-1", "\"d1\""), ("delete", "sha|pending:doc-1", null)],
            batch.Operations.Select(o => (o.Kind, o.Id, o.IfMatch)));
        Assert.Equal("\"b1\"", replaced.ETag);
    }

    [Fact]
    public async Task StoringAHashAnotherDocumentHoldsIsAConflictAndChangesNothing()
    {
        Stored(Document(sha: "pending:doc-1"), "\"d1\"");
        _batchOutcomes.Enqueue([HttpStatusCode.Conflict, HttpStatusCode.FailedDependency, HttpStatusCode.FailedDependency]);

        var e = await Assert.ThrowsAsync<ConflictException>(() => _store.ReplaceAsync(Document(etag: "\"d1\"")));

        Assert.Contains("same content", e.Message);
    }

    [Fact]
    public async Task AnETagThatChangedDuringTheHashSwapIsAConflict()
    {
        Stored(Document(sha: "pending:doc-1"), "\"d1\"");
        _batchOutcomes.Enqueue([HttpStatusCode.FailedDependency, HttpStatusCode.PreconditionFailed, HttpStatusCode.FailedDependency]);

        var e = await Assert.ThrowsAsync<ConflictException>(() => _store.ReplaceAsync(Document(etag: "\"d1\"")));

        Assert.Contains("changed by another request", e.Message);
    }

    [Fact]
    public async Task AMissingOldReservationIsSkippedOnTheSecondTry()
    {
        Stored(Document(sha: "pending:doc-1"), "\"d1\"");
        _batchOutcomes.Enqueue([HttpStatusCode.FailedDependency, HttpStatusCode.FailedDependency, HttpStatusCode.NotFound]);

        await _store.ReplaceAsync(Document(etag: "\"d1\""));

        Assert.Equal(2, _batches.Count);
        Assert.Equal(["create", "replace"], _batches[1].Operations.Select(o => o.Kind));
    }

    [Fact]
    public async Task DeletingRemovesTheDocumentAndItsReservationTogether()
    {
        Stored(Document(), "\"d1\"");

        await _store.DeleteAsync("clone-1", "doc-1");

        var batch = Assert.Single(_batches);
        Assert.Equal(new PartitionKey("clone-1"), batch.PartitionKey);
        Assert.Equal([("delete", "doc-1", "\"d1\""), ("delete", "sha|" + Sha, null)], batch.Operations.Select(o => (o.Kind, o.Id, o.IfMatch)));
    }

    [Fact]
    public async Task DeletingAMissingDocumentDoesNothing()
    {
        _documents.Setup(c => c.ReadItemAsync<KnowledgeDocument>("doc-1", It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.NotFound));

        await _store.DeleteAsync("clone-1", "doc-1");

        Assert.Empty(_batches);
    }

    [Fact]
    public async Task ListingIsANewestFirstParameterisedQueryInTheClonePartition()
    {
        var calls = CaptureQueries(Feed<KnowledgeDocument>([Document()], "next"));

        var page = await _store.ListAsync("clone-1", new DocumentFilter(PageSize: 1, ContinuationToken: "t0"));

        var (query, token, options) = Assert.Single(calls);
        Assert.Equal("SELECT * FROM c WHERE c.cloneId = @cloneId AND IS_DEFINED(c.status) ORDER BY c.createdAt DESC", query.QueryText);
        Assert.Equal("clone-1", Parameters(query)["@cloneId"]);
        Assert.Equal("t0", token);
        Assert.Equal(new PartitionKey("clone-1"), options.PartitionKey);
        Assert.Equal(1, options.MaxItemCount);
        Assert.Equal("next", page.ContinuationToken);
        Assert.Equal(["doc-1"], page.Items.Select(d => d.Id));
    }

    [Fact]
    public async Task StatusAndTagFiltersAreParameters()
    {
        var calls = CaptureQueries(Feed<KnowledgeDocument>([], null));

        await _store.ListAsync("clone-1", new DocumentFilter(Status: "ready' OR 1=1 --", Tag: " Math "));

        var query = Assert.Single(calls).Query;
        Assert.Equal("SELECT * FROM c WHERE c.cloneId = @cloneId AND c.status = @status AND ARRAY_CONTAINS(c.tags, @tag) ORDER BY c.createdAt DESC", query.QueryText);
        var parameters = Parameters(query);
        Assert.Equal("ready' OR 1=1 --", parameters["@status"]);
        Assert.Equal("math", parameters["@tag"]);
    }

    [Fact]
    public async Task ShortPagesAreFilledFromTheContinuation()
    {
        var calls = CaptureQueries(
            Feed<KnowledgeDocument>([Document("a")], "t1"),
            Feed<KnowledgeDocument>([Document("b"), Document("c")], "t2"));

        var page = await _store.ListAsync("clone-1", new DocumentFilter(PageSize: 3));

        Assert.Equal(["a", "b", "c"], page.Items.Select(d => d.Id));
        Assert.Equal([null, "t1"], calls.Select(c => c.Token));
        Assert.Equal([3, 2], calls.Select(c => c.Options.MaxItemCount));
        Assert.Equal("t2", page.ContinuationToken);
    }

    [Fact]
    public async Task AForgedContinuationTokenIsAValidationError()
    {
        _documents.Setup(c => c.GetItemQueryIterator<KnowledgeDocument>(It.IsAny<QueryDefinition>(), "garbage", It.IsAny<QueryRequestOptions>()))
            .Throws(Error(HttpStatusCode.BadRequest));

        var e = await Assert.ThrowsAsync<ValidationException>(() => _store.ListAsync("clone-1", new DocumentFilter(ContinuationToken: "garbage")));

        Assert.Contains("continuationToken", e.Errors.Keys);
    }

    [Fact]
    public async Task UnfinishedDocumentsAreACrossPartitionQueryOnStatus()
    {
        var calls = CaptureQueries(Feed<KnowledgeDocument>([Document("a", "clone-1"), Document("b", "clone-2")]));

        var unfinished = await _store.ListUnfinishedAsync();

        var (query, _, options) = Assert.Single(calls);
        Assert.Equal("SELECT * FROM c WHERE c.status IN (@uploaded, @processing) ORDER BY c.createdAt ASC", query.QueryText);
        Assert.Equal(DocumentStatus.Uploaded, Parameters(query)["@uploaded"]);
        Assert.Equal(DocumentStatus.Processing, Parameters(query)["@processing"]);
        Assert.Null(options.PartitionKey);
        Assert.Equal(["clone-1", "clone-2"], unfinished.Select(d => d.CloneId));
    }

    [Fact]
    public async Task StatsComeFromOneGroupedAggregateQueryInTheClonePartition()
    {
        var calls = CaptureQueries(Feed<CosmosDocumentStore.DocumentStatsRow>(
        [
            new(DocumentStatus.Ready, "text-embedding-3-small", 3, 30, 3000, 3000),
            new(DocumentStatus.Ready, "snowflake-arctic-embed-xs", 1, 5, 400, 100),
            new(DocumentStatus.Uploaded, null, 2, 0, 0, 50),
            new(DocumentStatus.Processing, null, 1, 7, 700, 10),
            new(DocumentStatus.Failed, null, 1, 0, 0, 5),
        ]));

        var stats = await _store.GetStatsAsync("clone-1");

        var (query, _, options) = Assert.Single(calls);
        Assert.Contains("GROUP BY c.status, c.embeddingModel", query.QueryText);
        Assert.Contains("c.cloneId = @cloneId", query.QueryText);
        Assert.Equal("clone-1", Parameters(query)["@cloneId"]);
        Assert.Equal(new PartitionKey("clone-1"), options.PartitionKey);
        Assert.Equal((8, 4, 3, 1, 35, 3400L, 3165L), (stats.Documents, stats.Ready, stats.Processing, stats.Failed, stats.Chunks, stats.Tokens, stats.Bytes));
        Assert.Equal(["snowflake-arctic-embed-xs", "text-embedding-3-small"], stats.EmbeddingModels);
    }

    [Fact]
    public void TheStatsRowReadsWhatTheAggregateQueryReturns()
    {
        var serializer = new CosmosSystemTextJsonSerializer();
        using var json = new MemoryStream("""{"status":"ready","embeddingModel":"m","documents":2,"chunks":12,"tokens":1.5E3,"bytes":2048}"""u8.ToArray());

        var row = serializer.FromStream<CosmosDocumentStore.DocumentStatsRow>(json);

        Assert.Equal(new CosmosDocumentStore.DocumentStatsRow("ready", "m", 2, 12, 1500, 2048), row);
    }

    [Fact]
    public void ADocumentRoundTripsThroughTheSerializerWithItsPartitionKeyProperty()
    {
        var serializer = new CosmosSystemTextJsonSerializer();
        var document = Document(etag: "\"x\"") with { StageSeconds = new Dictionary<string, double> { ["embedding"] = 1.5 } };

        using var stream = serializer.ToStream(document);
        var json = System.Text.Json.Nodes.JsonNode.Parse(new StreamReader(stream).ReadToEnd())!;

        Assert.Equal("clone-1", (string?)json["cloneId"]);
        Assert.Equal(Sha, (string?)json["sha256"]);
        Assert.Null(json["_etag"]);
        Assert.Null(json["eTag"]);
        var back = serializer.FromStream<KnowledgeDocument>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString())));
        Assert.Equal(1.5, back.StageSeconds["embedding"]);
        Assert.Equal(["math"], back.Tags);
    }
}
