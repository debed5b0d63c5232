namespace CloneAI.Embeddings.Tests;

/// <summary>A test that needs a real remote endpoint: skipped unless every named environment variable is set.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RealEndpointFactAttribute : FactAttribute
{
    public RealEndpointFactAttribute(params string[] requiredVariables)
    {
        var missing = requiredVariables.Where(v => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v))).ToList();
        if (missing.Count > 0) Skip = $"Needs a real endpoint: set {string.Join(", ", missing)}.";
    }
}
