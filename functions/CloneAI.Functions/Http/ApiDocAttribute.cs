namespace CloneAI.Functions.Http;

/// <summary>Who may call a route: nobody needs a token, a token is used when sent, or a token is required.</summary>
public enum ApiAuth
{
    Anonymous,
    Optional,
    Required,
}

/// <summary>What the OpenAPI document says about an HTTP function. The route itself is read from its trigger.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiDocAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;
    public string? Description { get; init; }
    public string Tag { get; init; } = "General";
    /// <summary>Who may call, in words: "anyone", "signed in", "owner or admin"…</summary>
    public string Access { get; init; } = "anyone";
    /// <summary>Whether a bearer token is needed; it decides the operation's security requirement.</summary>
    public ApiAuth Auth { get; init; } = ApiAuth.Anonymous;
    /// <summary>Client errors beyond those the route's shape implies (400 for a body or query, 401 and 403 with a token, 404 with route parameters).</summary>
    public int[] Errors { get; init; } = [];
}

/// <summary>The JSON request body, a record bound by <see cref="RequestBody.ReadAsync{T}"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsAttribute<T> : Attribute;

/// <summary>A non-JSON request body: multipart/form-data with named file fields, or a raw upload.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsFilesAttribute(string field, bool many) : Attribute
{
    public string Field { get; } = field;
    public bool Many { get; } = many;
    /// <summary>Raw body content types accepted as well as multipart (for example image types).</summary>
    public string[] RawContentTypes { get; init; } = [];
    /// <summary>Other form fields (comma-separated text).</summary>
    public string[] TextFields { get; init; } = [];
}

/// <summary>The query string, a record bound by <see cref="QueryReader.Read{T}"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class QueryAttribute<T> : Attribute;

/// <summary>A success response with a JSON body of <typeparamref name="T"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ReturnsAttribute<T>(int status = 200, string? description = null) : Attribute, IReturns
{
    public int Status { get; } = status;
    public string? Description { get; } = description;
    public Type? Type => typeof(T);
}

/// <summary>A success response without a body (202, 204).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ReturnsEmptyAttribute(int status, string? description = null) : Attribute, IReturns
{
    public int Status { get; } = status;
    public string? Description { get; } = description;
    public Type? Type => null;
}

/// <summary>A success response whose body is a file (an image, a download).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReturnsFileAttribute(params string[] contentTypes) : Attribute
{
    public string[] ContentTypes { get; } = contentTypes;
    public string? Description { get; init; }
}

/// <summary>The response can also be <c>text/event-stream</c>, each event's data one of <see cref="Frames"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StreamsAttribute(params Type[] frames) : Attribute
{
    public Type[] Frames { get; } = frames;
}

public interface IReturns
{
    int Status { get; }
    string? Description { get; }
    Type? Type { get; }
}
