using System.Text.Json;
using System.Text.Json.Nodes;
using CloneAI.Core.Accounts;
using CloneAI.Core.Chat;
using CloneAI.Core.Ports;
using CloneAI.Functions.Api.Ops;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using static CloneAI.Functions.Tests.ApiHarness;

namespace CloneAI.Functions.Tests.Api;

public sealed class OpsApiTests
{
    private readonly Mock<ICloneStore> _store = new();
    private readonly AuthOptions _options = new();
    private readonly AzureAdOptions _azureAd = new()
    {
        Instance = "https://contoso.ciamlogin.com/", TenantId = "11111111-2222-3333-4444-555555555555", ClientId = "api-client-id",
    };
    private readonly OpsApi _api;

    public OpsApiTests() =>
        _api = new OpsApi(_store.Object, Options.Create(_options), Options.Create(_azureAd), Receipts(email: null), NullLogger<OpsApi>.Instance);

    private static SessionReceipts Receipts(IEmailSender? email) =>
        new(Mock.Of<IUserStore>(), email, Options.Create(new AuthOptions()), NullLogger<SessionReceipts>.Instance);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheClientConfigSaysWhetherEndedSessionsAreReceiptedByEmail(bool email)
    {
        var api = new OpsApi(_store.Object, Options.Create(_options), Options.Create(_azureAd), Receipts(email ? Mock.Of<IEmailSender>() : null), NullLogger<OpsApi>.Instance);

        var features = Results.Json(api.ClientConfig(Request())).GetProperty("features");

        Assert.Equal(email, features.GetProperty("receipts").GetBoolean());
        Assert.True(features.GetProperty("chat").GetBoolean());
    }

    [Fact]
    public async Task HealthIs200WhenTheStoreAnswers()
    {
        _store.Setup(s => s.PingAsync(It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var result = await _api.Health(Request(), CancellationToken.None);

        Assert.Equal(200, Assert.IsType<ObjectResult>(result).StatusCode);
        var json = Results.Json(result);
        Assert.Equal(("healthy", "ok"), (json.GetProperty("status").GetString(), json.GetProperty("store").GetString()));
        Assert.Equal(OpsApi.Version, json.GetProperty("version").GetString());
    }

    [Fact]
    public async Task HealthIs503WhenTheStorePingThrowsAndDoesNotLeakTheError()
    {
        _store.Setup(s => s.PingAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("AccountKey=hunter2"));

        var result = await _api.Health(Request(), CancellationToken.None);

        Assert.Equal(503, Assert.IsType<ObjectResult>(result).StatusCode);
        Assert.Equal("degraded", Results.Json(result).GetProperty("status").GetString());
        Assert.DoesNotContain("hunter2", Results.Json(result).GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthIs503WhenTheStoreSaysItIsNotReady()
    {
        _store.Setup(s => s.PingAsync(It.IsAny<CancellationToken>())).ReturnsAsync(false);

        Assert.Equal(503, Assert.IsType<ObjectResult>(await _api.Health(Request(), CancellationToken.None)).StatusCode);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("entra")]
    public void TheClientConfigReportsTheAuthMode(string mode)
    {
        _options.Mode = mode;

        var json = Results.Json(_api.ClientConfig(Request()));

        Assert.Equal(mode, json.GetProperty("authMode").GetString());
        Assert.Equal(OpsApi.Version, json.GetProperty("version").GetString());
    }

    [Fact]
    public void TheLocalClientConfigSaysNothingAboutEntra()
    {
        _options.Mode = "local";

        var json = Results.Json(_api.ClientConfig(Request()));

        Assert.False(json.TryGetProperty("entra", out _));
    }

    [Fact]
    public void TheEntraClientConfigTellsTheWebAppWhereToSignIn()
    {
        _options.Mode = "entra";

        var entra = Results.Json(_api.ClientConfig(Request())).GetProperty("entra");

        Assert.Equal("api-client-id", entra.GetProperty("clientId").GetString());
        Assert.Equal("https://contoso.ciamlogin.com/11111111-2222-3333-4444-555555555555", entra.GetProperty("authority").GetString());
        Assert.Equal(["api://api-client-id/access_as_user"], entra.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["contoso.ciamlogin.com"], entra.GetProperty("knownAuthorities").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public void TheEntraClientConfigAsksForTheRequiredScope()
    {
        _options.Mode = "entra";
        _options.RequiredScope = "chat.use";
        _azureAd.Instance = "https://login.microsoftonline.com";

        var entra = Results.Json(_api.ClientConfig(Request())).GetProperty("entra");

        Assert.Equal(["api://api-client-id/chat.use"], entra.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555", entra.GetProperty("authority").GetString());
        Assert.Equal(["login.microsoftonline.com"], entra.GetProperty("knownAuthorities").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public void TheEntraClientConfigLeavesEntraOutWhileTheAppRegistrationIsNotSet()
    {
        _options.Mode = "entra";
        _azureAd.ClientId = null;

        var json = Results.Json(_api.ClientConfig(Request()));

        Assert.Equal("entra", json.GetProperty("authMode").GetString());
        Assert.False(json.TryGetProperty("entra", out _));
    }

    [Fact]
    public void TheOpenApiDocumentListsEveryRouteOfTheCatalog()
    {
        var content = Assert.IsType<ContentResult>(_api.OpenApiDocument(Request()));
        Assert.Equal("application/json", content.ContentType);
        var document = JsonNode.Parse(content.Content!)!.AsObject();
        var paths = document["paths"]!.AsObject();

        var functions = RouteCatalog.Discover();
        foreach (var f in functions)
        {
            foreach (var method in f.Methods)
            {
                var operation = paths["/api/" + f.Route]?[method.ToLowerInvariant()];
                Assert.True(operation is not null, $"{method} /api/{f.Route} is missing from the OpenAPI document");
                Assert.Equal(f.Name, operation["operationId"]!.GetValue<string>());
                var parameters = operation["parameters"]?.AsArray() ?? [];
                Assert.Equal(f.RouteParameters, parameters.Where(p => p!["in"]!.GetValue<string>() == "path").Select(p => p!["name"]!.GetValue<string>()));
            }
        }
        var operations = paths.Sum(p => p.Value!.AsObject().Count);
        Assert.Equal(functions.Sum(f => f.Methods.Count), operations);
        Assert.StartsWith("3.1.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void OperationsThatNeedASignedInCallerDeclareBearerSecurity()
    {
        var document = JsonNode.Parse(((ContentResult)_api.OpenApiDocument(Request())).Content!)!;

        Assert.NotNull(document["paths"]!["/api/me"]!["get"]!["security"]);
        // An anonymous operation says so with one empty requirement: no scheme is needed.
        Assert.Equal("[{}]", document["paths"]!["/api/health"]!["get"]!["security"]!.ToJsonString());
        Assert.Equal("201", document["paths"]!["/api/clones"]!["post"]!["responses"]!.AsObject().First().Key);
        Assert.NotNull(document["paths"]!["/api/clones"]!["post"]!["requestBody"]);
    }

    [Fact]
    public void TheOpenApiDocumentIsValidJsonWithTheProblemSchema()
    {
        using var document = JsonDocument.Parse(((ContentResult)_api.OpenApiDocument(Request())).Content!);

        Assert.True(document.RootElement.GetProperty("components").GetProperty("schemas").TryGetProperty("Problem", out _));
    }
}
