using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloneAI.Functions.Http;

/// <summary>A null in a request field that means "clear this value" rather than "leave it as it is".</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class NullClearsAttribute : Attribute;

/// <summary>One member of a contract record, as it appears on the wire.</summary>
public sealed record RecordMember(string JsonName, Type Type, ParameterInfo? Parameter, PropertyInfo Property)
{
    public T? Attribute<T>() where T : Attribute =>
        (T?)Parameter?.GetCustomAttribute(typeof(T)) ?? Property.GetCustomAttribute<T>();

    /// <summary>Left out of responses when null (<c>[JsonIgnore(Condition = WhenWritingNull)]</c>).</summary>
    public bool OmittedWhenNull => Property.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition == JsonIgnoreCondition.WhenWritingNull;

    public bool IsRequiredInRequest => Attribute<RequiredAttribute>() is not null;

    /// <summary>Read on every request the record is bound from, so it is looked up once.</summary>
    public bool NullClears { get; } = (Parameter?.GetCustomAttribute<NullClearsAttribute>() ?? Property.GetCustomAttribute<NullClearsAttribute>()) is not null;

    public string? Description => Attribute<System.ComponentModel.DescriptionAttribute>()?.Description;

    /// <summary>The values a string member takes: from <see cref="ValuesFromAttribute"/>, or a Core record's <c>[AllowedValues]</c>.</summary>
    public IReadOnlyList<string>? AllowedValues =>
        Attribute<ValuesFromAttribute>()?.Values() ?? Attribute<AllowedValuesAttribute>()?.Values.Select(v => v?.ToString() ?? "").ToList();
}

/// <summary>
/// The wire shape of a contract record: its serialized properties in declaration order, camelCase, with the positional
/// constructor parameter that sets each one (requests are built through it).
/// </summary>
public static class RecordShape
{
    private sealed record Shape(ConstructorInfo Constructor, int ParameterCount, IReadOnlyList<RecordMember> Members);

    /// <summary>Reflection runs once per type; requests bind through the cached shape.</summary>
    private static readonly ConcurrentDictionary<Type, Shape> Cache = new();

    public static ConstructorInfo Constructor(Type type) => Of(type).Constructor;

    /// <summary>How many arguments the positional constructor takes.</summary>
    public static int ParameterCount(Type type) => Of(type).ParameterCount;

    public static IReadOnlyList<RecordMember> Members(Type type) => Of(type).Members;

    private static Shape Of(Type type) => Cache.GetOrAdd(type, static t =>
    {
        var constructor = t.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"{t.Name} has no public constructor.");
        var parameters = constructor.GetParameters().ToDictionary(p => p.Name!, StringComparer.OrdinalIgnoreCase);
        var members = t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition is not JsonIgnoreCondition.Always)
            .OrderBy(p => p.MetadataToken)
            .Select(p => new RecordMember(
                p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                p.PropertyType, parameters.GetValueOrDefault(p.Name), p))
            .ToList();
        return new Shape(constructor, parameters.Count, members);
    });
}

/// <summary>
/// The field takes one of the string values a Core constants class lists: its static <c>All</c> or <c>Supported</c> list, or
/// else its public string constants. The OpenAPI document turns them into an <c>enum</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class ValuesFromAttribute(Type constants) : Attribute
{
    public Type Constants { get; } = constants;

    public IReadOnlyList<string> Values()
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Static;
        var list = Constants.GetField("All", flags)?.GetValue(null) ?? Constants.GetField("Supported", flags)?.GetValue(null);
        if (list is IEnumerable<string> values) return values.ToList();
        return Constants.GetFields(flags).Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList();
    }
}
