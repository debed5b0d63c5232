using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Knowledge;

/// <summary>
/// The local retrieval index. Chunks live in the SQLite table <c>chunks</c> (vectors as float32 little-endian blobs: one per
/// chunk, or its segment vectors back to back). Each clone's chunks are held in memory twice, loaded
/// on the clone's first search and kept current by upserts and deletions: as one contiguous vector matrix
/// (<see cref="CloneVectors"/>, searched by an exact scan) and as a BM25 inverted index (<see cref="CloneKeywords"/>, tokenised
/// like FTS5's <c>porter unicode61 remove_diacritics 2</c>). A chunk with segment vectors ranks by its best segment. Hybrid search
/// fuses both rankings (<see cref="RetrievalOptions.Fusion"/>: normalised scores by default, standardised scores, or RRF). Optional
/// and off by default (cross-validation found no setting that helps beyond the folds' spread): pseudo-relevance feedback for the BM25
/// list (<see cref="KeywordFeedback"/>, <see cref="RetrievalOptions.FeedbackChunks"/>) and a second stage over the best fused
/// candidates (<see cref="HybridRerank"/>, <see cref="RetrievalOptions.RerankDepth"/>).
/// </summary>
public sealed class SqliteKnowledgeIndex(SqliteDatabase database, IOptions<RetrievalOptions> options) : IKnowledgeIndex
{
    private const string HitsSql = """
        SELECT c.seq, c.id, c.document_id, c.file_name, c.title, c.text, c.start, c."end", c.page, c.heading_path, c.dims, c.vector
        FROM json_each($seqs) j CROSS JOIN chunks c ON c.seq = j.value
        WHERE c.clone_id = $clone
        """;

    private const string TextsSql = """
        SELECT c.seq, c.text FROM json_each($seqs) j CROSS JOIN chunks c ON c.seq = j.value WHERE c.clone_id = $clone
        """;

    private readonly ConcurrentDictionary<string, CloneVectors> _vectors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CloneKeywords> _keywords = new(StringComparer.Ordinal);

    /// <summary>Whether hybrid search scores BM25 on a pool thread while this one scans (measured: see bench/search).</summary>
    public static bool ConcurrentHybrid { get; set; }

    public async Task UpsertDocumentAsync(
        string cloneId, string documentId, EmbeddingModelInfo model, IReadOnlyList<IndexedChunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(cloneId);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        foreach (var c in chunks)
        {
            if (c.CloneId != cloneId || c.Chunk.DocumentId != documentId)
                throw new ArgumentException($"Chunk {c.Chunk.Id} belongs to another clone or document.", nameof(chunks));
            foreach (var v in Vectors(c))
            {
                if (v.Length != model.Dimensions)
                    throw new ArgumentException($"Chunk {c.Chunk.Id} has {v.Length} dimensions; {model.Model} has {model.Dimensions}.", nameof(chunks));
            }
        }

        var gate = Gate(cloneId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var rowIds = new long[chunks.Count];
            await using (var connection = await database.OpenAsync(cancellationToken))
            await using (var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
            {
                await using (var delete = connection.CreateCommand())
                {
                    delete.Transaction = tx;
                    delete.CommandText = "DELETE FROM chunks WHERE clone_id = $clone AND document_id = $document";
                    delete.Parameters.AddWithValue("$clone", cloneId);
                    delete.Parameters.AddWithValue("$document", documentId);
                    await delete.ExecuteNonQueryAsync(cancellationToken);
                }
                await using (var insert = connection.CreateCommand())
                {
                    insert.Transaction = tx;
                    insert.CommandText = """
                        INSERT INTO chunks(id, clone_id, document_id, ordinal, start, "end", page, heading_path, file_name, title, text, token_count, model, dims, vector)
                        VALUES ($id, $clone, $document, $ordinal, $start, $end, $page, $heading, $file, $title, $text, $tokens, $model, $dims, $vector)
                        RETURNING seq
                        """;
                    var p = insert.Parameters;
                    var id = p.Add("$id", SqliteType.Text);
                    p.AddWithValue("$clone", cloneId);
                    p.AddWithValue("$document", documentId);
                    var ordinal = p.Add("$ordinal", SqliteType.Integer);
                    var start = p.Add("$start", SqliteType.Integer);
                    var end = p.Add("$end", SqliteType.Integer);
                    var page = p.Add("$page", SqliteType.Integer);
                    var heading = p.Add("$heading", SqliteType.Text);
                    var file = p.Add("$file", SqliteType.Text);
                    var title = p.Add("$title", SqliteType.Text);
                    var text = p.Add("$text", SqliteType.Text);
                    var tokens = p.Add("$tokens", SqliteType.Integer);
                    p.AddWithValue("$model", model.Model);
                    p.AddWithValue("$dims", model.Dimensions);
                    var vector = p.Add("$vector", SqliteType.Blob);
                    for (var i = 0; i < chunks.Count; i++)
                    {
                        var c = chunks[i];
                        id.Value = c.Chunk.Id;
                        ordinal.Value = c.Chunk.Ordinal;
                        start.Value = c.Chunk.Start;
                        end.Value = c.Chunk.End;
                        page.Value = c.Chunk.Page is { } n ? n : DBNull.Value;
                        heading.Value = c.Chunk.HeadingPath ?? "";
                        file.Value = c.FileName ?? "";
                        title.Value = c.Title ?? "";
                        text.Value = c.Chunk.Text;
                        tokens.Value = c.Chunk.TokenCount;
                        vector.Value = ToBlob(Vectors(c));
                        rowIds[i] = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
                    }
                }
                await tx.CommitAsync(cancellationToken);
            }
            if (_keywords.TryGetValue(cloneId, out var keywords))
            {
                var fields = new KeywordFields[chunks.Count];
                for (var i = 0; i < fields.Length; i++) fields[i] = Fields(chunks[i]);
                _keywords[cloneId] = keywords.ReplaceDocument(documentId, rowIds, fields);
            }

            if (_vectors.TryGetValue(cloneId, out var current))
            {
                if (current.Models.Count <= 1 && (current.LiveCount == 0 || current.Models[0] == model))
                {
                    var ids = new List<long>(chunks.Count);
                    var vectors = new List<float[]>(chunks.Count);
                    for (var i = 0; i < chunks.Count; i++)
                    {
                        foreach (var v in Vectors(chunks[i]))
                        {
                            ids.Add(rowIds[i]);
                            vectors.Add(v);
                        }
                    }
                    _vectors[cloneId] = current.ReplaceDocument(documentId, model, ids, vectors);
                }
                else
                    _vectors.TryRemove(cloneId, out _); // another model: reload (as mixed) on the next search
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task DeleteDocumentAsync(string cloneId, string documentId, CancellationToken cancellationToken = default)
    {
        var gate = Gate(cloneId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using (var connection = await database.OpenAsync(cancellationToken))
            await using (var delete = connection.Command(
                "DELETE FROM chunks WHERE clone_id = $clone AND document_id = $document", ("$clone", cloneId), ("$document", documentId)))
            {
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }
            if (_keywords.TryGetValue(cloneId, out var keywords)) _keywords[cloneId] = keywords.ReplaceDocument(documentId, [], []);
            if (_vectors.TryGetValue(cloneId, out var current))
            {
                if (current.Models.Count <= 1) _vectors[cloneId] = current.ReplaceDocument(documentId, null, [], []);
                else _vectors.TryRemove(cloneId, out _);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<IReadOnlyList<EmbeddingModelInfo>> GetModelsAsync(string cloneId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT DISTINCT model, dims FROM chunks WHERE clone_id = $clone ORDER BY model, dims", ("$clone", cloneId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var models = new List<EmbeddingModelInfo>();
        while (await reader.ReadAsync(cancellationToken)) models.Add(new EmbeddingModelInfo(reader.GetString(0), reader.GetInt32(1)));
        return models;
    }

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(query.CloneId);
        if (!SearchModes.All.Contains(query.Mode)) throw new ArgumentException($"Unknown search mode '{query.Mode}'.", nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Top, 1);
        var o = options.Value;
        var maxPerDocument = query.MaxPerDocument > 0 ? query.MaxPerDocument : o.MaxPerDocument;
        var pool = Math.Max(o.CandidatePool, query.Top);

        List<RankedCandidate<long>> ranked;
        List<RankedCandidate<long>>? similarities = null;
        if (query.Mode == SearchModes.Keyword)
        {
            ranked = Keyword(await KeywordsAsync(query.CloneId, cancellationToken), query.Text, pool);
        }
        else
        {
            var vector = query.Vector ?? throw new ArgumentException("Vector and hybrid search need the query vector.", nameof(query));
            var vectors = await VectorsAsync(query.CloneId, cancellationToken);
            CheckModel(vectors, query.Model, vector);
            if (query.Mode == SearchModes.Vector)
            {
                ranked = similarities = Scan(vectors, vector, pool);
            }
            else
            {
                var keywords = await KeywordsAsync(query.CloneId, cancellationToken);
                List<RankedCandidate<long>> keywordRanked, vectorRanked;
                var bestRows = o.RerankDepth > 1 && o.SegmentWeight > 0 ? new Dictionary<long, int>(pool) : null;
                if (ConcurrentHybrid)
                {
                    var keywordTask = Task.Run(() => Keyword(keywords, query.Text, pool), cancellationToken);
                    try
                    {
                        vectorRanked = Scan(vectors, vector, pool, bestRows);
                    }
                    finally
                    {
                        if (!keywordTask.IsCompleted) await Task.WhenAny(keywordTask); // never leave it running unobserved
                    }
                    keywordRanked = await keywordTask;
                }
                else
                {
                    // BM25 over the postings takes a millisecond or two: a thread hop would cost more than it saves.
                    keywordRanked = Keyword(keywords, query.Text, pool);
                    vectorRanked = Scan(vectors, vector, pool, bestRows);
                }
                similarities = vectorRanked;
                ranked = Fuse(keywordRanked, vectorRanked, o);
                if (o.FeedbackChunks > 1 && ranked.Count > 1)
                {
                    // Pseudo-relevance feedback: the fused list's best chunks expand the BM25 query, and both lists are fused again.
                    var expanded = await ExpandedKeywordAsync(query.CloneId, keywords, query.Text, ranked, pool, o, cancellationToken);
                    if (expanded is not null)
                    {
                        keywordRanked = expanded;
                        ranked = Fuse(keywordRanked, vectorRanked, o);
                    }
                }
                if (o.RerankDepth > 1 && (o.SegmentWeight > 0 || o.DocumentWeight > 0 || o.NeighbourWeight > 0 || o.SentenceWeight > 0))
                {
                    var sentences = o.SentenceWeight > 0 ? await SentenceFeatureAsync(query.CloneId, keywords, query.Text, ranked, o, cancellationToken) : null;
                    ranked = Rerank(ranked, vectors, vector, bestRows, sentences, o);
                }
            }
        }

        var chosen = RankFusion.Diversify(ranked, static c => c.DocumentId, query.Top, maxPerDocument);
        return chosen.Count == 0 ? [] : await HitsAsync(query.CloneId, chosen, similarities, cancellationToken);
    }

    /// <summary>Drops the clone's cached vectors and keyword index (tests; a host that changed the table behind the index's back).</summary>
    public void Invalidate(string cloneId)
    {
        _vectors.TryRemove(cloneId, out _);
        _keywords.TryRemove(cloneId, out _);
    }

    internal static void CheckModel(CloneVectors vectors, EmbeddingModelInfo? model, float[] vector)
    {
        if (model is not null && vector.Length != model.Dimensions)
            throw new ArgumentException($"The query vector has {vector.Length} dimensions; {model.Model} has {model.Dimensions}.", nameof(vector));
        if (vectors.Models.Count > 1)
        {
            throw new ConflictException(
                $"This knowledge base was indexed by several embedding models ({Describe(vectors.Models)}). Re-index its documents to search by meaning.");
        }
        if (vectors.LiveCount == 0) return;
        var built = vectors.Models[0];
        if ((model is not null && model != built) || vector.Length != built.Dimensions)
        {
            var current = model is null ? $"{vector.Length}-dimension query vectors" : Describe([model]);
            throw new ConflictException(
                $"This knowledge base was indexed by {Describe([built])}, but searches now use {current}. Re-index its documents to search by meaning; keyword search still works.");
        }
    }

    private static string Describe(IEnumerable<EmbeddingModelInfo> models) =>
        string.Join(", ", models.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Model} ({m.Dimensions} dimensions)")));

    private static List<RankedCandidate<long>> Fuse(List<RankedCandidate<long>> keyword, List<RankedCandidate<long>> vector, RetrievalOptions o) => o.Fusion switch
    {
        FusionModes.Rrf => RankFusion.Fuse(keyword, vector, o.KeywordWeight, o.VectorWeight, o.RrfK),
        FusionModes.ZScore => RankFusion.CombineStandardised(keyword, vector, o.KeywordWeight, o.VectorWeight),
        _ => RankFusion.Combine(keyword, vector, o.KeywordWeight, o.VectorWeight),
    };

    /// <summary>The second stage (<see cref="HybridRerank"/>) over the fused list, with segment features from the clone's vectors.</summary>
    private static List<RankedCandidate<long>> Rerank(
        List<RankedCandidate<long>> fused, CloneVectors vectors, float[] query, Dictionary<long, int>? bestRows, Dictionary<long, double>? sentences, RetrievalOptions o)
    {
        Func<long, double?> segment = static _ => null;
        if (o.SegmentWeight > 0 && bestRows is not null)
            segment = key => bestRows.TryGetValue(key, out var row) ? HybridRerank.TopTwoSegments(vectors, row, query) : null;
        return HybridRerank.Rerank(fused, o.RerankDepth, segment, o.SegmentWeight, o.DocumentWeight, o.NeighbourWeight,
            sentences is null ? null : key => sentences.TryGetValue(key, out var v) ? v : null, o.SentenceWeight);
    }

    /// <summary>
    /// Each of the <see cref="RetrievalOptions.RerankDepth"/> best candidates' best sentence-window BM25
    /// (<see cref="HybridRerank.BestSentenceWindows"/>), from their texts.
    /// </summary>
    private async Task<Dictionary<long, double>?> SentenceFeatureAsync(
        string cloneId, CloneKeywords keywords, string text, List<RankedCandidate<long>> ranked, RetrievalOptions o, CancellationToken cancellationToken)
    {
        var terms = KeywordTokenizer.QueryTerms(text);
        if (terms.Count == 0 || keywords.LiveCount == 0) return null;
        var top = ranked.Take(o.RerankDepth).ToList();
        var texts = await TextsAsync(cloneId, top, cancellationToken);
        var keys = new List<long>(texts.Count);
        var bodies = new List<string>(texts.Count);
        foreach (var (key, body) in texts)
        {
            keys.Add(key);
            bodies.Add(body);
        }
        var live = keywords.LiveCount;
        var idf = new double[terms.Count];
        for (var t = 0; t < terms.Count; t++)
        {
            var df = keywords.DocumentFrequency(terms[t]);
            idf[t] = df == 0 ? 0 : Math.Log(1 + (live - df + 0.5) / (df + 0.5));
        }
        var best = HybridRerank.BestSentenceWindows(bodies, terms, idf, o.SentenceWindow, o.Bm25K1, o.Bm25B);
        var result = new Dictionary<long, double>(keys.Count);
        for (var i = 0; i < keys.Count; i++) result[keys[i]] = best[i];
        return result;
    }

    /// <summary>The texts of some chunks of the clone, by key.</summary>
    private async Task<Dictionary<long, string>> TextsAsync(string cloneId, List<RankedCandidate<long>> chunks, CancellationToken cancellationToken)
    {
        var seqs = new StringBuilder("[");
        foreach (var c in chunks) seqs.Append(seqs.Length > 1 ? "," : "").Append(c.Key.ToString(CultureInfo.InvariantCulture));
        seqs.Append(']');
        var texts = new Dictionary<long, string>(chunks.Count);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(TextsSql, ("$clone", cloneId), ("$seqs", seqs.ToString()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) texts[reader.GetInt64(0)] = reader.GetString(1);
        return texts;
    }

    /// <summary>The best <paramref name="k"/> chunks by their best row; <paramref name="bestRows"/>, when given, gets each one's best row.</summary>
    private static List<RankedCandidate<long>> Scan(CloneVectors vectors, float[] query, int k, Dictionary<long, int>? bestRows = null)
    {
        if (vectors.LiveCount == 0) return [];
        k = Math.Min(k, vectors.Count);
        // Rows of one chunk (its segment vectors) are consecutive: grouping by rowid ranks each chunk once, by its best row.
        if (vectors.Count >= ParallelScanMinRows && Environment.ProcessorCount > 1)
        {
            var (matrix, rowIds, dead) = vectors.Arrays;
            var prows = new int[k];
            var pscores = new float[k];
            var pn = VectorScan.TopKParallel(matrix, vectors.Dimensions, vectors.Count, query, k, prows, pscores, dead, rowIds, Environment.ProcessorCount);
            return Candidates(vectors, prows.AsSpan(0, pn), pscores, bestRows);
        }
        var rows = k <= 256 ? stackalloc int[k] : new int[k];
        var scores = k <= 256 ? stackalloc float[k] : new float[k];
        var n = VectorScan.TopK(vectors.Matrix, vectors.Dimensions, vectors.Count, query, k, rows, scores, vectors.DeadRows, vectors.RowIds);
        return Candidates(vectors, rows[..n], scores, bestRows);
    }

    /// <summary>
    /// A clone with at least this many vector rows is scanned on every core. Below it one thread is quicker than the hand-off;
    /// above it (100,000 chunks of five sentence vectors is 500,000 rows) a search's latency divides by the cores.
    /// </summary>
    public static int ParallelScanMinRows { get; set; } = 65_536;

    private static List<RankedCandidate<long>> Candidates(CloneVectors vectors, ReadOnlySpan<int> rows, ReadOnlySpan<float> scores, Dictionary<long, int>? bestRows)
    {
        var n = rows.Length;
        var result = new List<RankedCandidate<long>>(n);
        for (var i = 0; i < n; i++) result.Add(new RankedCandidate<long>(vectors.RowId(rows[i]), vectors.DocumentId(rows[i]), scores[i]));
        if (bestRows is not null)
        {
            for (var i = 0; i < n; i++) bestRows[vectors.RowId(rows[i])] = rows[i];
        }
        return result;
    }

    /// <summary>
    /// BM25 again with the query expanded by <see cref="KeywordFeedback"/> from the texts of the <see cref="RetrievalOptions.FeedbackChunks"/>
    /// best candidates of <paramref name="first"/>; null when nothing was added.
    /// </summary>
    private async Task<List<RankedCandidate<long>>?> ExpandedKeywordAsync(
        string cloneId, CloneKeywords keywords, string text, List<RankedCandidate<long>> first, int limit, RetrievalOptions o, CancellationToken cancellationToken)
    {
        var terms = KeywordTokenizer.QueryTerms(text);
        if (terms.Count == 0 || keywords.LiveCount == 0) return null;
        var top = first.Take(o.FeedbackChunks).ToList();
        var texts = await TextsAsync(cloneId, top, cancellationToken);
        var feedback = new List<(string Text, double Score)>(top.Count);
        foreach (var c in top)
        {
            if (texts.TryGetValue(c.Key, out var chunkText)) feedback.Add((chunkText, c.Score));
        }
        var (expanded, weights) = KeywordFeedback.Expand(terms, feedback, keywords.DocumentFrequency, keywords.LiveCount, o.FeedbackTerms, o.FeedbackWeight);
        return expanded.Count == terms.Count ? null : Keyword(keywords, expanded, weights, limit);
    }

    private List<RankedCandidate<long>> Keyword(CloneKeywords keywords, string text, int limit) =>
        Keyword(keywords, KeywordTokenizer.QueryTerms(text), default, limit);

    private List<RankedCandidate<long>> Keyword(CloneKeywords keywords, List<string> terms, ReadOnlySpan<float> weights, int limit)
    {
        if (terms.Count == 0 || keywords.LiveCount == 0) return [];
        var k = Math.Min(limit, keywords.LiveCount);
        var rows = k <= 256 ? stackalloc int[k] : new int[k];
        var scores = k <= 256 ? stackalloc float[k] : new float[k];
        var o = options.Value;
        var n = keywords.Search(terms, weights, k, o.KeywordRowBudget, rows, scores, (float)o.Bm25K1, (float)o.Bm25B);
        var result = new List<RankedCandidate<long>>(n);
        for (var i = 0; i < n; i++) result.Add(new RankedCandidate<long>(keywords.RowId(rows[i]), keywords.DocumentId(rows[i]), scores[i]));
        return result;
    }

    /// <summary>The vectors the index keeps for a chunk: its segment vectors when it has them, else its one vector.</summary>
    private static IReadOnlyList<float[]> Vectors(IndexedChunk chunk) =>
        chunk.SegmentVectors is { Count: > 0 } segments ? segments : [chunk.Vector];

    private static KeywordFields Fields(IndexedChunk chunk) => new(chunk.Chunk.Text, chunk.Title ?? "", chunk.Chunk.HeadingPath ?? "");

    private async Task<List<KnowledgeHit>> HitsAsync(
        string cloneId, List<RankedCandidate<long>> chosen, List<RankedCandidate<long>>? similarities, CancellationToken cancellationToken)
    {
        var similarity = similarities?.ToDictionary(c => c.Key, c => c.Score);
        var seqs = new StringBuilder("[");
        foreach (var c in chosen) seqs.Append(seqs.Length > 1 ? "," : "").Append(c.Key.ToString(CultureInfo.InvariantCulture));
        seqs.Append(']');
        var rows = new Dictionary<long, KnowledgeHit>(chosen.Count);
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.Command(HitsSql, ("$clone", cloneId), ("$seqs", seqs.ToString())))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows[reader.GetInt64(0)] = new KnowledgeHit(
                    reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                    reader.GetInt32(6), reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetInt32(8), reader.GetString(9), 0,
                    Vectors: ReadVectors((byte[])reader.GetValue(11), reader.GetInt32(10)));
            }
        }
        // A chunk deleted since the scan's snapshot is simply left out.
        var hits = new List<KnowledgeHit>(chosen.Count);
        foreach (var c in chosen)
        {
            if (rows.TryGetValue(c.Key, out var hit))
                hits.Add(hit with { Score = c.Score, Similarity = similarity is not null && similarity.TryGetValue(c.Key, out var cos) ? cos : null });
        }
        return hits;
    }

    /// <summary>A chunk's vector blob as its vectors (one, or one per segment); none when the blob is malformed.</summary>
    private static float[][]? ReadVectors(byte[] blob, int dims)
    {
        var bytes = dims * sizeof(float);
        if (dims <= 0 || blob.Length == 0 || blob.Length % bytes != 0) return null;
        var vectors = new float[blob.Length / bytes][];
        for (var i = 0; i < vectors.Length; i++)
        {
            var one = blob.AsSpan(i * bytes, bytes).ToArray();
            vectors[i] = new float[dims];
            FromBlob(one, vectors[i]);
        }
        return vectors;
    }

    private async Task<CloneVectors> VectorsAsync(string cloneId, CancellationToken cancellationToken)
    {
        if (_vectors.TryGetValue(cloneId, out var cached)) return cached;
        var gate = Gate(cloneId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_vectors.TryGetValue(cloneId, out cached)) return cached;
            var loaded = await LoadAsync(cloneId, cancellationToken);
            _vectors[cloneId] = loaded;
            return loaded;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<CloneVectors> LoadAsync(string cloneId, CancellationToken cancellationToken)
    {
        var models = await GetModelsAsync(cloneId, cancellationToken);
        if (models.Count == 0) return CloneVectors.Empty;
        if (models.Count > 1) return CloneVectors.Mixed(models);
        var builder = new CloneVectors.Builder(models[0]);
        var documents = new Dictionary<string, string>(StringComparer.Ordinal); // one string per document id
        var dims = models[0].Dimensions;
        var vectorBytes = dims * sizeof(float);
        var blob = new byte[vectorBytes];
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT seq, document_id, vector FROM chunks WHERE clone_id = $clone ORDER BY seq", ("$clone", cloneId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var seq = reader.GetInt64(0);
            var documentId = reader.GetString(1);
            if (!documents.TryGetValue(documentId, out var shared)) documents[documentId] = shared = documentId;
            // One vector, or one per segment, back to back.
            var length = reader.GetBytes(2, 0, null, 0, 0);
            if (length == 0 || length % vectorBytes != 0) throw new InvalidDataException($"Chunk row {seq} has a vector blob of {length} bytes.");
            for (long offset = 0; offset < length; offset += vectorBytes)
            {
                reader.GetBytes(2, offset, blob, 0, vectorBytes);
                FromBlob(blob, builder.Add(seq, shared));
            }
        }
        return builder.Build();
    }

    private async Task<CloneKeywords> KeywordsAsync(string cloneId, CancellationToken cancellationToken)
    {
        if (_keywords.TryGetValue(cloneId, out var cached)) return cached;
        var gate = Gate(cloneId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_keywords.TryGetValue(cloneId, out cached)) return cached;
            var loaded = await LoadKeywordsAsync(cloneId, cancellationToken);
            _keywords[cloneId] = loaded;
            return loaded;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<CloneKeywords> LoadKeywordsAsync(string cloneId, CancellationToken cancellationToken)
    {
        var builder = new CloneKeywords.Builder();
        var documents = new Dictionary<string, string>(StringComparer.Ordinal); // one string per document id
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT seq, document_id, text, title, heading_path FROM chunks WHERE clone_id = $clone ORDER BY seq", ("$clone", cloneId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var documentId = reader.GetString(1);
            if (!documents.TryGetValue(documentId, out var shared)) documents[documentId] = shared = documentId;
            builder.Add(reader.GetInt64(0), shared, new KeywordFields(reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        return builder.Build();
    }

    private SemaphoreSlim Gate(string cloneId) => _gates.GetOrAdd(cloneId, static _ => new SemaphoreSlim(1, 1));

    internal static byte[] ToBlob(float[] vector) => ToBlob([vector]);

    /// <summary>Vectors as float32 little-endian, back to back.</summary>
    internal static byte[] ToBlob(IReadOnlyList<float[]> vectors)
    {
        var bytes = new byte[vectors.Sum(v => v.Length) * sizeof(float)];
        var offset = 0;
        foreach (var v in vectors)
        {
            MemoryMarshal.AsBytes(v.AsSpan()).CopyTo(bytes.AsSpan(offset));
            offset += v.Length * sizeof(float);
        }
        if (!BitConverter.IsLittleEndian) ReverseEach(bytes);
        return bytes;
    }

    internal static void FromBlob(byte[] blob, Span<float> destination)
    {
        if (!BitConverter.IsLittleEndian) ReverseEach(blob);
        MemoryMarshal.Cast<byte, float>(blob.AsSpan()).CopyTo(destination);
    }

    private static void ReverseEach(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i += 4) bytes.AsSpan(i, 4).Reverse();
    }
}
