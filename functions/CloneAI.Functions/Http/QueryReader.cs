using System.Globalization;
using CloneAI.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace CloneAI.Functions.Http;

/// <summary>Typed query-string values with per-field errors.</summary>
public sealed class QueryReader(IQueryCollection query)
{
    private readonly Validator _errors = new();

    public string? String(string name)
    {
        var value = query[name];
        if (value.Count == 0) return null;
        var s = value.ToString();
        return s.Length == 0 ? null : s;
    }

    public int? Int(string name)
    {
        var s = String(name);
        if (s is null) return null;
        if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
        _errors.Add(name, "Must be a whole number.");
        return null;
    }

    public long? Long(string name)
    {
        var s = String(name);
        if (s is null) return null;
        if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return l;
        _errors.Add(name, "Must be a whole number.");
        return null;
    }

    public double? Double(string name)
    {
        var s = String(name);
        if (s is null) return null;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
        _errors.Add(name, "Must be a number.");
        return null;
    }

    public void ThrowIfInvalid() => _errors.ThrowIfInvalid();

    /// <summary>Reads the query string as the record <typeparamref name="T"/>; values of the wrong type are per-field errors, thrown together.</summary>
    public static T Read<T>(IQueryCollection query) where T : class
    {
        var reader = new QueryReader(query);
        var args = new object?[RecordShape.ParameterCount(typeof(T))];
        foreach (var m in RecordShape.Members(typeof(T)))
        {
            if (m.Parameter is null) continue;
            var t = Nullable.GetUnderlyingType(m.Type) ?? m.Type;
            args[m.Parameter.Position] =
                t == typeof(string) ? reader.String(m.JsonName)
                : t == typeof(int) ? (object?)reader.Int(m.JsonName)
                : t == typeof(long) ? (object?)reader.Long(m.JsonName)
                : t == typeof(double) ? (object?)reader.Double(m.JsonName)
                : throw new InvalidOperationException($"Query parameter '{m.JsonName}' has a type the reader does not read: {t.Name}.");
        }
        reader.ThrowIfInvalid();
        return (T)RecordShape.Constructor(typeof(T)).Invoke(args);
    }
}
