using System.Reflection;

namespace CloneAI.Azure.Tests;

/// <summary>Paths the build wrote into this assembly's metadata.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot => Get("RepositoryRoot");
    public static string BicepPath => Get("BicepPath");
    public static string FunctionsHostAssembly => Get("FunctionsHostTargetPath");

    private static string Get(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The build did not record {key}.");
}
