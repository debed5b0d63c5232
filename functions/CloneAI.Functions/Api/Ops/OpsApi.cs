using System.Reflection;
using System.Text.Json.Nodes;
using CloneAI.Core.Accounts;
using CloneAI.Core.Auth;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Functions.Api.Ops;

/// <summary>Health, client configuration and the OpenAPI document.</summary>
public sealed class OpsApi(ICloneStore store, IOptions<AuthOptions> auth, IOptions<AzureAdOptions> azureAd, SessionReceipts receipts, ILogger<OpsApi> logger)
{
    public static readonly string Version =
        typeof(OpsApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static readonly Lazy<string> OpenApiJson = new(() => OpenApi.Build(RouteCatalog.Discover(), Version).ToJsonString());

    [Function(nameof(Health))]
    [ApiDoc("Liveness and whether the store answers", Tag = "Operations", Returns = "{status, version, store}")]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req, CancellationToken cancellationToken)
    {
        bool ok;
        try { ok = await store.PingAsync(cancellationToken); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Store ping failed");
            ok = false;
        }
        var body = new { status = ok ? "healthy" : "degraded", version = Version, store = ok ? "ok" : "unavailable" };
        return new ObjectResult(body) { StatusCode = ok ? 200 : 503 };
    }

    [Function(nameof(ClientConfig))]
    [ApiDoc("What the web app needs to know: the auth mode, and in entra mode where to sign in", Tag = "Operations",
        Returns = "{authMode, version, features: {chat, knowledge, receipts}, entra?: {clientId, authority, scopes, knownAuthorities}}")]
    public IActionResult ClientConfig(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "config")] HttpRequest req)
    {
        var authMode = auth.Value.IsLocal ? "local" : "entra";
        // receipts: whether this host emails a receipt when a used or charged session ends.
        var features = new { chat = true, knowledge = true, receipts = receipts.Enabled };
        return EntraClient.From(auth.Value, azureAd.Value) is { } entra
            ? new OkObjectResult(new { authMode, version = Version, features, entra })
            : new OkObjectResult(new { authMode, version = Version, features });
    }

    [Function(nameof(OpenApiDocument))]
    [ApiDoc("This document", Tag = "Operations", Returns = "OpenAPI 3.0")]
    public IActionResult OpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest req) =>
        new ContentResult { Content = OpenApiJson.Value, ContentType = "application/json", StatusCode = 200 };
}

/// <summary>What MSAL in the web app needs to sign in to the API's app registration; derived from the AzureAd settings.</summary>
internal sealed record EntraClient(string ClientId, string Authority, IReadOnlyList<string> Scopes, IReadOnlyList<string> KnownAuthorities)
{
    /// <summary>The scope asked for when <c>Auth:RequiredScope</c> is not set: the one the API's app registration exposes.</summary>
    public const string DefaultScope = "access_as_user";

    /// <summary>
    /// Entra mode with the app registration set: authority <c>{Instance}{TenantId}</c>, the API's own scope and the instance host
    /// as the known authority (External ID's ciamlogin.com hosts are not in MSAL's list). Null in local mode or when a setting is missing.
    /// </summary>
    public static EntraClient? From(AuthOptions auth, AzureAdOptions azureAd)
    {
        if (auth.IsLocal
            || string.IsNullOrWhiteSpace(azureAd.ClientId)
            || string.IsNullOrWhiteSpace(azureAd.TenantId)
            || !Uri.TryCreate(azureAd.Instance?.Trim(), UriKind.Absolute, out var instance))
            return null;
        var clientId = azureAd.ClientId.Trim();
        var scope = string.IsNullOrWhiteSpace(auth.RequiredScope) ? DefaultScope : auth.RequiredScope.Trim();
        var authority = instance.AbsoluteUri.TrimEnd('/') + "/" + azureAd.TenantId.Trim();
        return new EntraClient(clientId, authority, [$"api://{clientId}/{scope}"], [instance.Authority]);
    }
}

internal static class OpenApi
{
    public static JsonObject Build(IReadOnlyList<HttpFunction> functions, string version)
    {
        var paths = new JsonObject();
        foreach (var f in functions)
        {
            var path = "/api/" + f.Route;
            if (paths[path] is not JsonObject item) paths[path] = item = new JsonObject();
            foreach (var verb in f.Methods)
            {
                var op = new JsonObject
                {
                    ["operationId"] = f.Name,
                    ["summary"] = f.Doc?.Summary ?? f.Name,
                    ["tags"] = new JsonArray(f.Doc?.Tag ?? "General"),
                    ["x-access"] = f.Doc?.Access ?? "anonymous",
                    ["parameters"] = new JsonArray(f.RouteParameters.Select(p => (JsonNode)new JsonObject
                    {
                        ["name"] = p, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" },
                    }).ToArray()),
                    ["responses"] = new JsonObject
                    {
                        [f.Doc?.Returns is { } r && r.Length >= 3 && char.IsDigit(r[0]) ? r[..3] : "200"] = new JsonObject { ["description"] = f.Doc?.Returns ?? "OK" },
                        ["default"] = new JsonObject
                        {
                            ["description"] = "Problem details (RFC 7807)",
                            ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } },
                        },
                    },
                };
                if (f.Doc?.Access is { } access && access != "anonymous") op["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() });
                if (f.Doc?.Body is { } body)
                    op["requestBody"] = new JsonObject { ["description"] = body, ["content"] = new JsonObject { ["application/json"] = new JsonObject() } };
                item[verb.ToLowerInvariant()] = op;
            }
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject { ["title"] = "CloneAI API", ["version"] = version },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject { ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" } },
                ["schemas"] = new JsonObject
                {
                    ["Problem"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["type"] = new JsonObject { ["type"] = "string" },
                            ["title"] = new JsonObject { ["type"] = "string" },
                            ["status"] = new JsonObject { ["type"] = "integer" },
                            ["detail"] = new JsonObject { ["type"] = "string" },
                            ["errors"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } } },
                        },
                    },
                },
            },
        };
    }
}
