using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloneAI.Core.Knowledge;
using CloneAI.Local.Knowledge;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using CloneAI.Local.Sqlite;

// bench/search: inserts N chunks (random unit 384-dim vectors, texts of words sampled from a Zipf-like vocabulary) for one clone
// through SqliteKnowledgeIndex.UpsertDocumentAsync, then times hybrid searches against a bare TensorPrimitives scan of the
// same vectors. --quality measures keyword retrieval on COVID-QA dev (the in-memory BM25 index against FTS5's bm25(), passage-level
// recall/MRR).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var opts = BenchArgs.Parse(args);
if (opts.Help)
{
    Console.WriteLine("""
        usage: bench/search [--chunks N=100000] [--dims 384] [--words W=120] [--doc-chunks 100] [--queries 500] [--warmup 100]
                            [--corpus PATH] [--keep DIR] [--keyword-row-budget N=0] [--concurrent-hybrid] [--quality] [--strict]
                            [--segments S=1]   (sentence vectors per chunk, as the local host stores them; the bare scan scans them all)
        """);
    return 0;
}
if (opts.Quality) return await Quality.RunAsync(opts);
return await Speed.RunAsync(opts);

sealed record BenchArgs(int Budget, int Chunks, int Dims, int Words, int DocChunks, int Queries, int Warmup, string? Corpus, string? Keep, bool Quality, bool Strict, bool Help, bool Concurrent = false, int Segments = 1)
{
    public static BenchArgs Parse(string[] args)
    {
        var a = new BenchArgs(0, 100_000, 384, 120, 100, 500, 100, null, null, false, false, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => args[++i];
            a = args[i] switch
            {
                "--chunks" => a with { Chunks = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--dims" => a with { Dims = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--words" => a with { Words = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--doc-chunks" => a with { DocChunks = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--queries" => a with { Queries = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--warmup" => a with { Warmup = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--corpus" => a with { Corpus = Next() },
                "--keep" => a with { Keep = Next() },
                "--quality" => a with { Quality = true },
                "--keyword-row-budget" => a with { Budget = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--strict" => a with { Strict = true },
                "--concurrent-hybrid" => a with { Concurrent = true },
                "--segments" => a with { Segments = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture)) },
                "-h" or "--help" => a with { Help = true },
                var other => throw new ArgumentException($"Unknown option {other} (see --help)."),
            };
        }
        return a;
    }

    /// <summary>The COVID-QA folder next to the repository (../shared/eval/covidqa), if it is there.</summary>
    public string? CovidQaDir()
    {
        if (Corpus is not null) return Path.GetDirectoryName(Path.GetFullPath(Corpus));
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "eval", "covidqa");
            if (File.Exists(Path.Combine(candidate, "corpus.jsonl"))) return candidate;
        }
        return null;
    }
}

/// <summary>Words with their corpus frequencies; samples by frequency (the empirical distribution is Zipf-like).</summary>
sealed partial class Vocabulary
{
    private readonly string[] _words;
    private readonly double[] _cumulative;

    private Vocabulary(string[] words, double[] weights)
    {
        _words = words;
        _cumulative = new double[weights.Length];
        double sum = 0;
        for (var i = 0; i < weights.Length; i++) _cumulative[i] = sum += weights[i];
        for (var i = 0; i < weights.Length; i++) _cumulative[i] /= sum;
    }

    public string Source { get; private init; } = "";
    public int Count => _words.Length;

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    public static Vocabulary Load(string? covidQaDir)
    {
        var corpus = covidQaDir is null ? null : Path.Combine(covidQaDir, "corpus.jsonl");
        if (corpus is not null && File.Exists(corpus))
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines(corpus))
            {
                using var doc = JsonDocument.Parse(line);
                var text = doc.RootElement.GetProperty("text").GetString() ?? "";
                foreach (var m in Word().EnumerateMatches(text))
                {
                    var w = text.Substring(m.Index, m.Length).ToLowerInvariant();
                    counts[w] = counts.GetValueOrDefault(w) + 1;
                }
            }
            var sorted = counts.OrderByDescending(kv => kv.Value).ToArray();
            return new Vocabulary(sorted.Select(kv => kv.Key).ToArray(), sorted.Select(kv => (double)kv.Value).ToArray()) { Source = corpus };
        }
        // Synthetic: 30,000 pseudo-words, Zipf s = 1.
        var random = new Random(7);
        var words = new string[30_000];
        for (var i = 0; i < words.Length; i++)
        {
            var len = 3 + random.Next(8);
            var chars = new char[len];
            for (var j = 0; j < len; j++) chars[j] = (char)('a' + random.Next(26));
            words[i] = new string(chars) + i.ToString(CultureInfo.InvariantCulture);
        }
        return new Vocabulary(words, Enumerable.Range(1, words.Length).Select(r => 1.0 / r).ToArray()) { Source = "synthetic Zipf(1) vocabulary" };
    }

    public string Sample(Random random)
    {
        var i = Array.BinarySearch(_cumulative, random.NextDouble());
        return _words[i < 0 ? Math.Min(~i, _words.Length - 1) : i];
    }

    public string Text(Random random, int words)
    {
        var sb = new StringBuilder(words * 8);
        for (var i = 0; i < words; i++) (i == 0 ? sb : sb.Append(' ')).Append(Sample(random));
        return sb.ToString();
    }
}

static class Stats
{
    public static double Percentile(List<double> sortedMs, double p) =>
        sortedMs[Math.Clamp((int)Math.Ceiling(p / 100 * sortedMs.Count) - 1, 0, sortedMs.Count - 1)];

    public static string Line(string name, List<double> ms)
    {
        ms.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"{name,-26} n={ms.Count,4}  mean {ms.Average(),7:F2}  p50 {Percentile(ms, 50),7:F2}  p95 {Percentile(ms, 95),7:F2}  p99 {Percentile(ms, 99),7:F2}  max {ms[^1],7:F2} ms");
    }

    public static void FillUnit(Random random, Span<float> v)
    {
        // Gaussian coordinates (Box–Muller), normalised: uniform on the sphere.
        for (var i = 0; i < v.Length; i += 2)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var r = Math.Sqrt(-2 * Math.Log(u1));
            v[i] = (float)(r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < v.Length) v[i + 1] = (float)(r * Math.Sin(2 * Math.PI * u2));
        }
        var norm = TensorPrimitives.Norm(v);
        TensorPrimitives.Divide(v, norm, v);
    }
}

static class Speed
{
    public static async Task<int> RunAsync(BenchArgs a)
    {
        var dir = a.Keep ?? Path.Combine(Path.GetTempPath(), "cloneai-bench-search-" + Guid.NewGuid().ToString("N"));
        try
        {
            return await RunInAsync(a, dir);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (a.Keep is null) Directory.Delete(dir, true);
        }
    }

    private static async Task<int> RunInAsync(BenchArgs a, string dir)
    {
        var vocabulary = Vocabulary.Load(a.CovidQaDir());
        var options = new RetrievalOptions { KeywordRowBudget = a.Budget };
        SqliteKnowledgeIndex.ConcurrentHybrid = a.Concurrent;
        Console.WriteLine($"cores {Environment.ProcessorCount}, {RuntimeInfo()}");
        Console.WriteLine($"vocabulary: {vocabulary.Count:N0} words from {vocabulary.Source}");
        Console.WriteLine($"{a.Chunks:N0} chunks x {a.Segments} vector(s) x {a.Dims} dims, {a.Words} words per chunk, {a.DocChunks} chunks per document; " +
                          $"fusion {options.Fusion} weights {options.KeywordWeight}/{options.VectorWeight}, candidate pool {options.CandidatePool}, keyword row budget {(a.Budget == 0 ? "off" : a.Budget.ToString("N0", CultureInfo.InvariantCulture))}, " +
                          $"hybrid {(a.Concurrent ? "concurrent (BM25 on a pool thread)" : "sequential")}");

        var random = new Random(42);
        var rowsTotal = a.Chunks * a.Segments;
        var matrix = new float[(long)rowsTotal * a.Dims];
        for (var i = 0; i < rowsTotal; i++) Stats.FillUnit(random, matrix.AsSpan(i * a.Dims, a.Dims));
        float[] ChunkVector(int chunk) => a.Segments == 1 ? matrix.AsSpan(chunk * a.Dims, a.Dims).ToArray() : MeanOfSegments(chunk);
        float[] MeanOfSegments(int chunk)
        {
            var mean = new float[a.Dims];
            for (var s = 0; s < a.Segments; s++) TensorPrimitives.Add(mean, matrix.AsSpan((chunk * a.Segments + s) * a.Dims, a.Dims), mean);
            TensorPrimitives.Divide(mean, TensorPrimitives.Norm(mean), mean);
            return mean;
        }
        IReadOnlyList<float[]>? Segments(int chunk) => a.Segments == 1 ? null
            : Enumerable.Range(0, a.Segments).Select(s => matrix.AsSpan((chunk * a.Segments + s) * a.Dims, a.Dims).ToArray()).ToList();

        var database = new SqliteDatabase(Path.Combine(dir, "cloneai.db"), NullLogger<SqliteDatabase>.Instance);
        var index = new SqliteKnowledgeIndex(database, Options.Create(options));
        var model = new EmbeddingModelInfo("bench-random", a.Dims);
        const string clone = "bench-clone";

        var insert = Stopwatch.StartNew();
        var upserts = new List<double>();
        for (int start = 0, d = 0; start < a.Chunks; start += a.DocChunks, d++)
        {
            var documentId = $"doc{d:D5}";
            var n = Math.Min(a.DocChunks, a.Chunks - start);
            var chunks = new List<IndexedChunk>(n);
            var offset = 0;
            for (var i = 0; i < n; i++)
            {
                var text = vocabulary.Text(random, a.Words);
                chunks.Add(new IndexedChunk(
                    new TextChunk(TextChunk.MakeId(documentId, i), documentId, i, offset, offset + text.Length, i / 4 + 1, "Section " + (i / 10), text, a.Words * 4 / 3),
                    clone, documentId + ".txt", "Document " + d, ChunkVector(start + i), Segments(start + i)));
                offset += text.Length + 2;
            }
            var t = Stopwatch.GetTimestamp();
            await index.UpsertDocumentAsync(clone, documentId, model, chunks);
            upserts.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        insert.Stop();
        Console.WriteLine($"insert: {a.Chunks:N0} chunks in {insert.Elapsed.TotalSeconds:F1} s ({a.Chunks / insert.Elapsed.TotalSeconds:N0} chunks/s incl. text generation); " +
                          $"db {new FileInfo(Path.Combine(dir, "cloneai.db")).Length / 1048576.0:N0} MB + wal");
        Console.WriteLine(Stats.Line("upsert (100-chunk doc)", upserts));

        var queries = new List<(string Text, float[] Vector)>();
        for (var q = 0; q < a.Warmup + a.Queries; q++)
        {
            var v = new float[a.Dims];
            Stats.FillUnit(random, v);
            queries.Add((vocabulary.Text(random, 5 + random.Next(4)), v));
        }

        var load = Stopwatch.StartNew();
        await index.SearchAsync(new KnowledgeQuery(clone, queries[0].Text, queries[0].Vector, SearchModes.Vector, 10, 0, model));
        Console.WriteLine($"first vector search (loads {rowsTotal:N0} vectors from SQLite): {load.Elapsed.TotalMilliseconds:F0} ms");
        GC.Collect();
        var before = GC.GetTotalMemory(true);
        load.Restart();
        await index.SearchAsync(new KnowledgeQuery(clone, queries[0].Text, null, SearchModes.Keyword, 10, 0, model));
        var keywordLoad = load.Elapsed.TotalMilliseconds;
        var after = GC.GetTotalMemory(true);
        Console.WriteLine($"first keyword search (tokenises {a.Chunks:N0} chunks from SQLite into the BM25 index): {keywordLoad:F0} ms, " +
                          $"+{(after - before) / 1048576.0:N0} MB managed heap; process working set {Environment.WorkingSet / 1048576.0:N0} MB");

        async Task<List<double>> Time(string mode)
        {
            for (var q = 0; q < a.Warmup; q++)
                await index.SearchAsync(new KnowledgeQuery(clone, queries[q].Text, queries[q].Vector, mode, 10, 0, model));
            var ms = new List<double>(a.Queries);
            for (var q = a.Warmup; q < queries.Count; q++)
            {
                var t = Stopwatch.GetTimestamp();
                var hits = await index.SearchAsync(new KnowledgeQuery(clone, queries[q].Text, queries[q].Vector, mode, 10, 0, model));
                ms.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                if (hits.Count == 0) throw new InvalidOperationException("A search found nothing.");
            }
            return ms;
        }

        List<double> Bare()
        {
            var k = options.CandidatePool;
            var rows = new int[k];
            var scores = new float[k];
            var checksum = 0.0;
            for (var q = 0; q < a.Warmup; q++) checksum += BareScan(matrix, a.Dims, rowsTotal, queries[q].Vector, rows, scores);
            var ms = new List<double>(a.Queries);
            for (var q = a.Warmup; q < queries.Count; q++)
            {
                var t = Stopwatch.GetTimestamp();
                checksum += BareScan(matrix, a.Dims, rowsTotal, queries[q].Vector, rows, scores);
                ms.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
            GC.KeepAlive(checksum);
            return ms;
        }

        // Interleave: bare, hybrid, keyword, vector, then bare and hybrid again, so drift affects both sides.
        var bare = Bare();
        var hybrid = await Time(SearchModes.Hybrid);
        var keyword = await Time(SearchModes.Keyword);
        var vectorOnly = await Time(SearchModes.Vector);
        bare.AddRange(Bare());
        hybrid.AddRange(await Time(SearchModes.Hybrid));
        // The other way of running hybrid's two rankings, interleaved with this one's, for an A/B in the same process.
        var other = new List<double>();
        var same = new List<double>();
        for (var round = 0; round < 2; round++)
        {
            SqliteKnowledgeIndex.ConcurrentHybrid = !a.Concurrent;
            other.AddRange(await Time(SearchModes.Hybrid));
            SqliteKnowledgeIndex.ConcurrentHybrid = a.Concurrent;
            same.AddRange(await Time(SearchModes.Hybrid));
        }

        Console.WriteLine();
        Console.WriteLine(Stats.Line("bare TensorPrimitives scan", bare));
        Console.WriteLine(Stats.Line("vector (index)", vectorOnly));
        Console.WriteLine(Stats.Line("keyword (in-memory BM25)", keyword));
        Console.WriteLine(Stats.Line("hybrid (index)", hybrid));
        Console.WriteLine(Stats.Line($"A/B hybrid {(a.Concurrent ? "concurrent" : "sequential")}", same));
        Console.WriteLine(Stats.Line($"A/B hybrid {(a.Concurrent ? "sequential" : "concurrent")}", other));
        var hybridP95 = Stats.Percentile(hybrid, 95);
        var bareP95 = Stats.Percentile(bare, 95);
        var ratio = hybridP95 / bareP95;
        var pass1 = hybridP95 <= 30;
        var pass2 = ratio <= 1.5;
        Console.WriteLine();
        Console.WriteLine($"target hybrid p95 <= 30 ms:             {hybridP95,6:F2} ms   {(pass1 ? "PASS" : "FAIL")}");
        Console.WriteLine($"target hybrid p95 / bare scan p95 <= 1.5: {ratio,6:F2} x    {(pass2 ? "PASS" : "FAIL")}");
        return a.Strict && !(pass1 && pass2) ? 1 : 0;
    }

    /// <summary>Dot products over the contiguous matrix and a top-k min-heap: the floor the index's vector search is held to.</summary>
    private static double BareScan(float[] matrix, int dims, int count, float[] query, int[] rows, float[] scores)
    {
        var k = rows.Length;
        var n = 0;
        var m = matrix.AsSpan();
        var q = query.AsSpan();
        for (var i = 0; i < count; i++)
        {
            var s = TensorPrimitives.Dot(m.Slice(i * dims, dims), q);
            if (n < k)
            {
                // Sift up.
                var j = n++;
                while (j > 0 && scores[(j - 1) / 2] > s) { scores[j] = scores[(j - 1) / 2]; rows[j] = rows[(j - 1) / 2]; j = (j - 1) / 2; }
                scores[j] = s;
                rows[j] = i;
            }
            else if (s > scores[0])
            {
                var j = 0;
                while (true)
                {
                    var c = 2 * j + 1;
                    if (c >= k) break;
                    if (c + 1 < k && scores[c + 1] < scores[c]) c++;
                    if (scores[c] >= s) break;
                    scores[j] = scores[c];
                    rows[j] = rows[c];
                    j = c;
                }
                scores[j] = s;
                rows[j] = i;
            }
        }
        return scores[0];
    }

    private static string RuntimeInfo() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, AVX2 {System.Runtime.Intrinsics.X86.Avx2.IsSupported}, AVX-512 {System.Runtime.Intrinsics.X86.Avx512F.IsSupported}";
}

static class Quality
{
    public static async Task<int> RunAsync(BenchArgs a)
    {
        var dir = a.CovidQaDir() ?? throw new InvalidOperationException("COVID-QA (../shared/eval/covidqa) not found.");
        var passages = File.ReadLines(Path.Combine(dir, "passages.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var dev = File.ReadLines(Path.Combine(dir, "dev.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Console.WriteLine($"COVID-QA dev: {dev.Count} questions over {passages.Count} passages (keyword mode, passage-level, MaxPerDocument 100)");
        var tmp = Path.Combine(Path.GetTempPath(), "cloneai-bench-quality-" + Guid.NewGuid().ToString("N"));
        try
        {
            var database = new SqliteDatabase(Path.Combine(tmp, "cloneai.db"), NullLogger<SqliteDatabase>.Instance);
            var index = new SqliteKnowledgeIndex(database, Options.Create(new RetrievalOptions()));
            var model = new EmbeddingModelInfo("none", 2);
            foreach (var doc in passages.GroupBy(p => p.GetProperty("doc_id").GetString()!))
            {
                var chunks = doc.Select((p, i) => new IndexedChunk(
                    new TextChunk(p.GetProperty("id").GetString()!, doc.Key, i, p.GetProperty("start").GetInt32(), p.GetProperty("end").GetInt32(), null, "",
                        p.GetProperty("text").GetString()!, 0),
                    "c", doc.Key + ".txt", p.GetProperty("title").GetString()!, [1, 0])).ToList();
                await index.UpsertDocumentAsync("c", doc.Key, model, chunks);
            }

            void Report(string name, Func<JsonElement, List<string>> search)
            {
                double r5 = 0, r10 = 0, mrr = 0, r5n = 0, nn = 0;
                var t = Stopwatch.StartNew();
                foreach (var q in dev)
                {
                    var relevant = q.GetProperty("relevant_passage_ids").EnumerateArray().Select(x => x.GetString()!).ToHashSet();
                    var ids = search(q);
                    var rank = ids.FindIndex(relevant.Contains);
                    if (rank is >= 0 and < 5) r5++;
                    if (rank is >= 0 and < 10) { r10++; mrr += 1.0 / (rank + 1); }
                    if (!q.GetProperty("context_dependent").GetBoolean()) { nn++; if (rank is >= 0 and < 5) r5n++; }
                }
                Console.WriteLine($"{name,-52} recall@5 {r5 / dev.Count:F3}  recall@10 {r10 / dev.Count:F3}  MRR@10 {mrr / dev.Count:F3}  recall@5 (no context-dependent) {r5n / nn:F3}  ({t.Elapsed.TotalMilliseconds / dev.Count:F2} ms/query)");
            }

            // The reference: FTS5's bm25() (porter unicode61 remove_diacritics 2, weights 1/0.5/0.5), as the index used to rank.
            // The schema no longer keeps an FTS5 table over chunks: the bench builds one over its own copy.
            await using (var connection = await database.OpenAsync())
            {
                await using (var create = connection.CreateCommand())
                {
                    create.CommandText = """
                        CREATE VIRTUAL TABLE chunks_fts USING fts5(text, title, heading_path, content = 'chunks', content_rowid = 'seq',
                            tokenize = 'porter unicode61 remove_diacritics 2');
                        INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild');
                        """;
                    await create.ExecuteNonQueryAsync();
                }
                Report("FTS5 bm25(1.0, 0.5, 0.5) (reference)", q =>
                {
                    var match = RetrievalFtsQuery.Build(q.GetProperty("query").GetString());
                    var ids = new List<string>();
                    if (match is null) return ids;
                    using var command = connection.CreateCommand();
                    command.CommandText = """
                        SELECT c.id FROM chunks_fts CROSS JOIN chunks c ON c.seq = chunks_fts.rowid
                        WHERE chunks_fts MATCH $match AND chunks_fts.rank MATCH 'bm25(1.0, 0.5, 0.5)' ORDER BY chunks_fts.rank LIMIT 10
                        """;
                    command.Parameters.AddWithValue("$match", match);
                    using var reader = command.ExecuteReader();
                    while (reader.Read()) ids.Add(reader.GetString(0));
                    return ids;
                });
            }
            foreach (var budget in new[] { 0, passages.Count * 8 / 100 })
            {
                index = new SqliteKnowledgeIndex(database, Options.Create(new RetrievalOptions { KeywordRowBudget = budget }));
                Report($"in-memory BM25, row budget {(budget == 0 ? "off" : budget + " (8%)")}", q =>
                    index.SearchAsync(new KnowledgeQuery("c", q.GetProperty("query").GetString()!, null, SearchModes.Keyword, 10, 100))
                        .GetAwaiter().GetResult().Select(h => h.ChunkId).ToList());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(tmp, true);
        }
        return 0;
    }
}
