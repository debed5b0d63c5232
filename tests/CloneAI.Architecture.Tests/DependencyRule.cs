using System.Collections.Concurrent;
using Mono.Cecil;
using NetArchTest.Rules;

namespace CloneAI.Architecture.Tests;

/// <summary>
/// What a type must not use, by the assembly that defines a used type or by its namespace (each a dotted prefix:
/// <c>Azure</c> matches <c>Azure</c> and <c>Azure.Core</c>, not <c>AzureAdOptions</c>). <see cref="Allowed"/> names the used
/// types that are fine although a prefix matches them.
/// </summary>
internal sealed record Forbidden(string What, IReadOnlyList<string> Assemblies, IReadOnlyList<string> Namespaces)
{
    public Func<TypeReference, bool> Allowed { get; init; } = _ => false;

    public bool Matches(TypeReference type) =>
        !Allowed(type)
        && (Assemblies.Any(p => IsUnder(TypeDependencies.AssemblyOf(type), p))
            || Namespaces.Any(p => IsUnder(TypeDependencies.Outermost(type).Namespace, p)));

    public static bool IsUnder(string name, string prefix) =>
        name.Equals(prefix, StringComparison.Ordinal) || name.StartsWith(prefix + ".", StringComparison.Ordinal);
}

/// <summary>
/// A NetArchTest custom rule: a type meets it when neither it nor its nested types use a <see cref="Forbidden"/> type. It keeps
/// what each failing type uses, so a failure names both sides.
/// </summary>
internal sealed class DependencyRule(params Forbidden[] forbidden) : ICustomRule
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _violations = new(StringComparer.Ordinal);

    public bool MeetsRule(TypeDefinition type)
    {
        var uses = TypeDependencies.Of(type)
            .SelectMany(used => forbidden.Where(f => f.Matches(used))
                .Select(f => $"{TypeDependencies.NameOf(used)} ({f.What}, assembly {TypeDependencies.AssemblyOf(used)})"))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (uses.Count == 0) return true;
        _violations[TypeDependencies.NameOf(type)] = uses;
        return false;
    }

    /// <summary>Runs the rule over the types of <paramref name="should"/>; the message lists every failing type and what it uses.</summary>
    public (bool Ok, string Message) Check(Conditions should)
    {
        var result = should.MeetCustomRule(this).GetResult();
        if (result.IsSuccessful) return (true, "");
        var failing = (result.FailingTypeNames ?? []).Select(n => n.Replace('/', '+')).Order(StringComparer.Ordinal).ToList();
        var lines = _violations.OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => $"  {v.Key} uses {string.Join(", ", v.Value)}");
        return (false, $"{failing.Count} type(s) break the rule: {string.Join(", ", failing)}\n{string.Join("\n", lines)}");
    }
}
