using System.Text.Json;

namespace CloneAI.Local.Sqlite;

internal static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;

    public static string NewETag() => Guid.NewGuid().ToString("N");
}
