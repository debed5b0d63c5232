using System.Collections;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloneAI.Functions.Http;

namespace CloneAI.Azure.Tests.Functions;

/// <summary>
/// The function classes live in the CloneAI.Functions library, not in the deployed Worker SDK exe. These tests prove the
/// exe's build still declares every one of them to the Functions host, with the routes and methods the local host and the
/// OpenAPI document use (RouteCatalog): once in functions.metadata, once in the source-generated metadata provider that
/// worker indexing uses at run time.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static string HostDirectory => Path.GetDirectoryName(TestPaths.FunctionsHostAssembly)!;

    private static List<(string Name, string Route, string[] Methods, string EntryPoint, string ScriptFile)> Expected() =>
        RouteCatalog.Discover()
            .Select(f => (f.Name, f.Route, f.Methods.Select(m => m.ToLowerInvariant()).Order().ToArray(),
                f.Class.FullName + "." + f.Method.Name, "CloneAI.Functions.dll"))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

    private static (string Route, string[] Methods) HttpTrigger(IEnumerable<JsonNode?> bindings)
    {
        var trigger = Assert.Single(bindings, b => (string?)b!["type"] == "httpTrigger")!;
        return ((string)trigger["route"]!, trigger["methods"]!.AsArray().Select(m => ((string)m!).ToLowerInvariant()).Order().ToArray());
    }

    [Fact]
    public void TheRouteCatalogFindsTheFunctions() => Assert.True(RouteCatalog.Discover().Count >= 20);

    [Fact]
    public void FunctionsMetadataDeclaresEveryHttpFunctionOfTheLibrary()
    {
        var path = Path.Combine(HostDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: the Worker SDK did not generate it.");
        var functions = JsonNode.Parse(File.ReadAllText(path))!.AsArray()
            .Where(f => f!["bindings"]!.AsArray().Any(b => (string?)b!["type"] == "httpTrigger"))
            .Select(f =>
            {
                var (route, methods) = HttpTrigger(f!["bindings"]!.AsArray());
                return ((string)f["name"]!, route, methods, (string)f["entryPoint"]!, (string)f["scriptFile"]!);
            })
            .OrderBy(f => f.Item1, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(Expected(), functions, new TupleComparer());
    }

    [Fact]
    public async Task TheGeneratedMetadataProviderDeclaresEveryHttpFunctionOfTheLibrary()
    {
        var context = new AssemblyLoadContext("functions-host", isCollectible: true);
        try
        {
            var host = context.LoadFromAssemblyPath(TestPaths.FunctionsHostAssembly);
            var providerType = host.GetType("CloneAI.Functions.Host.GeneratedFunctionMetadataProvider", throwOnError: true)!;
            var provider = Activator.CreateInstance(providerType)!;
            var task = (Task)providerType.GetMethod("GetFunctionMetadataAsync")!.Invoke(provider, [HostDirectory])!;
            await task;
            var metadata = (IEnumerable)task.GetType().GetProperty("Result")!.GetValue(task)!;

            var functions = metadata.Cast<object>()
                .Select(m => (
                    Name: (string)Get(m, "Name")!,
                    Bindings: ((IEnumerable<string>)Get(m, "RawBindings")!).Select(b => JsonNode.Parse(b)).ToList(),
                    EntryPoint: (string)Get(m, "EntryPoint")!,
                    ScriptFile: (string)Get(m, "ScriptFile")!))
                .Where(f => f.Bindings.Any(b => (string?)b!["type"] == "httpTrigger"))
                .Select(f =>
                {
                    var (route, methods) = HttpTrigger(f.Bindings);
                    return (f.Name, route, methods, f.EntryPoint, Path.GetFileName(f.ScriptFile));
                })
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .ToList();

            Assert.Equal(Expected(), functions, new TupleComparer());
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void TheWorkerConfigTurnsOnWorkerIndexing()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(HostDirectory, "worker.config.json")))!;
        Assert.Equal("dotnet-isolated", (string?)config["description"]!["language"]);
        Assert.Equal("true", config["description"]!["workerIndexing"]!.ToString());
    }

    [Fact]
    public void TheRootHostJsonIsCopiedBesideTheWorker()
    {
        var copied = JsonNode.Parse(File.ReadAllText(Path.Combine(HostDirectory, "host.json")))!;
        Assert.Equal("2.0", (string?)copied["version"]);
        Assert.Equal(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "host.json")), File.ReadAllText(Path.Combine(HostDirectory, "host.json")));
    }

    private static object? Get(object target, string property) =>
        target.GetType().GetInterfaces().Append(target.GetType())
            .Select(t => t.GetProperty(property, BindingFlags.Public | BindingFlags.Instance))
            .First(p => p is not null)!.GetValue(target);

    private sealed class TupleComparer : IEqualityComparer<(string, string, string[], string, string)>
    {
        public bool Equals((string, string, string[], string, string) x, (string, string, string[], string, string) y) =>
            x.Item1 == y.Item1 && x.Item2 == y.Item2 && x.Item3.SequenceEqual(y.Item3) && x.Item4 == y.Item4 && x.Item5 == y.Item5;

        public int GetHashCode((string, string, string[], string, string) obj) => obj.Item1.GetHashCode(StringComparison.Ordinal);
    }
}
