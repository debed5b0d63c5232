namespace CloneAI.Azure;

/// <summary>Azure's <c>Key=Value;Key=Value</c> setting strings (connection strings, authentication strings).</summary>
internal static class SettingStrings
{
    /// <summary>The pairs of a setting string, keys case-insensitive; parts without '=' are skipped.</summary>
    public static Dictionary<string, string> Parse(string value) =>
        value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
}
