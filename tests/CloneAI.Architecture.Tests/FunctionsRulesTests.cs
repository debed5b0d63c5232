using System.Text.Json;
using NetArchTest.Rules;

namespace CloneAI.Architecture.Tests;

/// <summary>
/// The functions speak to Core's ports only; the adapters (CloneAI.Azure, CloneAI.Local, and any later CloneAI.* project) are
/// chosen by the host. Any CloneAI assembly other than Core counts as an adapter, so a new adapter project is caught unnamed.
/// </summary>
public sealed class FunctionsRulesTests
{
    /// <summary>The CloneAI projects Functions may use. A new project that is not an adapter (shared contracts) is added here.</summary>
    internal static readonly string[] AllowedProjects = ["CloneAI.Core", "CloneAI.Functions"];

    private const string Hint = " (A CloneAI project that is not an adapter belongs in FunctionsRulesTests.AllowedProjects.)";

    /// <summary>Any CloneAI assembly but <paramref name="allowed"/>, and the adapters' namespaces wherever their code sits.</summary>
    internal static Forbidden[] Adapters(IReadOnlyList<string> allowed) =>
    [
        new("adapter project", ["CloneAI"], []) { Allowed = t => allowed.Contains(TypeDependencies.AssemblyOf(t)) },
        new("adapter namespace", [], ["CloneAI.Azure", "CloneAI.Local"]),
    ];

    [Fact]
    public void FunctionsUseNoAdapterTypes()
    {
        var (ok, message) = new DependencyRule(Adapters(AllowedProjects)).Check(Types.InAssembly(Assemblies.Functions).Should());
        Assert.True(ok, "CloneAI.Functions must not use adapter types (only CloneAI.Core's ports). " + message + Hint);
    }

    [Fact]
    public void FunctionsAssemblyReferencesNoAdapterAssembly()
    {
        var adapters = ForeignProjects(Assemblies.Functions.GetReferencedAssemblies().Select(a => a.Name!), AllowedProjects);
        Assert.True(adapters.Count == 0, "CloneAI.Functions.dll references adapter assemblies: " + string.Join(", ", adapters) + Hint);
    }

    /// <summary>
    /// The build graph, as the test's deps.json records it: a project reference counts even when no type of it is used yet
    /// (the compiler leaves unused references out of the assembly).
    /// </summary>
    [Fact]
    public void FunctionsProjectReferencesNoAdapterProject()
    {
        var references = ProjectDependencies("CloneAI.Functions");
        var adapters = ForeignProjects(references, AllowedProjects);
        Assert.True(adapters.Count == 0, "CloneAI.Functions.csproj references adapter projects: " + string.Join(", ", adapters) + Hint);
    }

    internal static List<string> ForeignProjects(IEnumerable<string> names, IReadOnlyList<string> allowed) =>
        [.. names.Where(n => Forbidden.IsUnder(n, "CloneAI") && !allowed.Contains(n)).Order(StringComparer.Ordinal)];

    /// <summary>What <paramref name="project"/> depends on, from this test's deps.json (which lists every project it builds with).</summary>
    internal static IReadOnlyList<string> ProjectDependencies(string project)
    {
        var path = Path.Combine(AppContext.BaseDirectory, typeof(FunctionsRulesTests).Assembly.GetName().Name + ".deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var target in deps.RootElement.GetProperty("targets").EnumerateObject())
        {
            foreach (var library in target.Value.EnumerateObject())
            {
                if (!library.Name.StartsWith(project + "/", StringComparison.Ordinal)) continue;
                return library.Value.TryGetProperty("dependencies", out var dependencies)
                    ? [.. dependencies.EnumerateObject().Select(d => d.Name)]
                    : [];
            }
        }
        throw new InvalidOperationException($"{project} is not in {path}.");
    }
}
