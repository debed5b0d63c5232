using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CloneAI.Core.Clones;

public static partial class Slugs
{
    public const int MaxLength = 60;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$")]
    private static partial Regex Valid();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex IdShape();

    public static bool IsValid(string slug) => Valid().IsMatch(slug) && !slug.Contains("--", StringComparison.Ordinal);

    /// <summary>
    /// A clone's id is 32 lowercase hex digits, and a clone is found by id before slug: a slug of that shape could name another
    /// clone's id and make that clone unreachable, so no slug may have it (and so an id never equals a slug).
    /// </summary>
    public static bool LooksLikeId(string slug) => IdShape().IsMatch(slug);

    public const string IdLikeMessage = "A slug can't look like a clone id (32 characters of 0-9 and a-f). Add a word to it.";

    /// <summary>Lowercase ASCII letters, digits and single dashes, from any name.</summary>
    public static string FromName(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var lower = char.ToLowerInvariant(c);
            if (lower is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(lower);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var slug = sb.ToString().Trim('-');
        if (slug.Length > MaxLength - 7) slug = slug[..(MaxLength - 7)].TrimEnd('-');
        return slug.Length < 3 || LooksLikeId(slug) ? ("clone-" + slug).TrimEnd('-') : slug;
    }
}
