using System.Text.Json.Nodes;
using CloneAI.Functions.Api.Ops;
using CloneAI.Functions.Http;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace CloneAI.Functions.Tests.OpenApi;

/// <summary>The OpenAPI 3.1 document: it reads back cleanly, and it describes every body with a schema that says the truth.</summary>
public sealed class OpenApiDocumentTests
{
    private static readonly string Json = OpenApiDocumentBuilder.ToJson(OpenApiDocumentBuilder.Build(RouteCatalog.Discover(), OpsApi.Version));
    private static readonly JsonObject Document = JsonNode.Parse(Json)!.AsObject();

    private static IEnumerable<string> Types(JsonNode schema) => schema["type"]!.AsArray().Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal);

    private static JsonObject Schema(string name) => Document["components"]!["schemas"]![name]!.AsObject();

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations() =>
        Document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (p.Key, o.Key, o.Value!.AsObject())));

    [Fact]
    public void TheDocumentReadsBackWithMicrosoftOpenApiWithoutErrors()
    {
        var settings = new OpenApiReaderSettings();
        var (document, diagnostic) = OpenApiDocument.Parse(Json, "json", settings);

        Assert.NotNull(document);
        Assert.Empty(diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        Assert.Equal(RouteCatalog.Discover().Sum(f => f.Methods.Count), document.Paths.Sum(p => p.Value.Operations!.Count));
    }

    [Fact]
    public void EveryJsonBodyOfEveryOperationHasASchemaThatResolves()
    {
        var schemas = Document["components"]!["schemas"]!.AsObject();
        var checkedBodies = 0;
        foreach (var (path, method, op) in Operations())
        {
            var bodies = new List<JsonNode?>();
            if (op["requestBody"]?["content"]?["application/json"] is { } request) bodies.Add(request);
            foreach (var (status, response) in op["responses"]!.AsObject())
            {
                if (response!["$ref"] is not null || !status.StartsWith('2')) continue;
                if (response["content"]?["application/json"] is { } json) bodies.Add(json);
            }
            foreach (var body in bodies)
            {
                var schema = body!["schema"];
                Assert.True(schema is not null, $"{method} {path} has a JSON body without a schema");
                if (schema["$ref"]?.GetValue<string>() is { } reference)
                    Assert.True(schemas.ContainsKey(reference.Split('/')[^1]), $"{method} {path} refers to {reference}, which is not in components");
                checkedBodies++;
            }
        }
        Assert.True(checkedBodies >= 50, $"only {checkedBodies} JSON bodies");
        // Every reference anywhere in the document resolves.
        foreach (var reference in System.Text.RegularExpressions.Regex.Matches(Json, "\"\\$ref\": ?\"#/components/(\\w+)/(\\w+)\"").Select(m => (m.Groups[1].Value, m.Groups[2].Value)))
            Assert.True(Document["components"]![reference.Item1]?[reference.Item2] is not null, $"#/components/{reference.Item1}/{reference.Item2} does not resolve");
    }

    [Fact]
    public void EveryOperationHasAClientErrorAProblemDefaultAndASecurityRequirement()
    {
        foreach (var (path, method, op) in Operations())
        {
            var responses = op["responses"]!.AsObject();
            Assert.True(responses.Any(r => r.Key.StartsWith('4')), $"{method} {path} documents no 4xx response");
            Assert.Equal("#/components/responses/Problem", responses["default"]!["$ref"]!.GetValue<string>());
            Assert.NotNull(op["security"]);
            Assert.False(string.IsNullOrWhiteSpace(op["summary"]?.GetValue<string>()));
        }
    }

    [Fact]
    public void ProblemResponsesAreProblemJsonWithTheProblemSchemaAndAnExample()
    {
        foreach (var (name, response) in Document["components"]!["responses"]!.AsObject())
        {
            var media = response!["content"]!["application/problem+json"];
            Assert.True(media is not null, $"{name} is not problem+json");
            Assert.Equal("#/components/schemas/Problem", media["schema"]!["$ref"]!.GetValue<string>());
            Assert.NotNull(media["example"]!["detail"]);
        }
        var problem = Schema("Problem");
        Assert.Equal(["type", "title", "status", "detail"], problem["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("object", problem["properties"]!["errors"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void RouteAccessDecidesTheSecurityRequirement()
    {
        string Security(string path, string method) => Document["paths"]![path]![method]!["security"]!.ToJsonString();

        Assert.Equal("""[{"bearer":[]}]""", Security("/api/me", "get"));
        Assert.Equal("[{}]", Security("/api/categories", "get"));
        // The clone page works without a token and shows more to its owner.
        Assert.Equal("""[{},{"bearer":[]}]""", Security("/api/clones/{id}", "get"));
        Assert.Equal("http", Document["components"]!["securitySchemes"]!["bearer"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void ResponseMembersAreRequiredAndNullableExactlyAsTheyAreWritten()
    {
        var clone = Schema("Clone");
        Assert.Contains("avatarUrl", clone["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(["null", "string"], Types(clone["properties"]!["avatarUrl"]!));
        Assert.Equal("string", clone["properties"]!["name"]!["type"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/Persona", clone["properties"]!["persona"]!["$ref"]!.GetValue<string>());
        Assert.False(clone["additionalProperties"]!.GetValue<bool>());

        // Left out when null: optional, and never null.
        var config = Schema("ClientConfig");
        Assert.DoesNotContain("entra", config["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("#/components/schemas/EntraClient", config["properties"]!["entra"]!["$ref"]!.GetValue<string>());

        // A nullable record member: the record or null.
        var message = Schema("Message");
        Assert.Equal("""[{"$ref":"#/components/schemas/Money"},{"type":"null"}]""", message["properties"]!["cost"]!["anyOf"]!.ToJsonString());
    }

    [Fact]
    public void RequestMembersAreRequiredWhenMarkedAndNullableWhenNullMeansClear()
    {
        var create = Schema("CreateCloneRequest");
        Assert.Equal(["name", "category"], create["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Empty(Schema("UpdateCloneRequest")["required"]?.AsArray() ?? []);

        var pricing = Schema("PricingRequest");
        Assert.Equal(["integer", "null"], Types(pricing["properties"]!["perMinute"]!));
        Assert.Equal("string", pricing["properties"]!["currency"]!["type"]!.GetValue<string>());
        Assert.Contains("USD", pricing["properties"]!["currency"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void QueryRecordsBecomeQueryParametersWithTheirValues()
    {
        var parameters = Document["paths"]!["/api/clones"]!["get"]!["parameters"]!.AsArray();
        var sort = parameters.Single(p => p!["name"]!.GetValue<string>() == "sort")!;

        Assert.Equal("query", sort["in"]!.GetValue<string>());
        Assert.Equal(["popular", "rating", "newest", "price", "relevance"], sort["schema"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(8, parameters.Count);
        Assert.True(Document["paths"]!["/api/clones/{id}/knowledge/search"]!["get"]!["parameters"]!.AsArray()
            .Single(p => p!["name"]!.GetValue<string>() == "q")!["required"]!.GetValue<bool>());
    }

    [Fact]
    public void TheChatStreamDocumentsItsFramesByType()
    {
        var stream = Document["paths"]!["/api/sessions/{sessionId}/messages"]!["post"]!["responses"]!["200"]!["content"]!["text/event-stream"]!["schema"]!;

        Assert.Equal(4, stream["oneOf"]!.AsArray().Count);
        Assert.Equal("#/components/schemas/StartFrame", stream["discriminator"]!["mapping"]!["start"]!.GetValue<string>());
        Assert.Contains("citations", Schema("StartFrame")["required"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public void AContractRecordUsedAsBothRequestAndResponseIsRefused()
    {
        var schemas = new ContractSchemas(new OpenApiDocument());
        schemas.For(typeof(EmailVerifiedLike), request: false);

        var e = Assert.Throws<InvalidOperationException>(() => schemas.For(typeof(EmailVerifiedLike), request: true));
        Assert.Contains("both as a request and as a response", e.Message, StringComparison.Ordinal);
    }

    private sealed record EmailVerifiedLike(bool Verified, string Email);
}
