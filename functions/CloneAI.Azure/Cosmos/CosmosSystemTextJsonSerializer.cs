using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Cosmos;

/// <summary>
/// Cosmos item serialization over System.Text.Json, so the Core records (with <c>required</c> init properties and
/// <see cref="IReadOnlyList{T}"/>) round-trip without Newtonsoft attributes. Documents are camelCase, so <c>Id</c> is
/// stored as the <c>id</c> Cosmos needs and is also the partition key path <c>/id</c>. A record's <c>ETag</c> property is
/// read from the system property <c>_etag</c> and never written: the service owns it.
/// </summary>
public sealed class CosmosSystemTextJsonSerializer(JsonSerializerOptions options) : CosmosSerializer
{
    public const string ETagProperty = "_etag";

    /// <summary>camelCase, nulls kept (so queries see every field), <c>ETag</c> mapped to <c>_etag</c> read-only.</summary>
    public static JsonSerializerOptions CreateOptions() => new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { MapETag } },
    };

    public JsonSerializerOptions Options { get; } = options;

    public CosmosSystemTextJsonSerializer() : this(CreateOptions()) { }

    public override T FromStream<T>(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (typeof(Stream).IsAssignableFrom(typeof(T))) return (T)(object)stream;
        using (stream)
        {
            if (stream.CanSeek && stream.Length == 0) return default!;
            return JsonSerializer.Deserialize<T>(stream, Options)!;
        }
    }

    public override Stream ToStream<T>(T input)
    {
        var stream = new MemoryStream();
        JsonSerializer.Serialize(stream, input, Options);
        stream.Position = 0;
        return stream;
    }

    private static void MapETag(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object) return;
        foreach (var property in typeInfo.Properties)
        {
            if (property.AttributeProvider is MemberInfo { Name: "ETag" } && property.PropertyType == typeof(string))
            {
                property.Name = ETagProperty;
                property.ShouldSerialize = static (_, _) => false;
            }
        }
    }
}
