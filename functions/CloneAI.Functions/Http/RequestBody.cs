using System.Text.Json;
using System.Text.Json.Nodes;
using CloneAI.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace CloneAI.Functions.Http;

/// <summary>Reads request bodies with a size cap, and JSON fields with per-field type errors.</summary>
public sealed class RequestBody
{
    public const int MaxJsonBytes = 64 * 1024;

    private readonly JsonObject _root;
    private readonly Validator _errors = new();

    private RequestBody(JsonObject root) => _root = root;

    public static async Task<RequestBody> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !type.Contains("+json", StringComparison.OrdinalIgnoreCase))
            throw new ValidationException("body", "Send the body as application/json.");
        var bytes = await ReadBytesAsync(request, MaxJsonBytes, cancellationToken);
        if (bytes.Length == 0) throw new ValidationException("body", "A JSON object is required.");
        // JSON text is UTF-8; bytes that are not would otherwise fail only when a field is read, as a server error.
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw new ValidationException("body", "The body is not valid UTF-8 text.");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false }) as JsonObject
                ?? throw new ValidationException("body", "A JSON object is required.");
        }
        catch (JsonException)
        {
            throw new ValidationException("body", "The body is not valid JSON.");
        }
        catch (InvalidOperationException)
        {
            // A property name with a lone surrogate escape fails as names are compared while parsing.
            throw new ValidationException("body", "Holds an escaped character that is not valid text (a lone surrogate such as \\ud800).");
        }
        string? path;
        try
        {
            path = FirstUnreadableString(root, "");
        }
        catch (InvalidOperationException)
        {
            path = ""; // a property name that is no text fails as the object is read: the body as a whole
        }
        if (path is not null)
            throw new ValidationException(path.Length == 0 ? "body" : path, "Holds an escaped character that is not valid text (a lone surrogate such as \\ud800).");
        return new RequestBody(root);
    }

    /// <summary>
    /// The path of the first string (a value, or a property name) that cannot be read as text: an escape such as <c>\ud800</c>
    /// without its pair is valid JSON syntax but no character, and reading it throws. Null when every string reads.
    /// </summary>
    private static string? FirstUnreadableString(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (!IsText(name)) return path;
                    var childPath = path.Length == 0 ? name : path + "." + name;
                    if (FirstUnreadableString(child, childPath) is { } bad) return bad;
                }
                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    if (FirstUnreadableString(array[i], path) is { } bad) return bad;
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    return IsText(value.GetValue<string>()) ? null : path;
                }
                catch (InvalidOperationException)
                {
                    return path;
                }
            default:
                return null;
        }
    }

    /// <summary>Whether the string holds no unpaired surrogate.</summary>
    private static bool IsText(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            else if (char.IsSurrogate(s[i])) return false;
        }
        return true;
    }

    /// <summary>Reads at most <paramref name="maxBytes"/>; more is a 413, whatever Content-Length claimed.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) throw new PayloadTooLargeException($"The body can be at most {maxBytes / 1024} KB.");
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw new PayloadTooLargeException($"The body can be at most {maxBytes / 1024} KB.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads the body as the request record <typeparamref name="T"/>. Field type errors are collected per field (nested fields
    /// by dotted path) and thrown together before anything else happens; absent and null fields are null.
    /// </summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class =>
        (await ReadWithNullsAsync<T>(request, cancellationToken)).Value;

    /// <summary>As <see cref="ReadAsync{T}"/>, and which <see cref="NullClearsAttribute"/> fields were sent as an explicit null.</summary>
    public static async Task<Bound<T>> ReadWithNullsAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        var body = await ReadJsonAsync(request, cancellationToken);
        var nulls = new HashSet<string>(StringComparer.Ordinal);
        var value = (T)body.Bind(typeof(T), body._root, "", nulls);
        body.ThrowIfInvalid();
        return new Bound<T>(value, nulls);
    }

    private object Bind(Type type, JsonObject node, string prefix, HashSet<string> nulls)
    {
        var members = RecordShape.Members(type);
        var args = new object?[RecordShape.ParameterCount(type)];
        foreach (var m in members)
        {
            if (m.Parameter is null) continue;
            var path = prefix + m.JsonName;
            if (m.NullClears && IsNull(m.JsonName, node)) nulls.Add(path);
            args[m.Parameter.Position] = Read(m.Type, m.JsonName, node, path, nulls);
        }
        return RecordShape.Constructor(type).Invoke(args);
    }

    private object? Read(Type type, string name, JsonObject node, string path, HashSet<string> nulls)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string)) return String(name, node, path);
        if (t == typeof(long)) return Long(name, node, path);
        if (t == typeof(int)) return Int(name, node, path);
        if (t == typeof(double)) return Double(name, node, path);
        if (t == typeof(bool)) return Bool(name, node, path);
        if (t == typeof(IReadOnlyList<string>)) return StringList(name, node, path);
        if (t.IsClass) return Object(name, node, path) is { } child ? Bind(t, child, path + ".", nulls) : null;
        throw new InvalidOperationException($"Request field '{path}' has a type the binder does not read: {t.Name}.");
    }

    public bool Has(string name, JsonObject? parent = null) => (parent ?? _root).ContainsKey(name);

    public bool IsNull(string name, JsonObject? parent = null) => (parent ?? _root).TryGetPropertyValue(name, out var node) && node is null;

    public string? String(string name, JsonObject? parent = null, string? path = null)
    {
        if (!(parent ?? _root).TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonValue value && value.TryGetValue<string>(out var s)) return s;
        _errors.Add(path ?? name, "Must be a string.");
        return null;
    }

    public IReadOnlyList<string>? StringList(string name, JsonObject? parent = null, string? path = null)
    {
        if (!(parent ?? _root).TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonArray array && array.Count <= 100)
        {
            var list = new List<string>(array.Count);
            foreach (var item in array)
            {
                if (item is JsonValue v && v.TryGetValue<string>(out var s)) list.Add(s);
                else { _errors.Add(path ?? name, "Must be a list of strings."); return null; }
            }
            return list;
        }
        _errors.Add(path ?? name, "Must be a list of at most 100 strings.");
        return null;
    }

    public long? Long(string name, JsonObject? parent = null, string? path = null)
    {
        if (!(parent ?? _root).TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l)) return l;
        _errors.Add(path ?? name, "Must be a whole number.");
        return null;
    }

    public int? Int(string name, JsonObject? parent = null, string? path = null)
    {
        var l = Long(name, parent, path);
        if (l is null) return null;
        if (l is < int.MinValue or > int.MaxValue) { _errors.Add(path ?? name, "Out of range."); return null; }
        return (int)l;
    }

    public double? Double(string name, JsonObject? parent = null, string? path = null)
    {
        if (!(parent ?? _root).TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) && double.IsFinite(d)) return d;
        _errors.Add(path ?? name, "Must be a number.");
        return null;
    }

    public bool? Bool(string name, JsonObject? parent = null, string? path = null)
    {
        if (!(parent ?? _root).TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
        _errors.Add(path ?? name, "Must be true or false.");
        return null;
    }

    public JsonObject? Object(string name, JsonObject? parent = null, string? path = null)
    {
        if (!(parent ?? _root).TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonObject obj) return obj;
        _errors.Add(path ?? name, "Must be an object.");
        return null;
    }

    /// <summary>Throws the type errors collected so far, before the domain validates values.</summary>
    public void ThrowIfInvalid() => _errors.ThrowIfInvalid();
}

/// <summary>A bound request record and the paths of the fields sent as an explicit null that means "clear".</summary>
public sealed record Bound<T>(T Value, IReadOnlySet<string> Nulls);
