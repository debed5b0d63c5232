using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CloneAI.Bench.Recommend;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Recommendations;
using CloneAI.Local.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// bench/recommend: the recommender's offline evaluation. Generates a catalogue and users with known taste clusters, holds out
// each user's last clone, and measures hit rate@10 of the product's blend (Core's RecommendationBlend over profile vectors from
// the local embedding model, co-usage and popularity) against a popularity baseline (the most used clones by distinct users,
// those the user already used left out), in the same run. Also times the profile vector cache.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var o = BenchOptions.Parse(args);
if (o is null)
{
    Console.WriteLine("usage: bench/recommend [--clones 300] [--users 1000] [--noise 0.2] [--seed 14] [--k 10] [--embedder local|hashing] [--weights C,U,P] [--heavy N] [--results DIR] [--strict]");
    return 2;
}

var total = Stopwatch.StartNew();
var world = Catalogue.Generate(o.Clones, o.Users, o.Noise, new Random(o.Seed));
Console.WriteLine($"catalogue: {world.Clones.Count} clones in {world.Clones.Select(c => c.Category).Distinct().Count()} categories, {Catalogue.Clusters.Length} taste clusters; " +
    $"{world.Users.Count} users, {world.Users.Sum(u => u.Uses.Count)} uses (noise {o.Noise:P0}), seed {o.Seed}");

IKnowledgeEmbedder embedder = o.Embedder == "hashing"
    ? new HashingEmbedder()
    : new KnowledgeEmbedder(new OnnxEmbeddingGenerator(LocalEmbeddingRegistration.ResolveModel(EmbeddingOptions.ArcticXsModel)), Options.Create(new EmbeddingOptions()));
var profiles = new CloneProfileVectors(embedder, NullLogger<CloneProfileVectors>.Instance);

// The profile vector cache: all profiles embedded (a cold start), none (unchanged), then 10 changed clones.
var watch = Stopwatch.StartNew();
var vectors = await profiles.GetAsync(world.Clones) ?? throw new InvalidOperationException("The embedding model failed.");
var coldMs = watch.Elapsed.TotalMilliseconds;
watch.Restart();
await profiles.GetAsync(world.Clones);
var warmMs = watch.Elapsed.TotalMilliseconds;
var changed = world.Clones.Select((c, i) => i < 10 ? c with { Description = c.Description + " Now with office hours." } : c).ToList();
watch.Restart();
await profiles.GetAsync(changed);
var refreshMs = watch.Elapsed.TotalMilliseconds;
Console.WriteLine($"profile vectors ({embedder.Model.Model}, {embedder.Model.Dimensions} dims): all {world.Clones.Count} embedded in {coldMs:F0} ms; " +
    $"unchanged (cache) {warmMs:F1} ms; 10 changed {refreshMs:F0} ms; embedded {profiles.Embedded} profiles in all");

// Hold out each user's last clone; everything else is what the recommender knows.
var train = world.Users.SelectMany(u => u.Uses.Take(u.Uses.Count - 1)).ToList();
var heldOut = world.Users.Where(u => u.Uses.Count >= 2).ToDictionary(u => u.Id, u => u.Uses[^1].CloneId);
var mineByUser = train.GroupBy(u => u.UserId).ToDictionary(g => g.Key, g => (IReadOnlyList<CloneUse>)g.OrderByDescending(x => x.LastUsedAt).ToList());
var usage = new UsageIndex(train);
var popular = world.Clones.OrderByDescending(c => usage.DistinctUsers(c.Id)).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();

var product = o.Weights is { } w ? new RecommendationOptions { ContentWeight = w[0], CoUsageWeight = w[1], PopularityWeight = w[2] } : new RecommendationOptions();
if (o.HeavyUseSessions is { } heavy) product.HeavyUseSessions = heavy;
var variants = new (string Name, RecommendationOptions Options, bool Vectors)[]
{
    ("blend (the product)", product, true),
    ("content only", new RecommendationOptions { ContentWeight = 1, CoUsageWeight = 0, PopularityWeight = 0 }, true),
    ("co-usage only", new RecommendationOptions { ContentWeight = 0, CoUsageWeight = 1, PopularityWeight = 0 }, false),
    ("popularity in the user's categories", new RecommendationOptions { ContentWeight = 0, CoUsageWeight = 0, PopularityWeight = 1 }, false),
    ("blend without profile vectors", product, false),
};
var hits = new int[variants.Length];
var baselineHits = 0;
watch.Restart();
foreach (var (user, target) in heldOut)
{
    var mine = mineByUser.GetValueOrDefault(user) ?? [];
    var used = mine.Select(m => m.CloneId).ToHashSet(StringComparer.Ordinal);
    if (popular.Where(c => !used.Contains(c.Id)).Take(o.K).Any(c => c.Id == target)) baselineHits++;
    for (var v = 0; v < variants.Length; v++)
    {
        var list = RecommendationBlend.Rank(user, mine, world.Clones, usage, variants[v].Vectors ? vectors : null, variants[v].Options, o.K);
        if (list.Items.Any(i => i.Recommended.Id == target)) hits[v]++;
    }
}
var evalMs = watch.Elapsed.TotalMilliseconds;
var n = heldOut.Count;
var baseline = (double)baselineHits / n;
var product0 = (double)hits[0] / n;
var ratio = baseline == 0 ? double.PositiveInfinity : product0 / baseline;
var pass = ratio >= 2.0;

Console.WriteLine();
Console.WriteLine($"hit rate@{o.K} over {n} held-out clones (one per user):");
Console.WriteLine($"  {"popularity baseline (distinct users)",-40} {baseline,7:P1}");
for (var v = 0; v < variants.Length; v++) Console.WriteLine($"  {variants[v].Name,-40} {(double)hits[v] / n,7:P1}");
Console.WriteLine($"  blend / baseline = {ratio:F2}x (target >= 2x): {(pass ? "PASS" : "FAIL")}");
Console.WriteLine($"ranking {n} users x {variants.Length} variants took {evalMs:F0} ms ({evalMs / (n * variants.Length):F2} ms a list); whole run {total.Elapsed.TotalSeconds:F1} s");

var results = new
{
    tool = "bench/recommend",
    at = DateTimeOffset.UtcNow,
    seed = o.Seed, clones = o.Clones, users = o.Users, noise = o.Noise, k = o.K, heldOut = n,
    embedder = embedder.Model.Model, dimensions = embedder.Model.Dimensions,
    profileVectors = new { embedAllMs = Math.Round(coldMs), cachedMs = Math.Round(warmMs, 1), tenChangedMs = Math.Round(refreshMs) },
    hitRate = new Dictionary<string, double>
    {
        ["popularity baseline"] = Math.Round(baseline, 4),
        ["blend"] = Math.Round(product0, 4),
        ["content only"] = Math.Round((double)hits[1] / n, 4),
        ["co-usage only"] = Math.Round((double)hits[2] / n, 4),
        ["popularity in categories"] = Math.Round((double)hits[3] / n, 4),
        ["blend without vectors"] = Math.Round((double)hits[4] / n, 4),
    },
    ratio = Math.Round(ratio, 2), target = 2.0, pass,
    weights = new { content = product.ContentWeight, coUsage = product.CoUsageWeight, popularity = product.PopularityWeight },
    heavyUseSessions = product.HeavyUseSessions,
    rankingMs = Math.Round(evalMs), totalSeconds = Math.Round(total.Elapsed.TotalSeconds, 1),
};
Directory.CreateDirectory(o.Results);
var file = Path.Combine(o.Results, $"recommend-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}.json");
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {file}");
return o.Strict && !pass ? 1 : 0;

sealed record BenchOptions(int Clones, int Users, double Noise, int Seed, int K, string Embedder, string Results, bool Strict, double[]? Weights = null, int? HeavyUseSessions = null)
{
    public static BenchOptions? Parse(string[] args)
    {
        var o = new BenchOptions(300, 1000, 0.2, 14, 10, "local", Path.Combine(FindRepo(), "bench", "results"), false);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--clones" => o with { Clones = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--users" => o with { Users = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--noise" => o with { Noise = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--seed" => o with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--k" => o with { K = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--embedder" => o with { Embedder = EmbedderName(Next()) },
                "--results" => o with { Results = Next() },
                "--strict" => o with { Strict = true },
                "--heavy" => o with { HeavyUseSessions = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--weights" => o with { Weights = Next().Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray() is { Length: 3 } ws ? ws : throw new ArgumentException("--weights content,coUsage,popularity") },
                _ => null!,
            };
            if (o is null) return null;
        }
        return o;
    }

    private static string EmbedderName(string value) =>
        value is "local" or "hashing" ? value : throw new ArgumentException("--embedder: local or hashing");

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CloneAI.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
