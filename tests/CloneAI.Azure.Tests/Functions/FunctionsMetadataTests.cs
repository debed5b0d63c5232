using System.Collections;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloneAI.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace CloneAI.Azure.Tests.Functions;

/// <summary>
/// The function classes live in the CloneAI.Functions library, not in the deployed Worker SDK exe. These tests prove the
/// exe's build still declares every one of them to the Functions host, with the routes and methods the local host and the
/// OpenAPI document use (RouteCatalog): once in functions.metadata, once in the source-generated metadata provider that
/// worker indexing uses at run time. Every other [Function] (orchestrators, activities, the Event Grid blob trigger) is
/// declared with the trigger type its attribute names, and the binding extensions they need are registered with the host.
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

    /// <summary>Every [Function] of the library: its name, entry point and trigger binding type (how the Worker SDK names it).</summary>
    private static List<(string Name, string EntryPoint, string Trigger)> AllFunctions() =>
        typeof(RouteCatalog).Assembly.GetTypes()
            .Where(t => t.IsClass && (!t.IsAbstract || t.IsSealed)) // static classes (orchestrators) are abstract and sealed
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Select(m => (Type: t, Method: m)))
            .Select(x => (x.Type, x.Method, Function: x.Method.GetCustomAttribute<FunctionAttribute>()))
            .Where(x => x.Function is not null)
            .Select(x => (x.Function!.Name, x.Type.FullName + "." + x.Method.Name, TriggerType(TriggerOf(x.Method))))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

    private static TriggerBindingAttribute TriggerOf(MethodInfo method) =>
        Assert.Single(method.GetParameters().Select(p => p.GetCustomAttribute<TriggerBindingAttribute>()).OfType<TriggerBindingAttribute>());

    /// <summary><c>BlobTriggerAttribute</c> is <c>blobTrigger</c>, <c>OrchestrationTriggerAttribute</c> is <c>orchestrationTrigger</c>…</summary>
    private static string TriggerType(TriggerBindingAttribute attribute)
    {
        var name = attribute.GetType().Name;
        name = name.EndsWith("Attribute", StringComparison.Ordinal) ? name[..^"Attribute".Length] : name;
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static JsonArray Metadata()
    {
        var path = Path.Combine(HostDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: the Worker SDK did not generate it.");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
    }

    private static JsonNode Trigger(JsonNode function) =>
        Assert.Single(function["bindings"]!.AsArray(), b => ((string?)b!["type"])!.EndsWith("Trigger", StringComparison.Ordinal))!;

    [Fact]
    public void FunctionsMetadataDeclaresEveryFunctionOfTheLibraryWithItsTrigger()
    {
        var declared = Metadata()
            .Select(f => ((string)f!["name"]!, (string)f["entryPoint"]!, (string)Trigger(f)["type"]!))
            .OrderBy(f => f.Item1, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(AllFunctions(), declared);
        Assert.All(Metadata(), f => Assert.Equal("CloneAI.Functions.dll", (string?)f!["scriptFile"]));
    }

    [Fact]
    public async Task APublishedHostListsEveryRouteTheLocalHostMapsAndEveryOtherTrigger()
    {
        var configuration = HostDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var project = Path.Combine(TestPaths.RepositoryRoot, "functions", "CloneAI.Functions.Host", "CloneAI.Functions.Host.csproj");
        var output = Path.Combine(Path.GetTempPath(), "cloneai-publish-" + Guid.NewGuid().ToString("N"));
        try
        {
            // What azd deploys: the publish folder of the already-built host.
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "publish", project, "-c", configuration, "--no-build", "-o", output, "--nologo", "-v", "quiet" }) start.ArgumentList.Add(a);
            using var publish = System.Diagnostics.Process.Start(start)!;
            var stdout = publish.StandardOutput.ReadToEndAsync();
            var stderr = await publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();
            Assert.True(publish.ExitCode == 0, $"dotnet publish failed: {await stdout}{stderr}");
            foreach (var file in new[] { "functions.metadata", "host.json", "worker.config.json", "extensions.json", "CloneAI.Functions.dll" })
                Assert.True(File.Exists(Path.Combine(output, file)), $"{file} is not in the publish folder");

            var published = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "functions.metadata")))!.AsArray();
            // Every HTTP route, exactly as the local host maps them (RouteCatalog is what FunctionRoutes.Map maps).
            var httpRoutes = published.Where(f => Trigger(f!)["type"]!.GetValue<string>() == "httpTrigger")
                .Select(f => $"{string.Join(",", HttpTrigger(f!["bindings"]!.AsArray()).Methods)} {HttpTrigger(f!["bindings"]!.AsArray()).Route}")
                .Order(StringComparer.Ordinal).ToList();
            var localRoutes = RouteCatalog.Discover()
                .Select(f => $"{string.Join(",", f.Methods.Select(m => m.ToLowerInvariant()).Order())} {f.Route}")
                .Order(StringComparer.Ordinal).ToList();
            Assert.Equal(localRoutes, httpRoutes);
            // And every other trigger: the blob trigger, the orchestrator, each activity, the session timer.
            Assert.Equal(AllFunctions().Where(f => f.Trigger != "httpTrigger").Select(f => $"{f.Name}:{f.Trigger}"),
                published.Where(f => Trigger(f!)["type"]!.GetValue<string>() != "httpTrigger")
                    .Select(f => $"{(string)f!["name"]!}:{(string)Trigger(f)["type"]!}").Order(StringComparer.Ordinal));
            Assert.Contains(published, f => (string?)f!["name"] == "EndExpiredSessions" && (string?)Trigger(f)["type"] == "timerTrigger");
            Assert.Contains(published, f => (string?)f!["name"] == "CompletePendingLedgerLegs" && (string?)Trigger(f)["type"] == "timerTrigger");
        }
        finally
        {
            try { Directory.Delete(output, true); } catch (IOException) { }
        }
    }

    [Fact]
    public void BlobTriggersAreDeclaredWithTheirPathConnectionAndEventGridSource()
    {
        var expected = typeof(RouteCatalog).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null && TriggerOf(m) is BlobTriggerAttribute)
            .Select(m => (m.GetCustomAttribute<FunctionAttribute>()!.Name, Blob: (BlobTriggerAttribute)TriggerOf(m)))
            .ToDictionary(x => x.Name, x => x.Blob);
        var declared = Metadata().Where(f => (string?)Trigger(f!)["type"] == "blobTrigger").ToDictionary(f => (string)f!["name"]!, f => Trigger(f!));

        Assert.Equal(expected.Keys.Order(), declared.Keys.Order());
        foreach (var (name, attribute) in expected)
        {
            Assert.Equal(attribute.BlobPath, (string?)declared[name]["path"]);
            Assert.Equal(attribute.Connection, (string?)declared[name]["connection"]);
            Assert.Equal(attribute.Source.ToString(), (string?)declared[name]["source"]);
        }
    }

    [Fact]
    public void TheIngestionFunctionsAreDeclared()
    {
        var functions = Metadata().ToDictionary(f => (string)f!["name"]!, f => Trigger(f!));

        Assert.True(functions.TryGetValue("OnDocumentUploaded", out var uploaded), "The blob trigger OnDocumentUploaded is not declared.");
        Assert.Equal("blobTrigger", (string?)uploaded["type"]);
        Assert.Equal("cloneai/knowledge/{cloneId}/{documentId}/{fileName}", (string?)uploaded["path"]);
        Assert.Equal("EventGrid", (string?)uploaded["source"]);
        Assert.Equal("KnowledgeStorage", (string?)uploaded["connection"]);
        Assert.True(functions.TryGetValue("IngestDocument", out var orchestrator), "The orchestrator IngestDocument is not declared.");
        Assert.Equal("orchestrationTrigger", (string?)orchestrator["type"]);
        Assert.Contains(functions.Values, t => (string?)t["type"] == "activityTrigger");
    }

    [Fact]
    public void TheHostLoadsTheDurableTaskAndBlobExtensions()
    {
        var extensions = JsonNode.Parse(File.ReadAllText(Path.Combine(HostDirectory, "extensions.json")))!["extensions"]!.AsArray()
            .Select(e => (string)e!["typeName"]!)
            .ToList();
        var triggers = AllFunctions().Select(f => f.Trigger).ToHashSet();

        if (triggers.Contains("orchestrationTrigger") || triggers.Contains("activityTrigger"))
            Assert.Contains(extensions, t => t.StartsWith("Microsoft.Azure.WebJobs.Extensions.DurableTask.", StringComparison.Ordinal));
        if (triggers.Contains("blobTrigger"))
            Assert.Contains(extensions, t => t.StartsWith("Microsoft.Azure.WebJobs.Extensions.Storage.", StringComparison.Ordinal) && t.Contains("Blobs", StringComparison.Ordinal));
        Assert.NotEmpty(extensions);
    }

    [Fact]
    public void TheRootHostJsonNamesTheTaskHubOnTheWebJobsStorageAccount()
    {
        var durable = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "host.json")))!["extensions"]!["durableTask"]!;

        Assert.Equal("cloneai", (string?)durable["hubName"]);
        Assert.Equal("AzureStorage", (string?)durable["storageProvider"]!["type"]);
        Assert.Equal("AzureWebJobsStorage", (string?)durable["storageProvider"]!["connectionName"]);
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
    public async Task TheGeneratedMetadataProviderDeclaresEveryFunctionOfTheLibrary()
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

            var all = metadata.Cast<object>()
                .Select(m => (
                    Name: (string)Get(m, "Name")!,
                    EntryPoint: (string)Get(m, "EntryPoint")!,
                    Trigger: (string)((IEnumerable<string>)Get(m, "RawBindings")!).Select(b => JsonNode.Parse(b)!)
                        .Single(b => ((string?)b["type"])!.EndsWith("Trigger", StringComparison.Ordinal))["type"]!))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .ToList();
            Assert.Equal(AllFunctions(), all);

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
