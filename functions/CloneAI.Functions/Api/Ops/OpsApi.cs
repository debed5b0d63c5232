using System.Reflection;
using System.Text.Json.Nodes;
using CloneAI.Core.Accounts;
using CloneAI.Core.Chat;
using CloneAI.Core.Ports;
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

    private static readonly Lazy<string> OpenApiJson = new(() => OpenApiDocumentBuilder.ToJson(OpenApiDocumentBuilder.Build(RouteCatalog.Discover(), Version)));

    [Function(nameof(Health))]
    [ApiDoc("Liveness and whether the store answers", Tag = "Operations")]
    [Returns<Health>(200, "Healthy")]
    [Returns<Health>(503, "Degraded: the store does not answer")]
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
        var body = new Health(ok ? HealthStatus.Healthy : HealthStatus.Degraded, Version, ok ? StoreStatus.Ok : StoreStatus.Unavailable);
        return new ObjectResult(body) { StatusCode = ok ? 200 : 503 };
    }

    [Function(nameof(ClientConfig))]
    [ApiDoc("What the web app needs to know: the auth mode, and in entra mode where to sign in", Tag = "Operations")]
    [Returns<ClientConfig>]
    public IActionResult ClientConfig(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "config")] HttpRequest req)
    {
        var authMode = auth.Value.IsLocal ? Core.Names.AuthModeLocal : Core.Names.AuthModeEntra;
        var features = new ClientFeatures(Chat: true, Knowledge: true, Receipts: receipts.Enabled);
        return new OkObjectResult(new ClientConfig(authMode, Version, features, EntraClient.From(auth.Value, azureAd.Value)));
    }

    [Function(nameof(OpenApiDocument))]
    [ApiDoc("This document: the API's OpenAPI 3.1 description", Tag = "Operations")]
    [Returns<JsonObject>(200, "An OpenAPI 3.1 document")]
    public IActionResult OpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest req) =>
        new ContentResult { Content = OpenApiJson.Value, ContentType = "application/json", StatusCode = 200 };
}

/// <summary>What MSAL in the web app needs to sign in to the API's app registration; derived from the AzureAd settings.</summary>
public sealed record EntraClient(string ClientId, string Authority, IReadOnlyList<string> Scopes, IReadOnlyList<string> KnownAuthorities)
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
