using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using CloneAI.Core.Knowledge;
using CloneAI.Local.AI;
using CloneAI.Local.Knowledge;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloneAI.Eval;

/// <summary>
/// <c>./eval --folds K</c>: k-fold cross-validation of hybrid retrieval settings. Runs in process on the eval's data folder (the
/// clone's SQLite chunks, read through the product's own <see cref="SqliteKnowledgeIndex"/>), with the queries embedded once by
/// the product's local model; every query is searched once per setting of the grid, then each fold picks the setting that does best
/// on the other folds and is read on its own questions.
/// </summary>
internal sealed record CrossValidationOptions(int Folds, int Seed, string? Grid)
{
    /// <summary>Takes <c>--folds K</c>, <c>--seed N</c> and <c>--grid SPEC</c> out of the arguments; null when <c>--folds</c> is absent.</summary>
    public static string[] Take(string[] args, out CrossValidationOptions? options)
    {
        int? folds = null;
        var seed = 12;
        string? grid = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--folds": folds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--grid": grid = Next(); break;
                default: rest.Add(args[i]); break;
            }
        }
        options = folds is { } k ? new CrossValidationOptions(k, seed, grid) : null;
        return [.. rest];
    }
}

internal static class RetrievalGrid
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// The default grid: the current defaults first (ties keep them), then each knob around them. A spec is
    /// <c>Name=v1,v2;Name2=v3,v4</c> over <see cref="RetrievalOptions"/> properties (their cartesian product); <c>|</c> joins
    /// several such products.
    /// </summary>
    public const string DefaultGrid =
        "VectorWeight=0.5,0.75,1;Bm25B=0.3,0.4"
        + "|CandidatePool=200"
        + "|Fusion=zscore;VectorWeight=0.8,1;CandidatePool=100,200"
        + "|RerankDepth=20;SentenceWeight=0.25,0.5;SentenceWindow=2,3"
        + "|RerankDepth=30;SegmentWeight=0.25|RerankDepth=30;DocumentWeight=0.25|RerankDepth=30;NeighbourWeight=0.1"
        + "|FeedbackChunks=3,5;FeedbackTerms=5,10;FeedbackWeight=0.1,0.3"
        + "|Fusion=zscore;VectorWeight=1;CandidatePool=200;RerankDepth=20;SentenceWeight=0.5;SentenceWindow=2,3";

    public static async Task<int> RunAsync(string dataDir, string? cloneId, string queriesPath, CrossValidationOptions cv, string repo)
    {
        var queries = File.ReadLines(queriesPath).Where(l => l.Length > 0).Select(l => Query.From(JsonDocument.Parse(l).RootElement)).ToList();
        var database = new SqliteDatabase(Path.Combine(dataDir, "cloneai.db"), NullLogger<SqliteDatabase>.Instance);
        cloneId ??= await SingleCloneAsync(database);
        var fileOf = await FileNamesAsync(database, cloneId);
        Console.WriteLine($"cross-validation: clone {cloneId}, {fileOf.Count} documents, {queries.Count} queries, {cv.Folds} folds (seed {cv.Seed})");

        var clock = Stopwatch.StartNew();
        using var generator = new OnnxEmbeddingGenerator();
        var embedder = new KnowledgeEmbedder(generator, Options.Create(new EmbeddingOptions()));
        var vectors = new float[queries.Count][];
        for (var i = 0; i < queries.Count; i++) vectors[i] = await embedder.EmbedQueryAsync(queries[i].Text.Trim());
        Console.WriteLine($"  embedded {queries.Count} queries in {clock.Elapsed.TotalSeconds:F1} s");

        var settings = Expand(cv.Grid ?? DefaultGrid);
        var current = new SwitchableOptions();
        var index = new SqliteKnowledgeIndex(database, current);
        var ranks = new int[settings.Count][];
        clock.Restart();
        // Load the clone's vectors and keyword index, and warm the code up, before any search is timed.
        for (var q = 0; q < queries.Count; q++)
            await index.SearchAsync(new KnowledgeQuery(cloneId, queries[q].Text.Trim(), vectors[q], SearchModes.Hybrid, 10, 0, embedder.Model));
        var milliseconds = new double[settings.Count];
        for (var s = 0; s < settings.Count; s++)
        {
            current.Value = settings[s].Options;
            var watch = Stopwatch.StartNew();
            var row = ranks[s] = new int[queries.Count];
            for (var q = 0; q < queries.Count; q++)
            {
                var hits = await index.SearchAsync(new KnowledgeQuery(cloneId, queries[q].Text.Trim(), vectors[q], SearchModes.Hybrid, 10, 0, embedder.Model));
                row[q] = Rank(queries[q], hits, fileOf);
            }
            milliseconds[s] = watch.Elapsed.TotalMilliseconds / queries.Count;
        }
        Console.WriteLine($"  {settings.Count} settings x {queries.Count} queries in {clock.Elapsed.TotalSeconds:F1} s");
        // Every setting on all of dev (for insight only: the choice below never sees its test fold).
        var all = new int[queries.Count]; // fold index 0 for all, read as "test" of fold 0
        Console.WriteLine();
        Console.WriteLine("all of dev (not cross-validated), best 15 by (recall@5 + MRR@10) / 2, and the defaults (recall@5, MRR@10, ms per search):");
        var whole = settings.Select((st, s) => (st.Label, s, M: CrossValidation.Measure(ranks[s], all, 0, train: false))).ToList();
        foreach (var (label, s, m) in whole.OrderByDescending(w => w.M.RecallAt5 + w.M.MrrAt10).Take(15).Concat(whole.Where(w => w.s == 0)).DistinctBy(w => w.s))
            Console.WriteLine($"  {m.RecallAt5:F3} {m.MrrAt10:F3} {milliseconds[s],6:F2}  {(s == 0 ? "[defaults] " : "")}{label}");

        var foldOf = CrossValidation.Assign(queries.Count, cv.Folds, cv.Seed);
        var results = CrossValidation.Run(ranks, foldOf, cv.Folds);
        Console.WriteLine();
        Console.WriteLine($"{cv.Folds}-fold cross-validation (held-out fold; setting chosen on the other folds by (recall@5 + MRR@10) / 2):");
        Console.WriteLine($"{"fold",4} {"n",4} | {"defaults r@5",12} {"MRR@10",7} | {"chosen r@5",10} {"MRR@10",7}  setting");
        var defaults = new List<(double R5, double Mrr)>();
        foreach (var r in results)
        {
            var d = CrossValidation.Measure(ranks[0], foldOf, r.Fold, train: false);
            defaults.Add((d.RecallAt5, d.MrrAt10));
            Console.WriteLine($"{r.Fold + 1,4} {r.TestCount,4} | {d.RecallAt5,12:F3} {d.MrrAt10,7:F3} | {r.RecallAt5,10:F3} {r.MrrAt10,7:F3}  {settings[r.Chosen].Label}");
        }
        var (dr5, dr5sd) = CrossValidation.MeanSd(defaults.Select(d => d.R5).ToList());
        var (dmrr, dmrrsd) = CrossValidation.MeanSd(defaults.Select(d => d.Mrr).ToList());
        var (cr5, cr5sd) = CrossValidation.MeanSd(results.Select(r => r.RecallAt5).ToList());
        var (cmrr, cmrrsd) = CrossValidation.MeanSd(results.Select(r => r.MrrAt10).ToList());
        Console.WriteLine($"mean ± sd  | {dr5,6:F3} ± {dr5sd:F3} {dmrr:F3} ± {dmrrsd:F3} | {cr5,4:F3} ± {cr5sd:F3} {cmrr:F3} ± {cmrrsd:F3}");
        var (gr5, gr5sd) = CrossValidation.MeanSd(results.Select((r, f) => r.RecallAt5 - defaults[f].R5).ToList());
        var (gmrr, gmrrsd) = CrossValidation.MeanSd(results.Select((r, f) => r.MrrAt10 - defaults[f].Mrr).ToList());
        Console.WriteLine($"chosen − defaults, per fold: recall@5 {gr5:+0.000;-0.000} ± {gr5sd:F3}, MRR@10 {gmrr:+0.000;-0.000} ± {gmrrsd:F3}");
        Console.WriteLine($"target (cross-validated): recall@5 >= 0.88 : {cr5:F3} {(cr5 >= 0.88 ? "PASS" : "FAIL")}; MRR@10 >= 0.76 : {cmrr:F3} {(cmrr >= 0.76 ? "PASS" : "FAIL")}");

        var output = Path.Combine(repo, "bench", "results", $"eval-cv-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
        {
            queries = queriesPath,
            cv.Folds,
            cv.Seed,
            grid = cv.Grid ?? DefaultGrid,
            settings = settings.Select((st, s) => new { st.Label, msPerSearch = milliseconds[s], all = new { recallAt5 = whole[s].M.RecallAt5, mrrAt10 = whole[s].M.MrrAt10 } }),
            folds = results.Select((r, f) => new { fold = f + 1, n = r.TestCount, chosen = settings[r.Chosen].Label, recallAt5 = r.RecallAt5, mrrAt10 = r.MrrAt10, defaultsRecallAt5 = defaults[f].R5, defaultsMrrAt10 = defaults[f].Mrr }),
            chosen = new { recallAt5 = new { mean = cr5, sd = cr5sd }, mrrAt10 = new { mean = cmrr, sd = cmrrsd } },
            defaults = new { recallAt5 = new { mean = dr5, sd = dr5sd }, mrrAt10 = new { mean = dmrr, sd = dmrrsd } },
        }, Indented));
        Console.WriteLine($"\nresults: {Path.GetRelativePath(repo, output)}");
        return 0;
    }

    /// <summary>The settings of a grid spec, the defaults first.</summary>
    public static List<(string Label, RetrievalOptions Options)> Expand(string spec)
    {
        var settings = new List<(string Label, RetrievalOptions Options)> { ("defaults", new RetrievalOptions()) };
        foreach (var product in spec.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var axes = product.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(axis =>
            {
                var (name, values) = (axis[..axis.IndexOf('=', StringComparison.Ordinal)].Trim(), axis[(axis.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                var property = typeof(RetrievalOptions).GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
                    ?? throw new ArgumentException($"RetrievalOptions has no setting {name}.");
                return (Property: property, Values: values.Split(',', StringSplitOptions.TrimEntries).ToList());
            }).ToList();
            var combinations = new List<List<(PropertyInfo Property, string Value)>> { new() };
            foreach (var (property, values) in axes)
                combinations = [.. combinations.SelectMany(c => values.Select(v => new List<(PropertyInfo, string)>(c) { (property, v) }))];
            foreach (var combination in combinations)
            {
                var o = new RetrievalOptions();
                foreach (var (property, value) in combination)
                    property.SetValue(o, Convert.ChangeType(value, property.PropertyType, CultureInfo.InvariantCulture));
                var label = string.Join(" ", combination.Select(c => $"{c.Property.Name}={c.Value}"));
                if (!settings.Any(s => s.Label == label)) settings.Add((label, o));
            }
        }
        return settings;
    }

    private static int Rank(Query q, IReadOnlyList<KnowledgeHit> hits, Dictionary<string, string> fileOf)
    {
        for (var i = 0; i < hits.Count; i++)
        {
            var h = hits[i];
            if (h.End - h.Start > 2000) continue; // a citation points at a passage, not at a paper
            var doc = fileOf.GetValueOrDefault(h.DocumentId, "?");
            var hit = q.Spans.Count > 0
                ? q.Spans.Any(s => s.DocId == doc && h.Start < s.End && s.Start < h.End)
                : q.RelevantIds.Contains(doc);
            if (hit) return i + 1;
        }
        return 0;
    }

    private static async Task<string> SingleCloneAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT clone_id FROM chunks";
        var clones = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) clones.Add(reader.GetString(0));
        return clones.Count == 1 ? clones[0] : throw new InvalidOperationException($"The data folder holds {clones.Count} clones with chunks: give --clone.");
    }

    /// <summary>Each document's corpus id (its file name without <c>.txt</c>).</summary>
    private static async Task<Dictionary<string, string>> FileNamesAsync(SqliteDatabase database, string cloneId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT document_id, file_name FROM chunks WHERE clone_id = $clone";
        command.Parameters.Add(new SqliteParameter("$clone", cloneId));
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) map[reader.GetString(0)] = Path.GetFileNameWithoutExtension(reader.GetString(1));
        return map;
    }

    /// <summary>The index reads its options on every search: the grid swaps them between settings.</summary>
    private sealed class SwitchableOptions : IOptions<RetrievalOptions>
    {
        public RetrievalOptions Value { get; set; } = new();
    }
}
