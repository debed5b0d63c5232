using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace CloneAI.Local.Tests.Billing;

/// <summary>
/// Lago's official OpenAPI description (<c>../shared/contracts/lago-openapi.yaml</c> beside the repository root), read with
/// Microsoft.OpenApi and its YAML reader, as a checker of request bodies: the operation is found by method and path template,
/// and a JSON body is evaluated against the operation's request schema with JsonSchema.Net (every component schema under
/// <c>$defs</c>). Webhook bodies are checked against the schema of the named webhook.
/// </summary>
public sealed partial class LagoContract
{
    private static readonly Lazy<LagoContract> Shared = new(() => new LagoContract(Load()));

    public static LagoContract Current => Shared.Value;

    private readonly JsonObject _document;
    private readonly List<(Regex Pattern, string Template, int Literals)> _paths;
    private readonly JsonObject _defs;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    public LagoContract(JsonObject document)
    {
        _document = document;
        _paths = _document["paths"]!.AsObject()
            .Select(p => (new Regex("^" + TemplateParameter().Replace(Regex.Escape(p.Key), "[^/]+") + "$", RegexOptions.CultureInvariant), p.Key,
                p.Key.Split('/').Count(s => !s.StartsWith('{'))))
            .OrderByDescending(p => p.Item3)
            .ToList();
        _defs = Rewrite(_document["components"]!["schemas"]!).AsObject();
    }

    /// <summary>The path of the description file: ../shared/contracts/lago-openapi.yaml beside the repository root (the folder with CloneAI.sln).</summary>
    public static string FilePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "CloneAI.sln"))) continue;
            var path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "contracts", "lago-openapi.yaml"));
            Assert.True(File.Exists(path), $"Lago's OpenAPI description is missing: expected {path} (../shared/contracts beside the repository root).");
            return path;
        }
        throw new InvalidOperationException("The repository root (CloneAI.sln) was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Reads the YAML with Microsoft.OpenApi and writes it back as OpenAPI 3.1 JSON, the form the checker walks.</summary>
    private static JsonObject Load()
    {
        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        using var stream = File.OpenRead(FilePath());
        var read = OpenApiDocument.LoadAsync(stream, "yaml", settings).GetAwaiter().GetResult();
        Assert.True(read.Document is not null, "Lago's OpenAPI description could not be read: " +
            string.Join("; ", read.Diagnostic?.Errors.Select(e => e.Message) ?? []));
        var json = read.Document!.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1).GetAwaiter().GetResult();
        // The writer leaves control characters of examples (the signature header's example) unescaped: escape them.
        json = ControlCharacter().Replace(json, m => $"\\u{(int)m.Value[0]:x4}");
        return JsonNode.Parse(json)!.AsObject();
    }

    /// <summary>Whether the description has this operation (<paramref name="path"/> below <c>/api/v1</c>, e.g. <c>/events</c>).</summary>
    public JsonObject? Operation(string method, string path)
    {
        var template = _paths.FirstOrDefault(p => p.Pattern.IsMatch(path)).Template;
        return template is null ? null : _document["paths"]![template]![method.ToLowerInvariant()]?.AsObject();
    }

    /// <summary>
    /// The problems of one request (empty when it matches): an operation the description does not have, a body where it takes
    /// none, a missing required body, or a JSON body that does not match the request schema.
    /// </summary>
    public IReadOnlyList<string> CheckRequest(string method, string path, string? body)
    {
        var name = $"{method.ToUpperInvariant()} {path}";
        var operation = Operation(method, path);
        if (operation is null) return [$"{name} is not an operation of Lago's API."];
        var requestBody = operation["requestBody"];
        if (requestBody is null)
            return string.IsNullOrEmpty(body) ? [] : [$"{name} takes no request body, but one was sent: {Truncate(body)}"];
        if (string.IsNullOrEmpty(body))
            return requestBody["required"]?.GetValue<bool>() == true ? [$"{name} requires a JSON body; none was sent."] : [];
        var schemaNode = requestBody["content"]?["application/json"]?["schema"];
        if (schemaNode is null) return [$"{name}: the description has no application/json request schema."];
        return Evaluate(name, schemaNode, body);
    }

    /// <summary>The problems of a webhook body (the <c>webhooks</c> entry <paramref name="webhook"/>, e.g. <c>wallet_transaction_updated</c>).</summary>
    public IReadOnlyList<string> CheckWebhook(string webhook, string body)
    {
        var schemaNode = _document["webhooks"]?[webhook]?["post"]?["requestBody"]?["content"]?["application/json"]?["schema"];
        return schemaNode is null ? [$"Lago's description has no webhook {webhook}."] : Evaluate("webhook " + webhook, schemaNode, body);
    }

    private List<string> Evaluate(string name, JsonNode schemaNode, string body)
    {
        var schema = _schemas.GetOrAdd(name.Split(' ')[0] + " " + schemaNode.ToJsonString(), _ => Build(schemaNode));
        JsonDocument instance;
        try
        {
            instance = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return [$"{name}: the body is not JSON: {e.Message}"];
        }
        using (instance)
        {
            var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (result.IsValid) return [];
            return (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{name}: at '{d.InstanceLocation}' ({d.EvaluationPath}): {e.Key}: {e.Value}"))
                .DefaultIfEmpty($"{name}: the body does not match the schema: {Truncate(body)}")
                .Take(20).ToList();
        }
    }

    private JsonSchema Build(JsonNode schemaNode)
    {
        var root = Rewrite(schemaNode) is JsonObject o ? o : new JsonObject { ["allOf"] = new JsonArray(Rewrite(schemaNode)) };
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = _defs.DeepClone();
        var id = new Uri("https://lago-contract.cloneai.test/" + Guid.NewGuid().ToString("N"));
        return JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, id);
    }

    /// <summary>
    /// The schema with component references pointing into <c>$defs</c>, and without OpenAPI's <c>example</c> annotations
    /// (not a JSON Schema 2020-12 keyword, which JsonSchema.Net refuses); a property named "example" stays.
    /// </summary>
    private static JsonNode Rewrite(JsonNode node)
    {
        var copy = JsonNode.Parse(node.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal))!;
        StripExamples(copy, underProperties: false);
        return copy;
    }

    private static void StripExamples(JsonNode? node, bool underProperties)
    {
        switch (node)
        {
            case JsonObject o:
                if (!underProperties) o.Remove("example");
                foreach (var (key, child) in o.ToList()) StripExamples(child, !underProperties && key is "properties" or "patternProperties" or "$defs");
                break;
            case JsonArray a:
                foreach (var child in a) StripExamples(child, underProperties: false);
                break;
        }
    }

    private static string Truncate(string s) => s.Length <= 1000 ? s : s[..1000] + "…";

    [GeneratedRegex("[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]")]
    private static partial Regex ControlCharacter();

    [GeneratedRegex(@"\\\{[^/]+?\}")]
    private static partial Regex TemplateParameter();
}
