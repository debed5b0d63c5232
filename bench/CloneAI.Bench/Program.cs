using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using CloneAI.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

const string ClonesRoute = "/api/clones";
const string HealthRoute = "/api/health";
const double TargetP95Ms = 15;
const double TargetRps = 3000;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

Console.WriteLine($"CloneAI bench: GET {ClonesRoute} (marketplace, default page) against GET {HealthRoute}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");

var started = DateTimeOffset.UtcNow;
await using var host = await BenchHost.StartAsync(options, cancel.Token);
Console.WriteLine($"host: {host.Description}");
Console.WriteLine($"      Kestrel on {host.BaseAddress}, fresh data folder {host.DataDir}");

var seedTime = await Seeder.SeedAsync(host, options.Clones, cancel.Token);
using var load = new LoadGenerator(host.BaseAddress, options.Connections);
var published = await Seeder.CountPublishedAsync(load.Client, cancel.Token);
using (var first = await load.Client.GetAsync(new Uri(ClonesRoute, UriKind.Relative), cancel.Token))
{
    var page = JsonDocument.Parse(await first.Content.ReadAsStringAsync(cancel.Token));
    Console.WriteLine($"seed: {options.Clones} clones created and published through the API in {seedTime.TotalSeconds:F1} s; " +
                      $"marketplace lists {published}; GET {ClonesRoute} returns {page.RootElement.GetProperty("items").GetArrayLength()} items");
    if (published != options.Clones) throw new InvalidOperationException($"Expected {options.Clones} published clones, found {published}.");
}
Console.WriteLine($"load: {options.Connections} connections, closed loop, HTTP/1.1 keep-alive; warm-up {options.Warmup.TotalSeconds:0.#} s, then {options.Duration.TotalSeconds:0.#} s per route");
Console.WriteLine();

PhaseResult? health = null;
if (options.Baseline) await load.RunAsync(HealthRoute, options.Warmup, host.CpuTime, cancel.Token);
await load.RunAsync(ClonesRoute, options.Warmup, host.CpuTime, cancel.Token);
if (options.Baseline) health = await load.RunAsync(HealthRoute, options.Duration, host.CpuTime, cancel.Token);
var clones = await load.RunAsync(ClonesRoute, options.Duration, host.CpuTime, cancel.Token);

var cpuLabel = host.CpuTime() is null ? "CPU cores: process  other" : "host CPU µs/req | cores: host  client  other";
Console.WriteLine($"{"route",-17} {"req/s",9} {"mean ms",8} {"p50 ms",7} {"p95 ms",7} {"p99 ms",7} {"max ms",7} {"errors",6} {"bytes/resp",10}  {cpuLabel}");
foreach (var r in new[] { health, clones }.OfType<PhaseResult>())
{
    var other = r.OtherProcessesCores is { } o ? $"{o,6:F2}" : "     ?";
    var cpu = r.HostCpuCores is { } h ? $"{r.HostCpuMicrosPerRequest,15:F0}              {h,4:F2}  {r.ClientCpuCores,6:F2}  {other}" : $"              {r.ClientCpuCores,4:F2}  {other}";
    Console.WriteLine($"GET {r.Route,-13} {r.RequestsPerSecond,9:N0} {r.MeanMs,8:F2} {r.P50Ms,7:F2} {r.P95Ms,7:F2} {r.P99Ms,7:F2} {r.MaxMs,7:F1} {r.Errors,6} {r.BytesPerResponse,10:N0}  {cpu}");
    if (r.FirstError is not null) Console.WriteLine($"    first error: {r.FirstError}");
}
if (new[] { health, clones }.OfType<PhaseResult>().Any(r => r.OtherProcessesCores > 0.25))
    Console.WriteLine($"WARNING: other processes used CPU during the measurement ({string.Join(", ", new[] { health, clones }.OfType<PhaseResult>().Select(r => $"{r.OtherProcessesCores:F2} cores during {r.Route}"))}); figures are pessimistic.");
Console.WriteLine();

Ratio? ratio = null;
if (health is not null && health.RequestsPerSecond > 0 && health.P95Ms > 0)
{
    ratio = new Ratio(Math.Round(clones.RequestsPerSecond / health.RequestsPerSecond, 3), Math.Round(clones.P95Ms / health.P95Ms, 2));
    Console.WriteLine($"clones vs health baseline: throughput {ratio.Throughput:P0} of baseline, p95 {ratio.P95:F2}x baseline");
}

var p95Pass = clones.P95Ms <= TargetP95Ms && clones.Errors == 0;
var rpsPass = clones.RequestsPerSecond >= TargetRps && clones.Errors == 0;
Console.WriteLine($"target GET {ClonesRoute} p95 <= {TargetP95Ms} ms      : {clones.P95Ms,8:F2} ms    {(p95Pass ? "PASS" : "FAIL")}");
Console.WriteLine($"target GET {ClonesRoute} >= {TargetRps:N0} req/s    : {clones.RequestsPerSecond,8:N0} req/s {(rpsPass ? "PASS" : "FAIL")}");
// Closed loop, so Little's law ties the two: mean latency = connections / throughput.
Console.WriteLine($"note: closed loop at {options.Connections} connections => mean latency = {options.Connections}/throughput; " +
                  $"a mean of {TargetP95Ms} ms alone needs {options.Connections / (TargetP95Ms / 1000):N0} req/s");

var results = new BenchResult(
    started, DateTimeOffset.UtcNow, Environment.ProcessorCount, RuntimeInformation.OSDescription, Environment.Version.ToString(),
    host.Description, options.InProcess ? "in-process" : "child-process",
    options.HostEnvironment.ToDictionary(kv => kv.Key, kv => kv.Value),
    options.Connections, options.Warmup.TotalSeconds, options.Duration.TotalSeconds, options.Clones, Math.Round(seedTime.TotalSeconds, 2),
    health, clones, ratio,
    new Targets(TargetP95Ms, TargetRps, p95Pass, rpsPass));
var dir = options.ResultsDir ?? Path.Combine(BenchOptions.RepositoryRoot(), "bench", "results");
Directory.CreateDirectory(dir);
var file = Path.Combine(dir, $"{started:yyyyMMdd-HHmmss}.json");
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(results, BenchJson.Options), cancel.Token);
Console.WriteLine($"results: {Path.GetRelativePath(Environment.CurrentDirectory, file)}");

return options.Strict && !(p95Pass && rpsPass) ? 3 : 0;

internal sealed record Ratio(double Throughput, double P95);

internal sealed record Targets(double P95Ms, double RequestsPerSecond, bool P95Pass, bool RequestsPerSecondPass);

internal sealed record BenchResult(
    DateTimeOffset StartedAt, DateTimeOffset FinishedAt, int ProcessorCount, string Os, string Runtime,
    string Host, string HostMode, Dictionary<string, string> HostEnvironment,
    int Connections, double WarmupSeconds, double DurationSeconds, int Clones, double SeedSeconds,
    PhaseResult? Health, PhaseResult Marketplace, Ratio? ClonesVsHealth, Targets Targets);

internal static class BenchJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
