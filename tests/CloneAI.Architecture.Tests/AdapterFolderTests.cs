using Mono.Cecil;

namespace CloneAI.Architecture.Tests;

/// <summary>
/// Each port's adapter sits in the folder (and namespace) of the Core feature that owns the port, with the same name in both
/// adapter projects: <c>Core/Users/IUserStore</c> is implemented in <c>CloneAI.Azure.Users</c> and <c>CloneAI.Local.Users</c>.
/// The adapters are read from their build output beside this project's (same configuration), as ./test builds the solution.
/// </summary>
public sealed class AdapterFolderTests
{
    public static TheoryData<string> AdapterProjects => new() { "CloneAI.Azure", "CloneAI.Local" };

    [Theory]
    [MemberData(nameof(AdapterProjects))]
    public void EveryPortAdapterSitsInItsPortsFeatureFolder(string project)
    {
        using var module = ModuleDefinition.ReadModule(BuiltAssembly(project));
        var adapters = AdaptersOf(module, project).ToList();

        Assert.True(adapters.Count >= 5, $"{project}: only {adapters.Count} port adapters found");
        var misplaced = adapters.Where(a => a.Type.Namespace != $"{project}.{a.Feature}")
            .Select(a => $"{a.Type.FullName} implements {a.Port} (Core feature {a.Feature}) but is in {a.Type.Namespace}, not {project}.{a.Feature}")
            .ToList();
        Assert.True(misplaced.Count == 0, string.Join("\n", misplaced));
    }

    [Fact]
    public void APortImplementedByBothHostsIsInTheSameFolderInBoth()
    {
        using var azure = ModuleDefinition.ReadModule(BuiltAssembly("CloneAI.Azure"));
        using var local = ModuleDefinition.ReadModule(BuiltAssembly("CloneAI.Local"));
        var azureFolders = AdaptersOf(azure, "CloneAI.Azure").ToLookup(a => a.Port, a => a.Type.Namespace!["CloneAI.Azure.".Length..]);
        var localFolders = AdaptersOf(local, "CloneAI.Local").ToLookup(a => a.Port, a => a.Type.Namespace!["CloneAI.Local.".Length..]);

        var shared = azureFolders.Select(g => g.Key).Intersect(localFolders.Select(g => g.Key)).ToList();
        Assert.Contains("CloneAI.Core.Users.IUserStore", shared);
        foreach (var port in shared)
            Assert.Equal(azureFolders[port].Distinct(), localFolders[port].Distinct());
    }

    /// <summary>A port's adapter is a class of the project that implements an interface declared in CloneAI.Core.</summary>
    private static IEnumerable<(TypeDefinition Type, string Port, string Feature)> AdaptersOf(ModuleDefinition module, string project) =>
        from type in module.Types
        where type.IsClass && !type.IsAbstract && type.Namespace.StartsWith(project + ".", StringComparison.Ordinal)
        from i in type.Interfaces
        let port = i.InterfaceType
        where port.Scope.Name.StartsWith("CloneAI.Core", StringComparison.Ordinal) && port.Namespace.StartsWith("CloneAI.Core.", StringComparison.Ordinal)
        select (type, port.FullName, port.Namespace["CloneAI.Core.".Length..]);

    /// <summary>functions/{project}/bin/{configuration}/{framework}/{project}.dll, beside this test project's own output.</summary>
    private static string BuiltAssembly(string project)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CloneAI.sln"))) root = root.Parent;
        Assert.True(root is not null, "The repository root (CloneAI.sln) was not found above " + AppContext.BaseDirectory);
        var path = Path.Combine(root.FullName, "functions", project, "bin", configuration, framework, project + ".dll");
        Assert.True(File.Exists(path), $"{path} is not built; build the solution (./test does) before this test.");
        return path;
    }
}
