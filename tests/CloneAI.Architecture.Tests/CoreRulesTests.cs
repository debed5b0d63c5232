using Mono.Cecil;
using NetArchTest.Rules;

namespace CloneAI.Architecture.Tests;

/// <summary>Core is the domain and its ports: no cloud SDK, database, web framework or model provider inside it.</summary>
public sealed class CoreRulesTests
{
    /// <summary>
    /// The provider and host technologies Core must not touch. Assemblies are matched as well as namespaces, because some
    /// packages put their types into shared namespaces (Microsoft.Extensions.AI.OpenAI's extensions live in
    /// <c>Microsoft.Extensions.AI</c>). The one allowance: the password hasher of Microsoft.Extensions.Identity.Core, a
    /// host-agnostic package whose types happen to live in <c>Microsoft.AspNetCore.Identity</c>.
    /// </summary>
    internal static readonly Forbidden[] ProviderTechnology =
    [
        new("Azure SDK", ["Azure", "Microsoft.Azure", "Microsoft.Extensions.Azure"], ["Azure", "Microsoft.Azure", "Microsoft.Extensions.Azure"]),
        new("SQLite", ["Microsoft.Data.Sqlite", "SQLitePCLRaw"], ["Microsoft.Data.Sqlite", "SQLitePCL"]),
        new("ASP.NET Core", ["Microsoft.AspNetCore"], ["Microsoft.AspNetCore"])
        {
            Allowed = t => TypeDependencies.AssemblyOf(t) == "Microsoft.Extensions.Identity.Core",
        },
        new("OpenAI", ["OpenAI", "Microsoft.Extensions.AI.OpenAI"], ["OpenAI"]),
    ];

    [Fact]
    public void CoreUsesNoAzureSqliteAspNetCoreOrOpenAITypes()
    {
        var (ok, message) = new DependencyRule(ProviderTechnology).Check(Types.InAssembly(Assemblies.Core).Should());
        Assert.True(ok, "CloneAI.Core must not use Azure SDK, SQLite, ASP.NET Core or OpenAI types; adapters do. " + message);
    }

    [Fact]
    public void CoreNamespacesHaveNoCycles()
    {
        using var module = Assemblies.Read(Assemblies.Core);
        var graph = NamespaceGraph.Of(module, "CloneAI.Core");
        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, "The namespaces of CloneAI.Core must not depend on each other in a cycle.\n" + graph.Describe(cycles));
    }
}
