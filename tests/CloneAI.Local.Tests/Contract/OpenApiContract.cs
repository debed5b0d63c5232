using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloneAI.Functions.Api.Ops;
using CloneAI.Functions.Http;
using Json.Schema;

namespace CloneAI.Local.Tests.Contract;

/// <summary>A response that does not match the API's OpenAPI document.</summary>
public sealed class ContractViolationException(string message) : Exception(message);

/// <summary>
/// The API's OpenAPI document (the one <c>GET /api/openapi.json</c> serves, built from the same code) as a response checker:
/// it finds the operation of a request by method and path template, the response by status (exact, then <c>4XX</c>, then
/// <c>default</c>) and media type, and evaluates a JSON body against that response's schema with JsonSchema.Net. An
/// undocumented status or media type is a violation too.
/// </summary>
public sealed partial class OpenApiContract
{
    public static OpenApiContract Current { get; } = new(
        OpenApiDocumentBuilder.ToJson(OpenApiDocumentBuilder.Build(RouteCatalog.Discover(typeof(OpsApi).Assembly), OpsApi.Version)));

    private readonly JsonObject _document;
    private readonly List<(Regex Pattern, string Template, int Literals)> _paths;
    private readonly JsonObject _defs;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();
    private readonly ConcurrentDictionary<string, int> _validated = new();

    public OpenApiContract(string json)
    {
        _document = JsonNode.Parse(json)!.AsObject();
        _paths = _document["paths"]!.AsObject()
            .Select(p => (new Regex("^" + TemplateParameter().Replace(Regex.Escape(p.Key), "[^/]+") + "$", RegexOptions.CultureInvariant), p.Key,
                p.Key.Split('/').Count(s => !s.StartsWith('{'))))
            .OrderByDescending(p => p.Item3)
            .ToList();
        _defs = Rewrite(_document["components"]!["schemas"]!).AsObject();
    }

    /// <summary>How many responses of each operation (<c>GET /api/...</c>) were checked.</summary>
    public IReadOnlyDictionary<string, int> Validated => _validated;

    /// <summary>Checks one response; throws <see cref="ContractViolationException"/> when it does not match.</summary>
    public void Check(HttpMethod method, string path, int status, MediaTypeHeaderValue? contentType, string? body)
    {
        var template = _paths.FirstOrDefault(p => p.Pattern.IsMatch(path)).Template;
        var operation = template is null ? null : _document["paths"]![template]![method.Method.ToLowerInvariant()]?.AsObject();
        var name = $"{method.Method} {template ?? path}";
        JsonNode? response;
        if (operation is null)
        {
            // No such route or method: the host answers with a problem, which is the Problem schema.
            response = _document["components"]!["responses"]!["Problem"];
        }
        else
        {
            var responses = operation["responses"]!.AsObject();
            var code = status.ToString(CultureInfo.InvariantCulture);
            response = responses[code] ?? responses[$"{code[0]}XX"] ?? (status >= 500 ? responses["default"] : null);
            if (response is null)
                throw new ContractViolationException($"{name} answered {status}, which its OpenAPI operation does not document (it has {string.Join(", ", responses.Select(r => r.Key))}).");
        }
        response = Resolve(response!);
        var content = response["content"]?.AsObject();
        if (content is null || content.Count == 0)
        {
            if (!string.IsNullOrEmpty(body)) throw new ContractViolationException($"{name} answered {status} with a body, but the document says it has none.");
            Count(name);
            return;
        }
        var media = contentType?.MediaType ?? "";
        var documented = content.FirstOrDefault(c => string.Equals(c.Key, media, StringComparison.OrdinalIgnoreCase));
        if (documented.Key is null)
            throw new ContractViolationException($"{name} answered {status} as '{media}', but the document lists {string.Join(", ", content.Select(c => c.Key))}.");
        var schemaNode = documented.Value?["schema"];
        if (schemaNode is null || schemaNode["format"]?.GetValue<string>() == "binary" || !IsJson(media))
        {
            Count(name);
            return;
        }
        var key = $"{name} {status} {media}";
        var schema = _schemas.GetOrAdd(key, _ => Build(schemaNode, key));
        JsonDocument instance;
        try
        {
            instance = JsonDocument.Parse(body ?? "");
        }
        catch (JsonException e)
        {
            throw new ContractViolationException($"{name} answered {status} with a body that is not JSON: {e.Message}");
        }
        using (instance)
        {
            var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!result.IsValid)
            {
                var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                    .SelectMany(d => d.Errors!.Select(e => $"  at '{d.InstanceLocation}' ({d.EvaluationPath}): {e.Key}: {e.Value}"))
                    .Take(20);
                throw new ContractViolationException(
                    $"{name} answered {status} with a body that does not match its schema:\n{string.Join('\n', errors)}\nBody: {Truncate(body!)}");
            }
        }
        Count(name);
    }

    private void Count(string name) => _validated.AddOrUpdate(name, 1, (_, n) => n + 1);

    private static bool IsJson(string media) => media.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private JsonNode Resolve(JsonNode node) =>
        node["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/components/responses/", StringComparison.Ordinal)
            ? _document["components"]!["responses"]![reference["#/components/responses/".Length..]]!
            : node;

    /// <summary>A standalone JSON Schema (2020-12) of one response: its schema with every component under <c>$defs</c>.</summary>
    private JsonSchema Build(JsonNode schemaNode, string key)
    {
        var root = Rewrite(schemaNode) is JsonObject o ? o : new JsonObject { ["allOf"] = new JsonArray(Rewrite(schemaNode)) };
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = _defs.DeepClone();
        var id = new Uri("https://contract.cloneai.test/" + Uri.EscapeDataString(key));
        return JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, id);
    }

    private static JsonNode Rewrite(JsonNode node) =>
        JsonNode.Parse(node.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal))!;

    private static string Truncate(string s) => s.Length <= 2000 ? s : s[..2000] + "…";

    [GeneratedRegex(@"\\\{[^/]+?\}")]
    private static partial Regex TemplateParameter();
}

/// <summary>Checks every response an end-to-end test receives against the OpenAPI document, before the test sees it.</summary>
public sealed class ContractValidatingHandler(OpenApiContract contract) : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        if (!path.StartsWith("/api/", StringComparison.Ordinal)) return response;
        var media = response.Content.Headers.ContentType;
        // A stream is read by the test as it comes; its frames are not a JSON body.
        if (media?.MediaType == "text/event-stream")
        {
            contract.Check(request.Method, path, (int)response.StatusCode, media, body: null);
            return response;
        }
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = media is null || media.MediaType!.StartsWith("image/", StringComparison.Ordinal) ? null : await response.Content.ReadAsStringAsync(cancellationToken);
        contract.Check(request.Method, path, (int)response.StatusCode, media, body);
        return response;
    }
}

public static class ContractClient
{
    /// <summary>An HTTP client whose every API response is checked against the OpenAPI document.</summary>
    public static HttpClient Create(Uri baseAddress, TimeSpan? timeout = null) =>
        new(new ContractValidatingHandler(OpenApiContract.Current)) { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
}
