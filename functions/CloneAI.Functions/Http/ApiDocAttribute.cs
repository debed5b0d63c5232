namespace CloneAI.Functions.Http;

/// <summary>What the OpenAPI document says about an HTTP function. The route itself is read from its trigger.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiDocAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;
    public string Tag { get; init; } = "General";
    /// <summary>Who may call: "anonymous", "user", "owner or admin", "admin".</summary>
    public string Access { get; init; } = "anonymous";
    public string? Body { get; init; }
    public string Returns { get; init; } = "200";
}
