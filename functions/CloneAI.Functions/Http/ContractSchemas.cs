using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace CloneAI.Functions.Http;

/// <summary>
/// JSON Schemas (OpenAPI 3.1) of the contract records, kept in the document's <c>components.schemas</c> and referenced from
/// operations. A response record's members are all required (the serializer writes nulls), except those left out when null;
/// a member is nullable when its C# type is. A request record's members are required when marked <c>[Required]</c> and nullable
/// when a null means something (<see cref="NullClearsAttribute"/>); unknown members are refused by the schema and ignored by
/// the server.
/// </summary>
public sealed class ContractSchemas(OpenApiDocument document)
{
    private readonly NullabilityInfoContext _nullability = new();
    private readonly Dictionary<Type, (string Name, bool Request)> _named = [];

    /// <summary>The schema of a body or member of type <paramref name="type"/>.</summary>
    public IOpenApiSchema For(Type type, bool request) => Schema(type, request, nullable: false, values: null);

    /// <summary>The component name of a record: its type name without a <c>Dto</c> suffix.</summary>
    public static string NameOf(Type type) => type.Name.EndsWith("Dto", StringComparison.Ordinal) ? type.Name[..^3] : type.Name;

    private IOpenApiSchema Schema(Type type, bool request, bool nullable, IReadOnlyList<string>? values)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null) return Schema(underlying, request, nullable, values);
        var nullType = nullable ? JsonSchemaType.Null : 0;
        if (type == typeof(string))
        {
            var s = new OpenApiSchema { Type = JsonSchemaType.String | nullType };
            if (values is not null)
            {
                s.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
                if (nullable) s.Enum.Add(null!);
            }
            return s;
        }
        if (type == typeof(Uri)) return new OpenApiSchema { Type = JsonSchemaType.String | nullType, Format = "uri" };
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return new OpenApiSchema { Type = JsonSchemaType.String | nullType, Format = "date-time" };
        if (type == typeof(int)) return new OpenApiSchema { Type = JsonSchemaType.Integer | nullType, Format = "int32" };
        if (type == typeof(long)) return new OpenApiSchema { Type = JsonSchemaType.Integer | nullType, Format = "int64" };
        if (type == typeof(double)) return new OpenApiSchema { Type = JsonSchemaType.Number | nullType, Format = "double" };
        if (type == typeof(bool)) return new OpenApiSchema { Type = JsonSchemaType.Boolean | nullType };
        if (typeof(JsonNode).IsAssignableFrom(type)) return new OpenApiSchema { Type = JsonSchemaType.Object | nullType };
        if (DictionaryValue(type) is { } valueType)
            return new OpenApiSchema { Type = JsonSchemaType.Object | nullType, AdditionalProperties = Schema(valueType, request, false, null) };
        if (ElementType(type) is { } element)
            return new OpenApiSchema { Type = JsonSchemaType.Array | nullType, Items = Schema(element, request, false, values) };
        if (type.IsClass && !type.IsAbstract)
        {
            var reference = new OpenApiSchemaReference(Component(type, request), document);
            return nullable ? new OpenApiSchema { AnyOf = [reference, new OpenApiSchema { Type = JsonSchemaType.Null }] } : reference;
        }
        throw new InvalidOperationException($"The contract has a member of type {type.Name}, which has no JSON Schema mapping.");
    }

    private string Component(Type type, bool request)
    {
        if (_named.TryGetValue(type, out var known))
        {
            if (known.Request != request)
                throw new InvalidOperationException($"{type.Name} is used both as a request and as a response; give each its own record.");
            return known.Name;
        }
        var name = NameOf(type);
        if (_named.Values.Any(n => n.Name == name)) throw new InvalidOperationException($"Two contract records are named {name}.");
        _named[type] = (name, request);

        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>(),
            Required = new HashSet<string>(),
            AdditionalPropertiesAllowed = false,
            Description = type.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>()?.Description,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[name] = schema;
        foreach (var m in RecordShape.Members(type))
        {
            var nullable = request ? m.NullClears : !m.OmittedWhenNull && IsNullable(m);
            var member = Schema(m.Type, request, nullable, m.AllowedValues);
            if (m.Description is { } description)
                member = member is OpenApiSchema inline ? With(inline, description) : new OpenApiSchema { AllOf = [member], Description = description };
            schema.Properties[m.JsonName] = member;
            if (request ? m.IsRequiredInRequest : !m.OmittedWhenNull) schema.Required.Add(m.JsonName);
        }
        return name;
    }

    private static OpenApiSchema With(OpenApiSchema schema, string description)
    {
        schema.Description = description;
        return schema;
    }

    private bool IsNullable(RecordMember m) =>
        Nullable.GetUnderlyingType(m.Type) is not null
        || (!m.Type.IsValueType && _nullability.Create(m.Property).ReadState == NullabilityState.Nullable);

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static Type? DictionaryValue(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));
        return dictionary is not null && dictionary.GetGenericArguments()[0] == typeof(string) ? dictionary.GetGenericArguments()[1] : null;
    }
}
