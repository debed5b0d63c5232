using System.Text;
using Mono.Cecil;

namespace CloneAI.Architecture.Tests;

/// <summary>
/// Which namespace uses which, and through which types. NetArchTest 1.3.2 checks dependencies type by type and has no cycle
/// rule, so the graph is built here (from Cecil, as NetArchTest reads assemblies) and its cycles are the strongly connected
/// components with more than one namespace.
/// </summary>
internal sealed class NamespaceGraph
{
    private const int WitnessesShown = 8;

    // from namespace -> to namespace -> the (from type, to type) pairs that make the edge
    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<(string From, string To)>>> _edges = new(StringComparer.Ordinal);

    public void AddEdge(string fromNamespace, string toNamespace, string fromType, string toType)
    {
        if (fromNamespace == toNamespace) return;
        if (!_edges.TryGetValue(fromNamespace, out var targets)) _edges[fromNamespace] = targets = new(StringComparer.Ordinal);
        if (!targets.TryGetValue(toNamespace, out var witnesses)) targets[toNamespace] = witnesses = [];
        witnesses.Add((fromType, toType));
        if (!_edges.ContainsKey(toNamespace)) _edges[toNamespace] = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// The node that stands for service registration: top-level static classes whose public methods all extend
    /// <c>IServiceCollection</c> (<c>AddCloneAICore</c> and its parts). Registration wires every feature by design, so it is
    /// a layer of its own above the features rather than a member of its namespace; a feature that used it would still make a
    /// cycle through this node.
    /// </summary>
    public const string Registration = "(service registration)";

    /// <summary>
    /// The namespaces under <paramref name="rootNamespace"/> of <paramref name="module"/>'s own types and their uses of each
    /// other, with registration classes in the <see cref="Registration"/> node.
    /// </summary>
    public static NamespaceGraph Of(ModuleDefinition module, string rootNamespace)
    {
        var graph = new NamespaceGraph();
        string NodeOf(TypeDefinition type) => IsRegistration(type) ? Registration : type.Namespace;
        foreach (var type in module.Types.Where(t => Forbidden.IsUnder(t.Namespace, rootNamespace)))
        {
            foreach (var used in TypeDependencies.Of(type))
            {
                if (used.Scope is not ModuleDefinition || used.Module != module) continue; // another assembly
                var definition = TypeDependencies.Outermost(used).Resolve();
                if (definition is null || !Forbidden.IsUnder(definition.Namespace, rootNamespace)) continue;
                graph.AddEdge(NodeOf(type), NodeOf(definition), type.FullName, definition.FullName);
            }
        }
        return graph;
    }

    private static bool IsRegistration(TypeDefinition type)
    {
        if (!type.IsAbstract || !type.IsSealed || type.IsNested) return false; // static classes only
        var methods = type.Methods.Where(m => m.IsPublic).ToList();
        return methods.Count > 0 && methods.All(m =>
            m.HasCustomAttributes && m.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.ExtensionAttribute")
            && m.Parameters[0].ParameterType.FullName == "Microsoft.Extensions.DependencyInjection.IServiceCollection");
    }

    /// <summary>Each set of namespaces that reach each other (Tarjan's strongly connected components with 2+ members).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in _edges[node].Keys)
            {
                if (!index.TryGetValue(next, out var nextIndex))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], nextIndex);
                }
            }
            if (low[node] != index[node]) return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            } while (member != node);
            if (component.Count > 1) components.Add([.. component.Order(StringComparer.Ordinal)]);
        }

        foreach (var node in _edges.Keys) if (!index.ContainsKey(node)) Visit(node);
        return [.. components.OrderBy(c => c[0], StringComparer.Ordinal)];
    }

    /// <summary>Every cycle with the uses that close it: for each edge inside it, which type uses which.</summary>
    public string Describe(IReadOnlyList<IReadOnlyList<string>> cycles)
    {
        var text = new StringBuilder();
        foreach (var cycle in cycles)
        {
            text.Append("Namespace cycle: ").AppendJoin(" <-> ", cycle).AppendLine();
            foreach (var from in cycle)
            {
                foreach (var (to, witnesses) in _edges[from].Where(e => cycle.Contains(e.Key)))
                {
                    text.Append("  ").Append(from).Append(" -> ").Append(to).Append(": ")
                        .AppendJoin(", ", witnesses.Take(WitnessesShown).Select(w => $"{w.From} uses {w.To}"));
                    if (witnesses.Count > WitnessesShown) text.Append(", and ").Append(witnesses.Count - WitnessesShown).Append(" more");
                    text.AppendLine();
                }
            }
        }
        return text.ToString();
    }
}
