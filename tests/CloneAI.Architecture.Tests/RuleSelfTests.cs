using NetArchTest.Rules;

namespace CloneAI.Architecture.Tests;

/// <summary>Each rule can fail, and its message names the types that broke it (see Fixtures.cs).</summary>
public sealed class RuleSelfTests
{
    private const string Fixtures = "CloneAI.Architecture.Tests.Fixtures";

    [Fact]
    public void TheCycleFinderFindsACycleAndTheUsesThatCloseIt()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("A", "B", "A.X", "B.Y");
        graph.AddEdge("B", "C", "B.Y", "C.Z");
        graph.AddEdge("C", "A", "C.Z", "A.X");
        graph.AddEdge("D", "A", "D.W", "A.X"); // reaches the cycle but is not in it
        graph.AddEdge("E", "E", "E.V", "E.U"); // a namespace using itself is no cycle

        var cycles = graph.Cycles();

        var cycle = Assert.Single(cycles);
        Assert.Equal(["A", "B", "C"], cycle);
        var text = graph.Describe(cycles);
        Assert.Contains("A -> B: A.X uses B.Y", text, StringComparison.Ordinal);
        Assert.Contains("C -> A: C.Z uses A.X", text, StringComparison.Ordinal);
        Assert.DoesNotContain("D.W", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCycleFinderFindsEveryCycleOfAGraph()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("A", "B", "A.X", "B.Y");
        graph.AddEdge("B", "A", "B.Y", "A.X");
        graph.AddEdge("B", "C", "B.Y", "C.Z");
        graph.AddEdge("C", "D", "C.Z", "D.W");
        graph.AddEdge("D", "C", "D.W", "C.Z");

        Assert.Equal([["A", "B"], ["C", "D"]], graph.Cycles());
    }

    [Fact]
    public void TheCycleFinderPassesALayeredGraph()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("Chat", "Knowledge", "Chat.Answer", "Knowledge.Index");
        graph.AddEdge("Chat", "Realtime", "Chat.Answer", "Realtime.Hub");
        graph.AddEdge("Knowledge", "Realtime", "Knowledge.Ingest", "Realtime.Hub");
        graph.AddEdge(NamespaceGraph.Registration, "Chat", "Registration", "Chat.Answer");

        Assert.Empty(graph.Cycles());
    }

    [Fact]
    public void TheCycleFinderReadsUsesFromCompiledCodeIncludingLambdas()
    {
        using var module = Assemblies.Read(typeof(RuleSelfTests).Assembly);
        var graph = NamespaceGraph.Of(module, Fixtures + ".Cycle");

        var cycle = Assert.Single(graph.Cycles());
        Assert.Equal([Fixtures + ".Cycle.First", Fixtures + ".Cycle.Second"], cycle);
        var text = graph.Describe([cycle]);
        Assert.Contains($"{Fixtures}.Cycle.First.Alpha uses {Fixtures}.Cycle.Second.Beta", text, StringComparison.Ordinal);
        Assert.Contains($"{Fixtures}.Cycle.Second.Beta uses {Fixtures}.Cycle.First.Alpha", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheProviderRuleCatchesAnAspNetCoreTypeAndNamesBothSides()
    {
        Conditions types() => Types.InAssembly(typeof(RuleSelfTests).Assembly).That().ResideInNamespace(Fixtures + ".Web").Should();

        var (ok, message) = new DependencyRule(CoreRulesTests.ProviderTechnology).Check(types());

        Assert.False(ok);
        Assert.Contains($"{Fixtures}.Web.ReadsTheRequest uses Microsoft.AspNetCore.Http.HttpContext (ASP.NET Core", message, StringComparison.Ordinal);
        // The host-agnostic password hasher is the one allowance: without it, its namespace alone would fail the type.
        Assert.DoesNotContain("HashesAPassword", message, StringComparison.Ordinal);
        var (_, strict) = new DependencyRule(new Forbidden("ASP.NET Core", [], ["Microsoft.AspNetCore"])).Check(types());
        Assert.Contains("HashesAPassword uses Microsoft.AspNetCore.Identity.", strict, StringComparison.Ordinal);
        Assert.Contains("PasswordHasher`1 (ASP.NET Core, assembly Microsoft.Extensions.Identity.Core)", strict, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAdapterRuleCatchesAnyCloneAIAssemblyItDoesNotAllow()
    {
        // With only Functions itself allowed, Core becomes "an adapter": the rule must fail and name the types using it.
        var (ok, message) = new DependencyRule(FunctionsRulesTests.Adapters(["CloneAI.Functions"])).Check(Types.InAssembly(Assemblies.Functions).Should());

        Assert.False(ok);
        Assert.Matches(@"CloneAI\.Functions\.\S+ uses CloneAI\.Core\.\S+ \(adapter project, assembly CloneAI\.Core\)", message);
    }

    [Fact]
    public void TheReferenceRulesReadRealReferences()
    {
        Assert.Equal(["CloneAI.Core"], FunctionsRulesTests.ForeignProjects(Assemblies.Functions.GetReferencedAssemblies().Select(a => a.Name!), []));
        Assert.Contains("CloneAI.Core", FunctionsRulesTests.ProjectDependencies("CloneAI.Functions"));
        Assert.Equal(["CloneAI.Functions"], FunctionsRulesTests.ForeignProjects(FunctionsRulesTests.ProjectDependencies("CloneAI.Architecture.Tests"), ["CloneAI.Core"]));
        Assert.Equal(["CloneAI.Azure", "CloneAI.Local.Hosting"], FunctionsRulesTests.ForeignProjects(
            ["CloneAI.Core", "CloneAI.Azure", "CloneAI.Local.Hosting", "CloneAIish", "Microsoft.Azure.Functions.Worker"], FunctionsRulesTests.AllowedProjects));
    }
}
