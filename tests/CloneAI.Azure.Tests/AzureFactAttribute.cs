namespace CloneAI.Azure.Tests;

/// <summary>
/// A test that needs a real Azure resource. It is skipped, never faked into passing, unless every named environment
/// variable is set (for example <c>[AzureFact("COSMOS_ENDPOINT")]</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class AzureFactAttribute : FactAttribute
{
    public AzureFactAttribute(params string[] requiredVariables)
    {
        RequiredVariables = requiredVariables;
        var missing = requiredVariables.Where(v => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v))).ToList();
        if (missing.Count > 0) Skip = $"Needs a real Azure resource: set {string.Join(", ", missing)}.";
    }

    public IReadOnlyList<string> RequiredVariables { get; }
}
