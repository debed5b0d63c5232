using Azure;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Azure.Search.Documents.Indexes.Models;
using Azure.Search.Documents.Models;
using CloneAI.Azure;
using CloneAI.Core;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using CloneAI.Azure.Knowledge;

namespace CloneAI.Search.Tests;

public sealed class AzureSearchKnowledgeIndexTests
{
    private static readonly EmbeddingModelInfo Model = new("minilm", 4);

    private readonly Mock<SearchIndexClient> _indexClient = new();
    private readonly Mock<SearchClient> _searchClient = new();
    private readonly List<SearchOptions> _searches = [];
    private readonly List<string?> _searchTexts = [];
    private readonly List<IndexDocumentsBatch<KnowledgeSearchDocument>> _batches = [];
    private SearchIndex? _created;

    /// <summary>Results the mocked service answers with, for the next search calls in order (empty when exhausted).</summary>
    private readonly Queue<IReadOnlyList<SearchResult<KnowledgeSearchDocument>>> _answers = new();

    public AzureSearchKnowledgeIndexTests()
    {
        _indexClient.Setup(c => c.CreateOrUpdateIndexAsync(It.IsAny<SearchIndex>(), It.IsAny<bool>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .Callback((SearchIndex index, bool _, bool _, CancellationToken _) => _created = index)
            .ReturnsAsync((SearchIndex index, bool _, bool _, CancellationToken _) => Response.FromValue(index, Mock.Of<Response>()));
        _searchClient.Setup(c => c.SearchAsync<KnowledgeSearchDocument>(It.IsAny<string>(), It.IsAny<SearchOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string text, SearchOptions options, CancellationToken _) =>
            {
                _searchTexts.Add(text);
                _searches.Add(options);
                var values = _answers.Count > 0 ? _answers.Dequeue() : [];
                return Response.FromValue(SearchModelFactory.SearchResults(values, values.Count, null, null, Mock.Of<Response>()), Mock.Of<Response>());
            });
        _searchClient.Setup(c => c.IndexDocumentsAsync(It.IsAny<IndexDocumentsBatch<KnowledgeSearchDocument>>(), It.IsAny<IndexDocumentsOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IndexDocumentsBatch<KnowledgeSearchDocument> batch, IndexDocumentsOptions _, CancellationToken _) =>
            {
                _batches.Add(batch);
                return Response.FromValue(SearchModelFactory.IndexDocumentsResult([]), Mock.Of<Response>());
            });
    }

    private AzureSearchKnowledgeIndex Create(bool semantic = false, int dims = 4) =>
        new(_indexClient.Object, _searchClient.Object,
            Options.Create(new AiSearchOptions { Endpoint = new Uri("https://x.search.windows.net"), SemanticRanker = semantic, Dimensions = dims }),
            Options.Create(new RetrievalOptions { CandidatePool = 50, MaxPerDocument = 3 }));

    private static SearchResult<KnowledgeSearchDocument> Result(string chunkId, string documentId, double score, string model = "minilm", int dims = 4) =>
        SearchModelFactory.SearchResult(new KnowledgeSearchDocument
        {
            Id = chunkId, ChunkId = chunkId, CloneId = "c", DocumentId = documentId, Text = "t " + chunkId, Title = "T", FileName = documentId + ".pdf",
            Start = 10, End = 20, Page = 2, HeadingPath = "H", Model = model, Dims = dims,
        }, score, null);

    [Fact]
    public void Index_definition_has_the_fields_retrieval_needs()
    {
        var index = AzureSearchKnowledgeIndex.BuildIndex(new AiSearchOptions { Endpoint = new Uri("https://x"), Dimensions = 384 });
        Assert.Equal(AzureNames.KnowledgeIndexName, index.Name);
        SearchField F(string name) => index.Fields.Single(f => f.Name == name);
        Assert.True(F("id").IsKey);
        Assert.True(F("cloneId").IsFilterable);
        Assert.True(F("documentId").IsFilterable);
        Assert.True(F("model").IsFilterable);
        Assert.True(F("text").IsSearchable);
        Assert.Equal(LexicalAnalyzerName.EnMicrosoft, F("text").AnalyzerName);
        Assert.True(F("title").IsSearchable);
        Assert.True(F("headingPath").IsSearchable);
        Assert.True(F("fileName").IsSearchable);
        foreach (var name in new[] { "start", "end", "page", "ordinal" })
        {
            Assert.Equal(SearchFieldDataType.Int32, F(name).Type);
            Assert.NotEqual(true, F(name).IsSearchable);
        }
        var vector = F("vector");
        Assert.Equal(SearchFieldDataType.Collection(SearchFieldDataType.Single), vector.Type);
        Assert.Equal(384, vector.VectorSearchDimensions);
        var profile = index.VectorSearch.Profiles.Single(p => p.Name == vector.VectorSearchProfileName);
        var hnsw = Assert.IsType<HnswAlgorithmConfiguration>(index.VectorSearch.Algorithms.Single(a => a.Name == profile.AlgorithmConfigurationName));
        Assert.Equal(VectorSearchAlgorithmMetric.Cosine, hnsw.Parameters.Metric);
        Assert.Null(index.SemanticSearch);
    }

    [Fact]
    public void Semantic_configuration_only_when_enabled()
    {
        var index = AzureSearchKnowledgeIndex.BuildIndex(new AiSearchOptions { Endpoint = new Uri("https://x"), SemanticRanker = true });
        var config = Assert.Single(index.SemanticSearch.Configurations);
        Assert.Equal("title", config.PrioritizedFields.TitleField.FieldName);
        Assert.Equal("text", Assert.Single(config.PrioritizedFields.ContentFields).FieldName);
    }

    [Fact]
    public async Task Filter_escapes_quotes_in_the_clone_id()
    {
        Assert.Equal("cloneId eq 'o''brien'", AzureSearchKnowledgeIndex.CloneFilter("o'brien"));
        await Create().SearchAsync(new KnowledgeQuery("o'brien", "hello", null, SearchModes.Keyword, 5, 0));
        Assert.Equal("cloneId eq 'o''brien'", Assert.Single(_searches).Filter);
        Assert.NotNull(_created); // the index was created or updated first
    }

    [Fact]
    public async Task Hybrid_sends_text_and_vector_keyword_only_text_vector_only_vector()
    {
        var index = Create();
        await index.SearchAsync(new KnowledgeQuery("c", "what is (this)?", [1, 0, 0, 0], SearchModes.Hybrid, 5, 0, Model));
        await index.SearchAsync(new KnowledgeQuery("c", "what is this", null, SearchModes.Keyword, 5, 0, Model));
        await index.SearchAsync(new KnowledgeQuery("c", "what is this", [1, 0, 0, 0], SearchModes.Vector, 5, 0, Model));

        var hybrid = _searches[0];
        Assert.Equal(@"what is \(this\)\?", _searchTexts[0]);
        var vq = Assert.IsType<VectorizedQuery>(Assert.Single(hybrid.VectorSearch.Queries));
        Assert.Equal(new float[] { 1, 0, 0, 0 }, vq.Vector.ToArray());
        Assert.Equal(["vector"], vq.Fields);
        Assert.True(vq.KNearestNeighborsCount >= 50);
        Assert.NotEqual(SearchQueryType.Semantic, hybrid.QueryType);

        Assert.Null(_searches[1].VectorSearch);
        Assert.Equal("what is this", _searchTexts[1]);

        Assert.Single(_searches[2].VectorSearch.Queries);
        Assert.Null(_searchTexts[2]);
    }

    [Fact]
    public async Task Semantic_ranker_only_when_configured()
    {
        await Create(semantic: true).SearchAsync(new KnowledgeQuery("c", "q", [1, 0, 0, 0], SearchModes.Hybrid, 5, 0, Model));
        Assert.Equal(SearchQueryType.Semantic, _searches[0].QueryType);
        Assert.Equal(AzureSearchKnowledgeIndex.SemanticConfiguration, _searches[0].SemanticSearch.SemanticConfigurationName);
        Assert.NotNull(_created!.SemanticSearch);

        await Create(semantic: false).SearchAsync(new KnowledgeQuery("c", "q", [1, 0, 0, 0], SearchModes.Hybrid, 5, 0, Model));
        Assert.NotEqual(SearchQueryType.Semantic, _searches[1].QueryType);
        Assert.Null(_searches[1].SemanticSearch);
    }

    [Fact]
    public async Task Diversity_caps_chunks_per_document_over_an_over_fetched_result()
    {
        _answers.Enqueue([Result("a1", "A", 9), Result("a2", "A", 8), Result("a3", "A", 7), Result("b1", "B", 6), Result("a4", "A", 5), Result("c1", "C", 4)]);
        var hits = await Create().SearchAsync(new KnowledgeQuery("c", "q", [1, 0, 0, 0], SearchModes.Hybrid, 3, 2, Model));
        Assert.Equal(["a1", "a2", "b1"], hits.Select(h => h.ChunkId));
        Assert.True(_searches[0].Size > 3);
        var first = hits[0];
        Assert.Equal((10, 20, 2, "H", "A.pdf", "T", 9.0), (first.Start, first.End, first.Page, first.HeadingPath, first.FileName, first.Title, first.Score));
    }

    [Fact]
    public async Task Results_of_another_model_conflict()
    {
        _answers.Enqueue([Result("a1", "A", 9, model: "old-model")]);
        var e = await Assert.ThrowsAsync<ConflictException>(() =>
            Create().SearchAsync(new KnowledgeQuery("c", "q", [1, 0, 0, 0], SearchModes.Hybrid, 3, 2, Model)));
        Assert.Contains("old-model", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ConflictException>(() => Create().SearchAsync(new KnowledgeQuery("c", "q", [1, 0, 0, 0, 0], SearchModes.Vector, 3, 2)));
    }

    [Fact]
    public async Task Upsert_deletes_stale_chunk_ids_and_uploads_the_new_ones()
    {
        // The index holds chunks 0..3 of the document; the new version has chunks 0..1.
        _answers.Enqueue([Result("doc-00000", "doc", 1), Result("doc-00001", "doc", 1), Result("doc-00002", "doc", 1), Result("doc-00003", "doc", 1)]);
        var chunks = Enumerable.Range(0, 2)
            .Select(i => new IndexedChunk(new TextChunk(TextChunk.MakeId("doc", i), "doc", i, i * 10, i * 10 + 9, null, "", "text", 3), "o'brien", "f.txt", "F", [1, 0, 0, 0]))
            .ToList();
        await Create().UpsertDocumentAsync("o'brien", "doc", Model, chunks);

        Assert.Equal("cloneId eq 'o''brien' and documentId eq 'doc'", _searches[0].Filter);
        var upload = _batches[0].Actions;
        Assert.All(upload, a => Assert.Equal(IndexActionType.MergeOrUpload, a.ActionType));
        Assert.Equal(["doc-00000", "doc-00001"], upload.Select(a => a.Document.Id));
        Assert.Equal("o'brien", upload[0].Document.CloneId);
        Assert.Equal(Model.Model, upload[0].Document.Model);
        var delete = _batches[1].Actions;
        Assert.All(delete, a => Assert.Equal(IndexActionType.Delete, a.ActionType));
        Assert.Equal(2, delete.Count);
    }

    [Fact]
    public async Task Upsert_with_other_dimensions_conflicts()
    {
        var chunk = new IndexedChunk(new TextChunk("d-00000", "d", 0, 0, 1, null, "", "x", 1), "c", "f", "t", new float[8]);
        await Assert.ThrowsAsync<ConflictException>(() => Create(dims: 4).UpsertDocumentAsync("c", "d", new EmbeddingModelInfo("big", 8), [chunk]));
    }

    [Fact]
    public void Keys_are_url_safe()
    {
        Assert.Equal("doc-00001", AzureSearchKnowledgeIndex.KeyOf("doc-00001"));
        var key = AzureSearchKnowledgeIndex.KeyOf("a/b c.d-00001");
        Assert.Matches("^[A-Za-z0-9_=-]+$", key);
    }

    [Fact]
    public void Registration_builds_the_clients_and_the_index()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Search:Endpoint"] = "https://cloneai.search.windows.net",
            ["Search:ApiKey"] = "not-a-real-key",
            ["Search:SemanticRanker"] = "true",
        }).Build();
        using var provider = new ServiceCollection().AddCloneAIAzureSearch(configuration).BuildServiceProvider();
        Assert.IsType<AzureSearchKnowledgeIndex>(provider.GetRequiredService<IKnowledgeIndex>());
        Assert.Equal(AzureNames.KnowledgeIndexName, provider.GetRequiredService<SearchClient>().IndexName);
        Assert.True(provider.GetRequiredService<IOptions<AiSearchOptions>>().Value.SemanticRanker);
    }
}
