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

    public bool NullClears => Attribute<NullClearsAttribute>() is not null;

    public string? Description => Attribute<System.ComponentModel.DescriptionAttribute>()?.Description;

    public IReadOnlyList<string>? AllowedValues => Attribute<ValuesFromAttribute>()?.Values();
}

/// <summary>
/// The wire shape of a contract record: its serialized properties in declaration order, camelCase, with the positional
/// constructor parameter that sets each one (requests are built through it).
/// </summary>
public static class RecordShape
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<RecordMember>> Cache = new();

    public static ConstructorInfo Constructor(Type type) =>
        type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
        ?? throw new InvalidOperationException($"{type.Name} has no public constructor.");

    public static IReadOnlyList<RecordMember> Members(Type type) => Cache.GetOrAdd(type, static t =>
    {
        var parameters = Constructor(t).GetParameters().ToDictionary(p => p.Name!, StringComparer.OrdinalIgnoreCase);
        return t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition is not JsonIgnoreCondition.Always)
            .OrderBy(p => p.MetadataToken)
            .Select(p => new RecordMember(
                p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                p.PropertyType, parameters.GetValueOrDefault(p.Name), p))
            .ToList();
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
