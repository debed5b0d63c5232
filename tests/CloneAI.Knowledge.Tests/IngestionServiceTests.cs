using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloneAI.Core.Blobs;
using CloneAI.Core.Realtime;
using CloneAI.Core;
using CloneAI.Core.Chat;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Knowledge.Tests;

/// <summary>
/// <see cref="IngestionService"/>, step by step, over mocked ports: the document store and blob store keep what they are given
/// (so one step reads what the previous one wrote), the extractor, chunker and embedder return made-up results, and the index
/// and realtime hub record their calls. The service is built by Core's own registration, so it gets whatever it needs.
/// </summary>
public sealed class IngestionServiceTests : IDisposable
{
    private const string CloneId = "clone-1";
    private const string DocumentId = "doc-1";
    private const string OwnerId = "owner-1";
    private const string OriginalPath = "knowledge/clone-1/doc-1/field-notes.txt";
    private const string Text = "Ada wrote the first program. Babbage designed the engine. They wrote letters about it for years.";
    private static readonly IngestionInput Input = new(CloneId, DocumentId, 2);
    private static readonly EmbeddingModelInfo Model = new("test-embedder", 3);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));
    private readonly KnowledgeOptions _options = new() { EmbedBatchChunks = 2, SegmentVectors = false };
    private readonly Mock<IDocumentStore> _documents = new();
    private readonly Mock<IBlobStore> _blobs = new();
    private readonly Mock<ITextExtractor> _extractor = new();
    private readonly Mock<IChunker> _chunker = new();
    private readonly Mock<IKnowledgeEmbedder> _embedder = new();
    private readonly Mock<IKnowledgeIndex> _index = new();
    private readonly Mock<IRealtimeHub> _hub = new();
    private readonly ServiceProvider _provider;

    private KnowledgeDocument? _stored;
    private readonly List<KnowledgeDocument> _writes = [];
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly List<(string Group, JsonElement Frame)> _frames = [];
    private readonly List<IReadOnlyList<IndexedChunk>> _upserts = [];
    private readonly List<IReadOnlyList<string>> _embedded = [];

    public IngestionServiceTests()
    {
        _documents.Setup(d => d.GetAsync(CloneId, DocumentId, It.IsAny<CancellationToken>())).ReturnsAsync(() => _stored);
        _documents.Setup(d => d.ReplaceAsync(It.IsAny<KnowledgeDocument>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((KnowledgeDocument d, CancellationToken _) =>
            {
                _stored = d with { ETag = $"\"{_writes.Count + 2}\"" };
                _writes.Add(_stored);
                return _stored;
            });
        _documents.Setup(d => d.FindByHashAsync(CloneId, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((KnowledgeDocument?)null);

        _blobs.Setup(b => b.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string path, CancellationToken _) => _files.TryGetValue(path, out var data) ? new BlobContent(data, "application/octet-stream") : null);
        _blobs.Setup(b => b.PutAsync(It.IsAny<string>(), It.IsAny<byte[]>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string path, byte[] data, string _, CancellationToken _) => _files[path] = data)
            .Returns(Task.CompletedTask);
        _blobs.Setup(b => b.DeletePrefixAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string prefix, CancellationToken _) =>
            {
                foreach (var path in _files.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToList()) _files.Remove(path);
            })
            .Returns(Task.CompletedTask);

        _extractor.Setup(e => e.Extract(It.IsAny<byte[]>(), DocumentKinds.Txt))
            .Returns(new ExtractedText(Text, [new PageSpan(1, 0, Text.Length)], [], "Field Notes of Ada"));
        _chunker.Setup(c => c.Chunk(DocumentId, It.IsAny<ExtractedText>())).Returns((string id, ExtractedText text) => Chunks(id, text.Text, 5));

        _embedder.Setup(e => e.Model).Returns(Model);
        _embedder.Setup(e => e.EmbedPassagesAsync(It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyList<string> texts, CancellationToken _) =>
            {
                _embedded.Add([.. texts]);
                return [.. texts.Select(VectorOf)];
            });

        _index.Setup(i => i.UpsertDocumentAsync(CloneId, DocumentId, Model, It.IsAny<IReadOnlyList<IndexedChunk>>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, EmbeddingModelInfo _, IReadOnlyList<IndexedChunk> chunks, CancellationToken _) => _upserts.Add(chunks))
            .Returns(Task.CompletedTask);
        _index.Setup(i => i.DeleteDocumentAsync(CloneId, DocumentId, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        _hub.Setup(h => h.SendToGroupAsync(It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback((string group, object frame, CancellationToken _) =>
                _frames.Add((group, JsonSerializer.SerializeToElement(frame, new JsonSerializerOptions(JsonSerializerDefaults.Web)))))
            .Returns(Task.CompletedTask);

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddCloneAICore();
        services.Configure<KnowledgeOptions>(o =>
        {
            o.EmbedBatchChunks = _options.EmbedBatchChunks;
            o.SegmentVectors = _options.SegmentVectors;
            o.MaxFileBytes = _options.MaxFileBytes;
        });
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(_documents.Object);
        services.AddSingleton(_blobs.Object);
        services.AddSingleton(_extractor.Object);
        services.AddSingleton(_chunker.Object);
        services.AddSingleton(_embedder.Object);
        services.AddSingleton(_index.Object);
        services.AddSingleton(_hub.Object);
        services.AddSingleton(Mock.Of<IEmbeddingUsageStore>()); // no embedding work used yet today: every run is within the budget
        _provider = services.BuildServiceProvider();
    }

    public void Dispose() => _provider.Dispose();

    /// <summary>Built on first use, so a test may change <see cref="_options"/> before.</summary>
    private IngestionService Service => _provider.GetRequiredService<IngestionService>();

    /// <summary>The document as the upload left it: generation 2, queued, its original in the blob store.</summary>
    private KnowledgeDocument Seed(Func<KnowledgeDocument, KnowledgeDocument>? change = null, byte[]? original = null)
    {
        var data = original ?? Encoding.UTF8.GetBytes(Text);
        var doc = new KnowledgeDocument
        {
            Id = DocumentId, CloneId = CloneId, OwnerId = OwnerId, FileName = "field-notes.txt", Title = "field-notes",
            Kind = DocumentKinds.Txt, Size = data.Length, Sha256 = "sha-of-upload", BlobPath = OriginalPath, Generation = 2,
            CreatedAt = _time.GetUtcNow(), UpdatedAt = _time.GetUtcNow(), ETag = "\"1\"",
        };
        _stored = change is null ? doc : change(doc);
        _files[OriginalPath] = data;
        return _stored;
    }

    private static List<TextChunk> Chunks(string documentId, string text, int count)
    {
        var size = text.Length / count;
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var start = i * size;
            var end = i == count - 1 ? text.Length : start + size;
            return new TextChunk(TextChunk.MakeId(documentId, i), documentId, i, start, end, 1, "", text[start..end], 10 + i);
        })];
    }

    /// <summary>A made-up vector that differs per text, so the index test can tell which chunk got which vector.</summary>
    private static float[] VectorOf(string text) => [text.Length, text[0], 1];

    private async Task<ChunkResult> ExtractAndChunkAsync()
    {
        await Service.ExtractAsync(Input);
        return await Service.ChunkAsync(Input);
    }

    private async Task EmbedAllAsync(ChunkResult chunks)
    {
        for (var batch = 0; batch < chunks.BatchCount; batch++)
            await Service.EmbedBatchAsync(new EmbedBatchInput(CloneId, DocumentId, Input.Generation, batch), Input, chunks.BatchCount);
    }

    private IEnumerable<string> WorkFilesLeft() => _files.Keys.Where(p => p != OriginalPath);

    // ---- extract

    [Fact]
    public async Task ExtractingStoresTheTextAndMovesTheDocumentToChunking()
    {
        Seed();

        await Service.ExtractAsync(Input);

        var first = _writes[0];
        Assert.Equal((DocumentStatus.Processing, IngestionStage.Extracting, 5), (first.Status, first.Stage, first.Progress));
        Assert.Equal((DocumentStatus.Processing, IngestionStage.Chunking, 20, 1), (_stored!.Status, _stored.Stage, _stored.Progress, _stored.PageCount));
        Assert.Equal("Field Notes of Ada", _stored.Title); // the file's own title replaces the file name
        Assert.Null(_stored.Error);
        Assert.Contains(IngestionStage.Extracting, _stored.StageSeconds.Keys);
        Assert.All(_writes, w => Assert.Equal(_time.GetUtcNow(), w.UpdatedAt));
        var extracted = Assert.Single(WorkFilesLeft());
        Assert.Equal(Text, JsonDocument.Parse(_files[extracted]).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task ATitleTheCreatorGaveIsKept()
    {
        Seed(d => d with { Title = "My notes" });

        await Service.ExtractAsync(Input);

        Assert.Equal("My notes", _stored!.Title);
    }

    [Fact]
    public async Task ABadFileFailsPermanentlyWithTheExtractorsReasonAndIsReadOnce()
    {
        Seed();
        _extractor.Setup(e => e.Extract(It.IsAny<byte[]>(), It.IsAny<string>())).Throws(new ExtractionException("The PDF is password-protected."));

        var e = await Assert.ThrowsAsync<PermanentIngestionException>(() => Service.ExtractAsync(Input));

        Assert.Equal("The PDF is password-protected.", e.Message);
        _extractor.Verify(x => x.Extract(It.IsAny<byte[]>(), It.IsAny<string>()), Times.Once);
        Assert.Empty(WorkFilesLeft());
    }

    [Fact]
    public async Task AFileWhoseBytesContradictItsExtensionFailsPermanentlyUnread()
    {
        Seed(original: Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << >> endobj\n"));

        var e = await Assert.ThrowsAsync<PermanentIngestionException>(() => Service.ExtractAsync(Input));

        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        _extractor.Verify(x => x.Extract(It.IsAny<byte[]>(), It.IsAny<string>()), Times.Never);
    }

    [Fact]
    public async Task AMissingOriginalFailsPermanently()
    {
        Seed();
        _files.Remove(OriginalPath);

        var e = await Assert.ThrowsAsync<PermanentIngestionException>(() => Service.ExtractAsync(Input));

        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileOverTheSizeLimitFailsPermanently()
    {
        _options.MaxFileBytes = 1024 * 1024;
        Seed(original: Encoding.UTF8.GetBytes(new string('a', 1024 * 1024 + 1)));

        var e = await Assert.ThrowsAsync<PermanentIngestionException>(() => Service.ExtractAsync(Input));

        Assert.Contains("larger than 1 MB", e.Message, StringComparison.Ordinal);
        _extractor.Verify(x => x.Extract(It.IsAny<byte[]>(), It.IsAny<string>()), Times.Never);
    }

    [Fact]
    public async Task ADirectUploadGetsItsHashAndSizeFromItsBytes()
    {
        Seed(d => d with { Sha256 = IngestionService.PendingHashPrefix + DocumentId, Size = 0 });
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));

        await Service.ExtractAsync(Input);

        _documents.Verify(d => d.FindByHashAsync(CloneId, sha, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal((sha, (long)Encoding.UTF8.GetByteCount(Text)), (_stored!.Sha256, _stored.Size));
    }

    [Fact]
    public async Task ADirectUploadOfAFileTheCloneHasFailsPermanently()
    {
        Seed(d => d with { Sha256 = IngestionService.PendingHashPrefix + DocumentId });
        _documents.Setup(d => d.FindByHashAsync(CloneId, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(_stored! with { Id = "doc-0", Title = "Older notes" });

        var e = await Assert.ThrowsAsync<PermanentIngestionException>(() => Service.ExtractAsync(Input));

        Assert.Equal("This file is already in the clone as 'Older notes'.", e.Message);
        _extractor.Verify(x => x.Extract(It.IsAny<byte[]>(), It.IsAny<string>()), Times.Never);
    }

    // ---- stale and deleted documents

    public static TheoryData<string> Gone => ["stale generation", "deleted"];

    [Theory]
    [MemberData(nameof(Gone))]
    public async Task EveryStepOfAStaleOrDeletedDocumentChangesNothing(string why)
    {
        Seed();
        var chunks = await ExtractAndChunkAsync(); // work files of generation 2 exist
        await EmbedAllAsync(chunks);
        _writes.Clear();
        _frames.Clear();
        _embedded.Clear();
        var filesBefore = _files.Keys.Order(StringComparer.Ordinal).ToList();
        _stored = why == "deleted" ? null : _stored! with { Generation = 3 }; // re-indexed or deleted meanwhile
        _extractor.Invocations.Clear();
        _chunker.Invocations.Clear();

        await Service.ExtractAsync(Input);
        Assert.Equal(new ChunkResult(0, 0, 0), await Service.ChunkAsync(Input));
        Assert.Equal(0, await Service.EmbedBatchAsync(new EmbedBatchInput(CloneId, DocumentId, Input.Generation, 0), Input, chunks.BatchCount));
        await Service.IndexAsync(Input);
        await Service.SummarizeAsync(Input);

        Assert.Empty(_writes);
        Assert.Empty(_frames);
        Assert.Empty(_embedded);
        Assert.Empty(_upserts);
        Assert.Equal(filesBefore, _files.Keys.Order(StringComparer.Ordinal));
        _extractor.Verify(x => x.Extract(It.IsAny<byte[]>(), It.IsAny<string>()), Times.Never);
        _chunker.Verify(x => x.Chunk(It.IsAny<string>(), It.IsAny<ExtractedText>()), Times.Never);
        _blobs.Verify(b => b.PutAsync(It.IsAny<string>(), It.IsAny<byte[]>(), It.IsAny<string>(), It.IsAny<CancellationToken>()),
            Times.Exactly(1 + 1 + chunks.BatchCount)); // only the writes made before the document went away
    }

    [Theory]
    [MemberData(nameof(Gone))]
    public async Task CompletingOrFailingAStaleOrDeletedDocumentReportsItGone(string why)
    {
        Seed();
        _stored = why == "deleted" ? null : _stored! with { Generation = 3 };
        var untouched = _stored;

        var completed = await Service.CompleteAsync(Input);
        var failed = await Service.FailAsync(new FailureInput(CloneId, DocumentId, Input.Generation, "Too slow."));

        Assert.Equal(new IngestionResult("gone", 0, null), completed);
        Assert.Equal(new IngestionResult("gone", 0, "Too slow."), failed);
        Assert.Same(untouched, _stored);
        Assert.Empty(_writes);
        Assert.Empty(_frames);
        _index.Verify(i => i.DeleteDocumentAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    // ---- chunk, embed, index, summarize

    [Fact]
    public async Task ChunkingCountsTheChunksTheirBatchesAndTokens()
    {
        Seed();

        var result = await ExtractAndChunkAsync();

        Assert.Equal(new ChunkResult(5, 3, 10 + 11 + 12 + 13 + 14), result); // 2 chunks per batch
        Assert.Equal((IngestionStage.Embedding, 30, 5, 60), (_stored!.Stage, _stored.Progress, _stored.ChunkCount, _stored.TokenCount));
        Assert.Contains(IngestionStage.Chunking, _stored.StageSeconds.Keys);
    }

    [Fact]
    public async Task ADocumentWithoutTextFailsPermanently()
    {
        Seed();
        _chunker.Setup(c => c.Chunk(DocumentId, It.IsAny<ExtractedText>())).Returns([]);
        await Service.ExtractAsync(Input);

        var e = await Assert.ThrowsAsync<PermanentIngestionException>(() => Service.ChunkAsync(Input));

        Assert.Equal("The document has no text to learn from.", e.Message);
    }

    [Fact]
    public async Task EachBatchEmbedsItsOwnChunksAndAdvancesProgress()
    {
        Seed();
        var chunks = await ExtractAndChunkAsync();
        var expected = Chunks(DocumentId, Text, 5);

        var embedded = await Service.EmbedBatchAsync(new EmbedBatchInput(CloneId, DocumentId, Input.Generation, 1), Input, chunks.BatchCount);

        Assert.Equal(2, embedded);
        Assert.Equal([expected[2].Text, expected[3].Text], Assert.Single(_embedded));
        Assert.Equal(30 + 55 * 2 / 3, _stored!.Progress);
        Assert.Equal(IngestionStage.Embedding, _stored.Stage);

        Assert.Equal(1, await Service.EmbedBatchAsync(new EmbedBatchInput(CloneId, DocumentId, Input.Generation, 2), Input, chunks.BatchCount));
        Assert.Equal(85, _stored.Progress);
        Assert.Equal(0, await Service.EmbedBatchAsync(new EmbedBatchInput(CloneId, DocumentId, Input.Generation, 3), Input, chunks.BatchCount));
    }

    [Fact]
    public async Task AnEmbedderThatLosesPassagesFailsTheBatchForARetry()
    {
        Seed();
        var chunks = await ExtractAndChunkAsync();
        _embedder.Setup(e => e.EmbedPassagesAsync(It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>())).ReturnsAsync([[1, 2, 3]]);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Service.EmbedBatchAsync(new EmbedBatchInput(CloneId, DocumentId, Input.Generation, 0), Input, chunks.BatchCount));

        Assert.Equal(30, _stored!.Progress);
    }

    [Fact]
    public async Task IndexingSendsEveryChunkWithItsOwnVectorInOrder()
    {
        Seed();
        var chunks = await ExtractAndChunkAsync();
        await EmbedAllAsync(chunks);

        await Service.IndexAsync(Input);

        var indexed = Assert.Single(_upserts);
        var expected = Chunks(DocumentId, Text, 5);
        Assert.Equal(expected, indexed.Select(c => c.Chunk));
        Assert.All(indexed, c =>
        {
            Assert.Equal(VectorOf(c.Chunk.Text), c.Vector);
            Assert.Null(c.SegmentVectors);
            Assert.Equal((CloneId, "field-notes.txt", "Field Notes of Ada"), (c.CloneId, c.FileName, c.Title));
        });
        Assert.Equal((IngestionStage.Summarizing, 92, "test-embedder"), (_stored!.Stage, _stored.Progress, _stored.EmbeddingModel));
    }

    [Fact]
    public async Task WithSegmentVectorsTheIndexGetsEverySegmentAndTheirUnitMean()
    {
        _options.SegmentVectors = true;
        Seed();
        _chunker.Setup(c => c.Chunk(DocumentId, It.IsAny<ExtractedText>())).Returns((string id, ExtractedText text) => Chunks(id, text.Text, 1));
        var chunks = await ExtractAndChunkAsync();
        await EmbedAllAsync(chunks);

        await Service.IndexAsync(Input);

        var chunk = Assert.Single(Assert.Single(_upserts));
        Assert.NotNull(chunk.SegmentVectors);
        Assert.Equal(Assert.Single(_embedded).Select(VectorOf), chunk.SegmentVectors);
        Assert.Equal(1, Math.Sqrt(chunk.Vector.Sum(x => (double)x * x)), 5);
    }

    [Fact]
    public async Task IndexingBeforeEveryBatchIsEmbeddedFailsForARetry()
    {
        Seed();
        var chunks = await ExtractAndChunkAsync();
        await Service.EmbedBatchAsync(new EmbedBatchInput(CloneId, DocumentId, Input.Generation, 0), Input, chunks.BatchCount);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Service.IndexAsync(Input));

        Assert.Contains("batch 1", e.Message, StringComparison.Ordinal);
        Assert.Empty(_upserts);
    }

    [Fact]
    public async Task SummarizingStoresASummaryOfTheText()
    {
        Seed();
        await ExtractAndChunkAsync();

        await Service.SummarizeAsync(Input);

        Assert.False(string.IsNullOrWhiteSpace(_stored!.Summary));
        Assert.Contains("Ada", _stored.Summary, StringComparison.Ordinal);
        Assert.Equal(97, _stored.Progress);
    }

    // ---- complete and fail

    [Fact]
    public async Task AWholeIngestionEndsReadyWithoutWorkFiles()
    {
        Seed();
        var chunks = await ExtractAndChunkAsync();
        await EmbedAllAsync(chunks);
        await Service.IndexAsync(Input);
        await Service.SummarizeAsync(Input);
        _time.Advance(TimeSpan.FromMinutes(3));

        var result = await Service.CompleteAsync(Input);

        Assert.Equal(new IngestionResult(DocumentStatus.Ready, 5, null), result);
        Assert.Equal((DocumentStatus.Ready, IngestionStage.Done, 100), (_stored!.Status, _stored.Stage, _stored.Progress));
        Assert.Equal(_time.Start.AddMinutes(3), _stored.ReadyAt);
        Assert.Null(_stored.Error);
        // Chunks and vectors are gone; the original and the extracted text stay (the document's text is read from it later).
        Assert.Equal([WorkFiles.Extracted(CloneId, DocumentId), OriginalPath], _files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(_writes.Select(w => w.Progress).Order(), _writes.Select(w => w.Progress)); // progress never goes back
    }

    [Fact]
    public async Task FailingRecordsTheReasonAndLeavesNoHalfIndexBehind()
    {
        Seed();
        await ExtractAndChunkAsync();

        var result = await Service.FailAsync(new FailureInput(CloneId, DocumentId, Input.Generation, "The embedding service is down."));

        Assert.Equal(new IngestionResult(DocumentStatus.Failed, 0, "The embedding service is down."), result);
        Assert.Equal((DocumentStatus.Failed, "The embedding service is down.", 0), (_stored!.Status, _stored.Error, _stored.ChunkCount));
        _index.Verify(i => i.DeleteDocumentAsync(CloneId, DocumentId, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal([WorkFiles.Extracted(CloneId, DocumentId), OriginalPath], _files.Keys.Order(StringComparer.Ordinal)); // chunks are gone
    }

    [Theory]
    [InlineData("", "Processing failed.")]
    [InlineData("   ", "Processing failed.")]
    public async Task AFailureWithoutAReasonSaysProcessingFailed(string reason, string expected)
    {
        Seed();

        var result = await Service.FailAsync(new FailureInput(CloneId, DocumentId, Input.Generation, reason));

        Assert.Equal(expected, result.Error);
        Assert.Equal(expected, _stored!.Error);
    }

    [Fact]
    public async Task ALongFailureReasonIsCutTo500Characters()
    {
        Seed();

        var result = await Service.FailAsync(new FailureInput(CloneId, DocumentId, Input.Generation, new string('x', 2000)));

        Assert.Equal(new string('x', 500), result.Error);
        Assert.Equal(new string('x', 500), _stored!.Error);
    }

    // ---- progress: write races and realtime pushes

    [Fact]
    public async Task EveryChangeIsPushedToTheOwnersGroup()
    {
        Seed();
        await ExtractAndChunkAsync();

        Assert.Equal(_writes.Count, _frames.Count);
        Assert.All(_frames, f => Assert.Equal(RealtimeGroups.User(OwnerId), f.Group));
        var last = _frames[^1].Frame;
        Assert.Equal("document", last.GetProperty("type").GetString());
        Assert.Equal(CloneId, last.GetProperty("cloneId").GetString());
        Assert.Equal(DocumentId, last.GetProperty("documentId").GetString());
        Assert.Equal(DocumentStatus.Processing, last.GetProperty("status").GetString());
        Assert.Equal(IngestionStage.Embedding, last.GetProperty("stage").GetString());
        Assert.Equal(30, last.GetProperty("progress").GetInt32());
        Assert.Equal(5, last.GetProperty("chunkCount").GetInt32());

        await Service.FailAsync(new FailureInput(CloneId, DocumentId, Input.Generation, "Gave up."));
        Assert.Equal(DocumentStatus.Failed, _frames[^1].Frame.GetProperty("status").GetString());
        Assert.Equal("Gave up.", _frames[^1].Frame.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ARealtimeHubThatFailsDoesNotFailTheStep()
    {
        Seed();
        _hub.Setup(h => h.SendToGroupAsync(It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("hub unreachable"));

        await Service.ExtractAsync(Input);

        Assert.Equal(IngestionStage.Chunking, _stored!.Stage);
        _hub.Verify(h => h.SendToGroupAsync(It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Exactly(_writes.Count));
    }

    [Fact]
    public async Task AStepThatLosesAWriteRaceAppliesItsChangeToTheNewerDocument()
    {
        Seed(d => d with { Progress = 0 });
        var raced = false;
        _documents.Setup(d => d.ReplaceAsync(It.IsAny<KnowledgeDocument>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((KnowledgeDocument d, CancellationToken _) =>
            {
                if (!raced)
                {
                    raced = true; // a parallel activity stored progress 50 first
                    _stored = _stored! with { Progress = 50, ETag = "\"parallel\"" };
                    throw new ConflictException("The document changed.");
                }
                _stored = d with { ETag = $"\"{_writes.Count + 2}\"" };
                _writes.Add(_stored);
                return _stored;
            });

        await Service.ExtractAsync(Input);

        Assert.True(raced);
        Assert.Equal((IngestionStage.Extracting, 50), (_writes[0].Stage, _writes[0].Progress)); // not back to 5
        Assert.Equal((IngestionStage.Chunking, 50), (_stored!.Stage, _stored.Progress));
    }
}
