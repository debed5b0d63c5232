using System.Reflection;
using Mono.Cecil;

namespace CloneAI.Architecture.Tests;

/// <summary>The assemblies under test, loaded by name (no type of theirs is named here, so moving types breaks nothing).</summary>
internal static class Assemblies
{
    public static readonly Assembly Core = Assembly.Load("CloneAI.Core");
    public static readonly Assembly Functions = Assembly.Load("CloneAI.Functions");

    public static ModuleDefinition Read(Assembly assembly) => ModuleDefinition.ReadModule(assembly.Location);
}
