using System.Globalization;
using System.Text;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Users;

/// <summary>
/// Display names as they are stored: NFKC-normalised, without control characters (C0, C1, DEL), bidirectional overrides,
/// embeddings, isolates and marks, or zero-width and other invisible format characters; runs of white space become one space.
/// </summary>
public static class DisplayNames
{
    /// <summary>The cleaned name ("" when nothing visible is left).</summary>
    public static string Clean(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "";
        var normalized = name.IsNormalized(NormalizationForm.FormKC) ? name : SafeNormalize(name);
        var sb = new StringBuilder(normalized.Length);
        var space = false;
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
            {
                // Tabs and line breaks read as a space; other control characters (NUL, ESC...) go.
                if (Rune.IsWhiteSpace(rune)) space = sb.Length > 0;
                continue;
            }
            if (IsInvisible(rune)) continue;
            if (space) sb.Append(' ');
            space = false;
            sb.Append(rune.ToString());
        }
        return sb.ToString();
    }

    /// <summary>Cleans <paramref name="name"/> and adds a field error when nothing is left or it is too long.</summary>
    public static string Validate(Validator v, string field, string? name)
    {
        var cleaned = Clean(name);
        if (cleaned.Length == 0)
            v.Add(field, string.IsNullOrWhiteSpace(name) ? "Required." : "Use visible letters, digits or punctuation.");
        else if (cleaned.Length > User.MaxDisplayNameLength) v.Add(field, $"At most {User.MaxDisplayNameLength} characters.");
        return cleaned;
    }

    private static bool IsInvisible(Rune rune)
    {
        var c = rune.Value;
        if (c is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069 or 0x200E or 0x200F or 0x061C) return true; // bidi controls
        if (c is >= 0x200B and <= 0x200D or 0x2060 or 0xFEFF or 0x180E or 0x00AD or 0x034F) return true; // zero-width, soft hyphen
        if (c is >= 0xFE00 and <= 0xFE0F or >= 0xE0000 and <= 0xE007F) return true; // variation selectors, tags
        var category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }

    private static string SafeNormalize(string name)
    {
        try { return name.Normalize(NormalizationForm.FormKC); }
        catch (ArgumentException) { return name; } // a lone surrogate: EnumerateRunes replaces it, IsInvisible drops it
    }
}
