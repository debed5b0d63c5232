using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Azure.Search.Documents.Indexes.Models;
using Azure.Search.Documents.Models;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Options;

namespace CloneAI.Azure.Knowledge;

/// <summary>
/// The retrieval index on Azure AI Search: one index for every clone, each query filtered to one clone. Hybrid search is the
/// service's own (BM25 + HNSW vectors fused by RRF, optionally re-ranked by the semantic ranker); the per-document cap is applied
/// here over an over-fetched result. The index is created or updated on first use.
/// </summary>
public sealed class AzureSearchKnowledgeIndex(
    SearchIndexClient indexClient, SearchClient searchClient, IOptions<AiSearchOptions> options, IOptions<RetrievalOptions> retrieval)
    : IKnowledgeIndex, IDisposable
{
    public const string VectorProfile = "vector-profile";
    public const string HnswConfiguration = "hnsw-cosine";
    public const string SemanticConfiguration = "semantic-title-text";
    private const int BatchSize = 500;
    private const int PageSize = 1000;

    private static readonly string[] HitFields = ["id", "chunkId", "documentId", "fileName", "title", "text", "start", "end", "page", "headingPath", "model", "dims"];

    private readonly SemaphoreSlim _ensure = new(1, 1);
    private volatile bool _ensured;

    public void Dispose() => _ensure.Dispose();

    /// <summary>The index definition this adapter needs.</summary>
    public static SearchIndex BuildIndex(AiSearchOptions o)
    {
        var index = new SearchIndex(o.IndexName)
        {
            Fields =
            {
                new SimpleField("id", SearchFieldDataType.String) { IsKey = true },
                new SimpleField("chunkId", SearchFieldDataType.String),
                new SimpleField("cloneId", SearchFieldDataType.String) { IsFilterable = true },
                new SimpleField("documentId", SearchFieldDataType.String) { IsFilterable = true },
                new SimpleField("ordinal", SearchFieldDataType.Int32) { IsSortable = true },
                new SimpleField("start", SearchFieldDataType.Int32),
                new SimpleField("end", SearchFieldDataType.Int32),
                new SimpleField("page", SearchFieldDataType.Int32),
                new SearchableField("headingPath") { AnalyzerName = LexicalAnalyzerName.EnMicrosoft },
                new SearchableField("fileName") { AnalyzerName = LexicalAnalyzerName.EnMicrosoft },
                new SearchableField("title") { AnalyzerName = LexicalAnalyzerName.EnMicrosoft },
                new SearchableField("text") { AnalyzerName = LexicalAnalyzerName.EnMicrosoft },
                new SimpleField("tokenCount", SearchFieldDataType.Int32),
                new SimpleField("model", SearchFieldDataType.String) { IsFilterable = true, IsFacetable = true },
                new SimpleField("dims", SearchFieldDataType.Int32) { IsFilterable = true, IsFacetable = true },
                new SearchField("vector", SearchFieldDataType.Collection(SearchFieldDataType.Single))
                {
                    IsSearchable = true,
                    IsHidden = true,
                    VectorSearchDimensions = o.Dimensions,
                    VectorSearchProfileName = VectorProfile,
                },
            },
            VectorSearch = new VectorSearch
            {
                Algorithms = { new HnswAlgorithmConfiguration(HnswConfiguration) { Parameters = new HnswParameters { Metric = VectorSearchAlgorithmMetric.Cosine } } },
                Profiles = { new VectorSearchProfile(VectorProfile, HnswConfiguration) },
            },
        };
        if (o.SemanticRanker)
        {
            var fields = new SemanticPrioritizedFields { TitleField = new SemanticField("title") };
            fields.ContentFields.Add(new SemanticField("text"));
            fields.KeywordsFields.Add(new SemanticField("headingPath"));
            index.SemanticSearch = new SemanticSearch { Configurations = { new SemanticConfiguration(SemanticConfiguration, fields) } };
        }
        return index;
    }

    /// <summary>Index keys allow letters, digits, <c>_</c>, <c>-</c> and <c>=</c>; other chunk ids are base64url-encoded.</summary>
    public static string KeyOf(string chunkId)
    {
        foreach (var ch in chunkId)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' or '=')) return "k_" + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(chunkId));
        }
        return chunkId;
    }

    public static string CloneFilter(string cloneId) => SearchFilter.Create($"cloneId eq {cloneId}", CultureInfo.InvariantCulture);

    public static string DocumentFilter(string cloneId, string documentId) =>
        SearchFilter.Create($"cloneId eq {cloneId} and documentId eq {documentId}", CultureInfo.InvariantCulture);

    public async Task EnsureIndexAsync(CancellationToken cancellationToken = default)
    {
        if (_ensured) return;
        await _ensure.WaitAsync(cancellationToken);
        try
        {
            if (_ensured) return;
            await indexClient.CreateOrUpdateIndexAsync(BuildIndex(options.Value), cancellationToken: cancellationToken);
            _ensured = true;
        }
        finally
        {
            _ensure.Release();
        }
    }

    public async Task UpsertDocumentAsync(
        string cloneId, string documentId, EmbeddingModelInfo model, IReadOnlyList<IndexedChunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(cloneId);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var dims = options.Value.Dimensions;
        if (model.Dimensions != dims)
        {
            throw new ConflictException(string.Create(CultureInfo.InvariantCulture,
                $"The search index holds {dims}-dimension vectors but {model.Model} makes {model.Dimensions}. Set Search:Dimensions and rebuild the index."));
        }
        await EnsureIndexAsync(cancellationToken);

        var uploads = new List<KnowledgeSearchDocument>(chunks.Count);
        foreach (var c in chunks)
        {
            if (c.CloneId != cloneId || c.Chunk.DocumentId != documentId)
                throw new ArgumentException($"Chunk {c.Chunk.Id} belongs to another clone or document.", nameof(chunks));
            if (c.Vector.Length != dims) throw new ArgumentException($"Chunk {c.Chunk.Id} has {c.Vector.Length} dimensions, not {dims}.", nameof(chunks));
            uploads.Add(new KnowledgeSearchDocument
            {
                Id = KeyOf(c.Chunk.Id),
                ChunkId = c.Chunk.Id,
                CloneId = cloneId,
                DocumentId = documentId,
                Ordinal = c.Chunk.Ordinal,
                Start = c.Chunk.Start,
                End = c.Chunk.End,
                Page = c.Chunk.Page,
                HeadingPath = c.Chunk.HeadingPath ?? "",
                FileName = c.FileName ?? "",
                Title = c.Title ?? "",
                Text = c.Chunk.Text,
                TokenCount = c.Chunk.TokenCount,
                Model = model.Model,
                Dims = model.Dimensions,
                Vector = c.Vector,
            });
        }

        var keep = uploads.Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        var stale = (await KeysAsync(DocumentFilter(cloneId, documentId), cancellationToken)).Where(k => !keep.Contains(k)).ToList();

        // Write the new chunks first, then drop the ones the new version no longer has: a reader never sees the document vanish.
        for (var i = 0; i < uploads.Count; i += BatchSize)
        {
            var batch = IndexDocumentsBatch.MergeOrUpload(uploads.Skip(i).Take(BatchSize));
            await searchClient.IndexDocumentsAsync(batch, new IndexDocumentsOptions { ThrowOnAnyError = true }, cancellationToken);
        }
        await DeleteKeysAsync(stale, cancellationToken);
    }

    public async Task DeleteDocumentAsync(string cloneId, string documentId, CancellationToken cancellationToken = default)
    {
        await EnsureIndexAsync(cancellationToken);
        await DeleteKeysAsync(await KeysAsync(DocumentFilter(cloneId, documentId), cancellationToken), cancellationToken);
    }

    public async Task<IReadOnlyList<EmbeddingModelInfo>> GetModelsAsync(string cloneId, CancellationToken cancellationToken = default)
    {
        await EnsureIndexAsync(cancellationToken);
        var search = new SearchOptions { Filter = CloneFilter(cloneId), Size = 0, Facets = { "model,count:20", "dims,count:20" } };
        var response = await searchClient.SearchAsync<KnowledgeSearchDocument>("*", search, cancellationToken);
        var modelNames = FacetValues(response.Value, "model");
        var dims = FacetValues(response.Value, "dims");
        if (modelNames.Count == 0) return [];
        if (dims.Count == 1) return modelNames.Select(m => new EmbeddingModelInfo(m, int.Parse(dims[0], CultureInfo.InvariantCulture))).ToList();

        // Several dimensions: ask per model which it has.
        var models = new List<EmbeddingModelInfo>();
        foreach (var name in modelNames)
        {
            var perModel = new SearchOptions { Filter = SearchFilter.Create($"cloneId eq {cloneId} and model eq {name}", CultureInfo.InvariantCulture), Size = 0, Facets = { "dims,count:20" } };
            var r = await searchClient.SearchAsync<KnowledgeSearchDocument>("*", perModel, cancellationToken);
            models.AddRange(FacetValues(r.Value, "dims").Select(d => new EmbeddingModelInfo(name, int.Parse(d, CultureInfo.InvariantCulture))));
        }
        return models;
    }

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(query.CloneId);
        if (!SearchModes.All.Contains(query.Mode)) throw new ArgumentException($"Unknown search mode '{query.Mode}'.", nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Top, 1);
        var o = options.Value;
        var maxPerDocument = query.MaxPerDocument > 0 ? query.MaxPerDocument : retrieval.Value.MaxPerDocument;
        var useVector = query.Mode != SearchModes.Keyword;
        var useText = query.Mode != SearchModes.Vector;
        if (useVector)
        {
            var vector = query.Vector ?? throw new ArgumentException("Vector and hybrid search need the query vector.", nameof(query));
            if (vector.Length != o.Dimensions || (query.Model is not null && query.Model.Dimensions != o.Dimensions))
            {
                throw new ConflictException(string.Create(CultureInfo.InvariantCulture,
                    $"The search index holds {o.Dimensions}-dimension vectors but the query has {vector.Length}. Re-index the documents with the current model."));
            }
        }
        await EnsureIndexAsync(cancellationToken);

        var size = Math.Min(1000, query.Top * (maxPerDocument >= query.Top ? 1 : o.OverFetch));
        var search = new SearchOptions { Filter = CloneFilter(query.CloneId), Size = size };
        foreach (var field in HitFields) search.Select.Add(field);
        if (useText)
        {
            search.SearchFields.Add("text");
            search.SearchFields.Add("title");
            search.SearchFields.Add("headingPath");
            search.SearchMode = SearchMode.Any;
            if (o.SemanticRanker)
            {
                search.QueryType = SearchQueryType.Semantic;
                search.SemanticSearch = new SemanticSearchOptions { SemanticConfigurationName = SemanticConfiguration };
            }
        }
        if (useVector)
        {
            search.VectorSearch = new VectorSearchOptions
            {
                Queries = { new VectorizedQuery(query.Vector) { KNearestNeighborsCount = Math.Max(retrieval.Value.CandidatePool, size), Fields = { "vector" } } },
            };
        }

        // Simple query syntax with the user's text escaped: operators are plain words.
        var text = useText ? EscapeSimpleQuery(query.Text) : null;
        var response = await searchClient.SearchAsync<KnowledgeSearchDocument>(text, search, cancellationToken);
        var ranked = new List<(KnowledgeSearchDocument Doc, double Score)>();
        await foreach (var result in response.Value.GetResultsAsync().WithCancellation(cancellationToken))
        {
            if (result.Document is null) continue;
            if (useVector && query.Model is not null && (result.Document.Model != query.Model.Model || result.Document.Dims != query.Model.Dimensions))
            {
                throw new ConflictException(string.Create(CultureInfo.InvariantCulture,
                    $"This knowledge base was indexed by {result.Document.Model} ({result.Document.Dims} dimensions), but searches now use {query.Model.Model} ({query.Model.Dimensions} dimensions). Re-index its documents to search by meaning; keyword search still works."));
            }
            ranked.Add((result.Document, result.SemanticSearch?.RerankerScore ?? result.Score ?? 0));
        }
        return RankFusion.Diversify(ranked, static r => r.Doc.DocumentId, query.Top, maxPerDocument)
            .Select(r => new KnowledgeHit(r.Doc.ChunkId.Length > 0 ? r.Doc.ChunkId : r.Doc.Id, r.Doc.DocumentId, r.Doc.FileName, r.Doc.Title, r.Doc.Text,
                r.Doc.Start, r.Doc.End, r.Doc.Page, r.Doc.HeadingPath, r.Score))
            .ToList();
    }

    /// <summary>Escapes the simple query syntax's operators so user text is only words: <c>+ - &amp; | ! ( ) { } [ ] ^ " ~ * ? : \ /</c>.</summary>
    public static string EscapeSimpleQuery(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "*";
        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            if (ch is '+' or '-' or '&' or '|' or '!' or '(' or ')' or '{' or '}' or '[' or ']' or '^' or '"' or '~' or '*' or '?' or ':' or '\\' or '/')
                sb.Append('\\');
            sb.Append(ch);
        }
        return sb.ToString();
    }

    private async Task<List<string>> KeysAsync(string filter, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        while (true)
        {
            // Page by skip: a document has at most a few thousand chunks.
            var search = new SearchOptions { Filter = filter, Size = PageSize, Skip = keys.Count, Select = { "id" } };
            var response = await searchClient.SearchAsync<KnowledgeSearchDocument>("*", search, cancellationToken);
            var before = keys.Count;
            await foreach (var result in response.Value.GetResultsAsync().WithCancellation(cancellationToken))
            {
                if (result.Document is not null) keys.Add(result.Document.Id);
            }
            if (keys.Count - before < PageSize) return keys;
        }
    }

    private async Task DeleteKeysAsync(List<string> keys, CancellationToken cancellationToken)
    {
        for (var i = 0; i < keys.Count; i += BatchSize)
        {
            // Typed, so one serializer handles every call; the service ignores all but the key of a delete.
            var batch = IndexDocumentsBatch.Delete(keys.Skip(i).Take(BatchSize).Select(k => new KnowledgeSearchDocument { Id = k }));
            await searchClient.IndexDocumentsAsync(batch, new IndexDocumentsOptions { ThrowOnAnyError = false }, cancellationToken);
        }
    }

    private static List<string> FacetValues<T>(SearchResults<T> results, string field) =>
        results.Facets is not null && results.Facets.TryGetValue(field, out var facets)
            ? facets.Where(f => f.Value is not null).Select(f => Convert.ToString(f.Value, CultureInfo.InvariantCulture)!).ToList()
            : [];
}
