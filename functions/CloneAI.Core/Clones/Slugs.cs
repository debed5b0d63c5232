using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CloneAI.Core.Clones;

public static partial class Slugs
{
    public const int MaxLength = 60;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$")]
    private static partial Regex Valid();

    public static bool IsValid(string slug) => Valid().IsMatch(slug) && !slug.Contains("--", StringComparison.Ordinal);

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
        return slug.Length < 3 ? ("clone-" + slug).TrimEnd('-') : slug;
    }
}
