using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace CloneAI.Functions.Http;

/// <summary>
/// The API's OpenAPI 3.1 document, built with the Microsoft.OpenApi object model from the functions' triggers (routes,
/// methods, route parameters) and their contract attributes (query, body and response records, access and errors).
/// </summary>
public static class OpenApiDocumentBuilder
{
    public const string BearerScheme = "bearer";
    private const string ProblemJson = Problems.ContentType;

    /// <summary>The problem responses every operation may name, with what each means and an example.</summary>
    private static readonly Dictionary<int, (string Name, string Description, string Title, string Detail)> ProblemResponses = new()
    {
        [400] = ("BadRequest", "The request is invalid; errors lists what is wrong with each field", "Validation failed", "One or more fields are invalid."),
        [401] = ("Unauthorized", "No valid access token was sent", "Unauthorized", "Sign in to do this."),
        [402] = ("PaymentRequired", "The wallet cannot pay for this (insufficient-funds, out-of-credit; missing is the amount it lacks, in minor units of currency), or the card was declined (card-declined)", "Insufficient funds", "The wallet lacks 60 minor units for this."),
        [403] = ("Forbidden", "The caller may not do this", "Forbidden", "You are not allowed to do this."),
        [404] = ("NotFound", "No such resource, or not one the caller may see", "Not found", "No such clone."),
        [409] = ("Conflict", "The resource's state does not allow this now, or it changed meanwhile", "Conflict", "This session has ended. Start a new session to keep asking."),
        [413] = ("PayloadTooLarge", "The body is too large", "Payload too large", "Files can be at most 2 MB."),
        [429] = ("TooManyRequests", "Over the caller's rate limit; retry after retryAfterSeconds (also the Retry-After header)", "Too many requests", "Slow down: at most 20 questions a minute. Try again in 12 s."),
    };

    public static OpenApiDocument Build(IReadOnlyList<HttpFunction> functions, string version)
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "CloneAI API",
                Version = version,
                Description = "Expert AI clones: accounts, clones and the marketplace, knowledge bases, and paid chat sessions with cited, streamed answers. "
                    + "Errors are RFC 7807 problem+json. Amounts are integer minor units (cents) of a currency.",
                License = new OpenApiLicense { Name = "Proprietary", Url = new Uri("https://cloneai.dev/terms") },
            },
            Servers = [new OpenApiServer { Url = "/", Description = "The API's own origin (the local host, or the Function App)" }],
            Paths = new OpenApiPaths(),
            Components = new OpenApiComponents
            {
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [BearerScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "JWT",
                        Description = "An access token: from POST /api/auth/login in local mode, or from Microsoft Entra ID.",
                    },
                },
                Schemas = new Dictionary<string, IOpenApiSchema>(),
                Responses = new Dictionary<string, IOpenApiResponse>(),
            },
            Tags = new HashSet<OpenApiTag>(),
        };
        var schemas = new ContractSchemas(document);
        var problem = schemas.For(typeof(Problem), request: false);
        foreach (var (status, p) in ProblemResponses)
            document.Components.Responses[p.Name] = ProblemResponse(p.Description, problem, status, p.Title, p.Detail);
        document.Components.Responses["Problem"] = ProblemResponse("Any other problem, for example a 5xx", problem, 500, "Internal error",
            "Something went wrong on our side. It has been logged; try again.");

        foreach (var tag in functions.Select(f => f.Doc?.Tag ?? "General").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            document.Tags.Add(new OpenApiTag { Name = tag, Description = TagDescriptions.GetValueOrDefault(tag, tag) });

        foreach (var f in functions)
        {
            var path = "/api/" + f.Route;
            if (document.Paths.TryGetValue(path, out var existing) is false || existing is not OpenApiPathItem item)
                document.Paths[path] = item = new OpenApiPathItem();
            foreach (var verb in f.Methods)
            {
                item.Operations ??= new Dictionary<HttpMethod, OpenApiOperation>();
                item.Operations[new HttpMethod(verb)] = Operation(f, document, schemas);
            }
        }
        return document;
    }

    public static string ToJson(OpenApiDocument document)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString();
    }

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Auth"] = "Built-in accounts (local mode only; with Microsoft Entra these routes are 404)",
        ["Profile"] = "The signed-in user's profile, avatar and creator role",
        ["Clones"] = "The marketplace, and creators' clones",
        ["Knowledge"] = "A clone's knowledge base: documents, ingestion, text and search",
        ["Chat"] = "Timed, billed chat sessions with streamed, cited answers",
        ["Operations"] = "Health, client configuration and this document",
    };

    private static OpenApiOperation Operation(HttpFunction f, OpenApiDocument document, ContractSchemas schemas)
    {
        var doc = f.Doc ?? new ApiDocAttribute(f.Name);
        var op = new OpenApiOperation
        {
            OperationId = f.Name,
            Summary = doc.Summary,
            Description = string.Join(" ", new[] { doc.Description, $"Who may call: {doc.Access}." }.Where(s => s is not null)),
            Tags = new HashSet<OpenApiTagReference> { new(doc.Tag, document) },
            Parameters = [],
            Responses = new OpenApiResponses(),
            Security = doc.Auth switch
            {
                ApiAuth.Required => [Bearer(document)],
                // An empty requirement: calling without a token is allowed too.
                ApiAuth.Optional => [new OpenApiSecurityRequirement(), Bearer(document)],
                _ => [new OpenApiSecurityRequirement()],
            },
        };
        foreach (var p in f.RouteParameters)
            op.Parameters.Add(new OpenApiParameter { Name = p, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
        if (f.Query is { } query)
        {
            foreach (var m in RecordShape.Members(query))
            {
                var schema = schemas.For(m.Type, request: true);
                if (m.AllowedValues is { } values && schema is OpenApiSchema s) s.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
                op.Parameters.Add(new OpenApiParameter { Name = m.JsonName, In = ParameterLocation.Query, Required = m.IsRequiredInRequest, Description = m.Description, Schema = schema });
            }
        }
        if (f.Body is { } body)
            op.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, IOpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = schemas.For(body, request: true) } },
            };
        else if (f.Files is { } files)
            op.RequestBody = FilesBody(files);

        foreach (var r in f.Returns)
        {
            var response = new OpenApiResponse { Description = r.Description ?? ReasonPhrase(r.Status) };
            if (r.Type is { } type)
                response.Content = new Dictionary<string, IOpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = schemas.For(type, request: false) } };
            if (r.Status == 200 && f.Streams is { } streams)
                response.Content![EventStream] = StreamMedia(streams, schemas);
            op.Responses[r.Status.ToString(CultureInfo.InvariantCulture)] = response;
        }
        if (f.File is { } file)
            op.Responses["200"] = new OpenApiResponse
            {
                Description = file.Description ?? "The file",
                Content = file.ContentTypes.ToDictionary(t => t, _ => (IOpenApiMediaType)new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } }),
            };

        foreach (var status in ClientErrors(f, doc))
            op.Responses[status.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponseReference(ProblemResponses[status].Name, document);
        if (!op.Responses.Keys.Any(k => k.StartsWith('4')))
            op.Responses["4XX"] = new OpenApiResponse { Description = "The request was refused before it reached the API (for example a malformed URL or header)" };
        op.Responses["default"] = new OpenApiResponseReference("Problem", document);
        return op;
    }

    private const string EventStream = "text/event-stream";

    /// <summary>
    /// The client errors an operation can return: those its shape implies (a body or query: 400, a JSON body: 413, a token: 401,
    /// and 403 for the token of a disabled account, route parameters: 404), and those it names.
    /// </summary>
    private static SortedSet<int> ClientErrors(HttpFunction f, ApiDocAttribute doc)
    {
        var errors = new SortedSet<int>(doc.Errors);
        if (f.Body is not null || f.Query is not null || f.Files is not null) errors.Add(400);
        // JSON bodies are read up to 64 KB.
        if (f.Body is not null) errors.Add(413);
        if (doc.Auth is not ApiAuth.Anonymous)
        {
            errors.Add(401);
            errors.Add(403);
        }
        if (f.RouteParameters.Count > 0) errors.Add(404);
        return errors;
    }

    private static OpenApiSecurityRequirement Bearer(OpenApiDocument document) =>
        new() { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] };

    private static OpenApiResponse ProblemResponse(string description, IOpenApiSchema problem, int status, string title, string detail)
    {
        var example = new JsonObject
        {
            ["type"] = "https://cloneai.dev/problems/" + title.ToLowerInvariant().Replace(' ', '-'),
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        };
        if (status == 400) example["errors"] = new JsonObject { ["name"] = new JsonArray("Enter 2 to 80 characters.") };
        if (status == 429) example["retryAfterSeconds"] = 12;
        if (status == 402)
        {
            example["missing"] = 60;
            example["currency"] = "USD";
        }
        return new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType> { [ProblemJson] = new OpenApiMediaType { Schema = problem, Example = example } },
        };
    }

    private static OpenApiRequestBody FilesBody(AcceptsFilesAttribute files)
    {
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, ContentMediaType = "application/octet-stream" };
        var form = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                [files.Field] = files.Many ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = binary } : binary,
            },
            Required = new HashSet<string> { files.Field },
        };
        foreach (var field in files.TextFields)
            form.Properties[field] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Comma-separated" };
        var content = new Dictionary<string, IOpenApiMediaType> { ["multipart/form-data"] = new OpenApiMediaType { Schema = form } };
        foreach (var raw in files.RawContentTypes)
            content[raw] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, ContentMediaType = raw } };
        return new OpenApiRequestBody { Required = true, Content = content };
    }

    private static OpenApiMediaType StreamMedia(Type[] frames, ContractSchemas schemas)
    {
        var union = new OpenApiSchema
        {
            Description = "Each event's data: one frame, named by its type (event: start, delta…, then end or error)",
            OneOf = frames.Select(t => schemas.For(t, request: false)).ToList(),
            Discriminator = new OpenApiDiscriminator
            {
                PropertyName = "type",
                Mapping = frames.ToDictionary(FrameName, t => new OpenApiSchemaReference(ContractSchemas.NameOf(t), null)),
            },
        };
        return new OpenApiMediaType { Schema = union };
    }

    /// <summary>A frame's type on the wire: its record name without "Frame", lower case (StartFrame: start).</summary>
    public static string FrameName(Type frame) => frame.Name.Replace("Frame", "", StringComparison.Ordinal).ToLowerInvariant();

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No content",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };
}
