using CloneAI.Core.Users;

namespace CloneAI.Core.Email;

/// <summary>
/// User-written text in emails (clone names, display names) is never written as the service's own words: it appears only
/// quoted, after a label, cleaned of control and invisible characters and cut short.
/// </summary>
public static class EmailText
{
    public const int MaxQuoted = 80;

    /// <summary><paramref name="text"/> in typographic quotes, cleaned and at most <paramref name="max"/> characters.</summary>
    public static string Quote(string? text, int max = MaxQuoted)
    {
        var clean = DisplayNames.Clean(text).Replace('“', '"').Replace('”', '"');
        if (clean.Length > max) clean = clean[..(max - 1)] + "…";
        return $"“{clean}”";
    }
}
