using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace CloneAI.Functions.Http;

/// <summary>
/// <c>Cache-Control: no-store</c> on every personal API response, in both hosts: whatever answers a signed-in request (a bearer
/// token), hands out or takes tokens (<c>/api/auth/…</c>), or is reached by a link that carries a token. It is set before the
/// function runs, so a function that serves something public (an avatar) may still declare it cacheable itself.
/// </summary>
public static class PersonalResponses
{
    public const string NoStore = "no-store";

    /// <summary>Whether the response to <paramref name="request"/> is about its caller and must never be cached.</summary>
    public static bool IsPersonal(HttpRequest request) =>
        request.Headers.Authorization.Count > 0
        || request.Path.StartsWithSegments("/api/auth", StringComparison.OrdinalIgnoreCase)
        || request.Query.ContainsKey("token") || request.Query.ContainsKey("access_token");

    /// <summary>Marks the response <c>no-store</c> when the request is personal (before the function writes it).</summary>
    public static void Apply(HttpContext context)
    {
        if (IsPersonal(context.Request)) context.Response.Headers.CacheControl = NoStore;
    }
}

/// <summary>The Functions worker's step for <see cref="PersonalResponses"/>: every HTTP-triggered function goes through it.</summary>
public sealed class PersonalResponsesMiddleware : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } http) PersonalResponses.Apply(http);
        return next(context);
    }
}
