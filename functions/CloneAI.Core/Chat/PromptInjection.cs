using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CloneAI.Core.Chat;

/// <summary>
/// Spots text written at a model ("ignore previous instructions…") so that the extractive responder and the summaries never
/// quote it. The text is normalised first, so disguised variants are caught too: NFKC (fullwidth and mathematical letters),
/// zero-width and other invisible format characters removed, and common Cyrillic and Greek look-alikes folded to Latin.
/// </summary>
public static partial class PromptInjection
{
    /// <summary>Whether <paramref name="text"/>, once normalised, is written at a model.</summary>
    public static bool IsInjection(string text) =>
        Pattern().IsMatch(Normalise(text)) || (HasFormatCharacters(text) && Pattern().IsMatch(Normalise(text, formatAsSpace: true)));

    /// <summary>
    /// The text as the check reads it: NFKC, invisible format characters removed (or, with <paramref name="formatAsSpace"/>, read
    /// as spaces, for "Ignore​previous​instructions"), look-alike letters folded to Latin.
    /// </summary>
    public static string Normalise(string text, bool formatAsSpace = false)
    {
        var normalised = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(normalised.Length);
        foreach (var c in normalised)
        {
            // Zero-width spaces and joiners, soft hyphens, word joiners, byte-order marks, bidi controls: all "Cf".
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                if (formatAsSpace) builder.Append(' ');
                continue;
            }
            builder.Append(Homoglyphs.TryGetValue(c, out var latin) ? latin : c);
        }
        return builder.ToString();
    }

    private static bool HasFormatCharacters(string text)
    {
        foreach (var c in text)
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format) return true;
        return false;
    }

    /// <summary>Cyrillic and Greek letters that look like Latin ones (the pairs a spoofed "Ignоre" uses).</summary>
    private static readonly Dictionary<char, char> Homoglyphs = new()
    {
        // Cyrillic lower case
        ['а'] = 'a', ['в'] = 'b', ['с'] = 'c', ['ԁ'] = 'd', ['е'] = 'e', ['һ'] = 'h', ['і'] = 'i', ['ј'] = 'j', ['к'] = 'k',
        ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p', ['ԛ'] = 'q', ['ѕ'] = 's', ['т'] = 't', ['ս'] = 'u', ['ѵ'] = 'v',
        ['ԝ'] = 'w', ['х'] = 'x', ['у'] = 'y', ['ү'] = 'y', ['ӏ'] = 'l', ['ɡ'] = 'g', ['ɑ'] = 'a', ['ı'] = 'i',
        // Cyrillic upper case
        ['А'] = 'A', ['В'] = 'B', ['С'] = 'C', ['Е'] = 'E', ['Н'] = 'H', ['І'] = 'I', ['Ј'] = 'J', ['К'] = 'K', ['М'] = 'M',
        ['О'] = 'O', ['Р'] = 'P', ['Ѕ'] = 'S', ['Т'] = 'T', ['Х'] = 'X', ['У'] = 'Y', ['Ү'] = 'Y', ['Ԁ'] = 'D', ['Ԍ'] = 'G',
        ['Ԛ'] = 'Q', ['Ԝ'] = 'W', ['Ӏ'] = 'I',
        // Greek
        ['α'] = 'a', ['ο'] = 'o', ['ρ'] = 'p', ['ν'] = 'v', ['τ'] = 't', ['ι'] = 'i', ['κ'] = 'k', ['υ'] = 'u', ['ε'] = 'e',
        ['Α'] = 'A', ['Β'] = 'B', ['Ε'] = 'E', ['Ζ'] = 'Z', ['Η'] = 'H', ['Ι'] = 'I', ['Κ'] = 'K', ['Μ'] = 'M', ['Ν'] = 'N',
        ['Ο'] = 'O', ['Ρ'] = 'P', ['Τ'] = 'T', ['Υ'] = 'Y', ['Χ'] = 'X',
    };

    // English ("ignore/disregard/forget/override … instructions/rules/directives…"), German ("Ignoriere alle vorherigen
    // Anweisungen"), chat-template tokens (<|im_start|>, <|system|>, [INST]) and tags that would close the prompt's
    // <source> wrapper or open a role of their own.
    [GeneratedRegex(
        @"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules|prompts?|guidelines|directives?|commands?|orders|guidance|constraints)\b" +
        @"|\bsystem prompt\b|\byou are now\b|\b(reply|respond|answer) only with\b|\bjailbreak" +
        @"|\b(ignorier\w*|vergiss|vergesst|missachte\w*|übergeh\w*)\b.{0,40}\b(anweisung\w*|instruktion\w*|regeln|vorgaben|befehle\w*|richtlinien|anordnung\w*)\b" +
        @"|\bsystem-?prompt\b|\bdu bist (jetzt|nun|ab sofort)\b" +
        @"|<\|[a-z_]{2,20}\|>|\[/?INST\]|<</?SYS>>" +
        @"|</?\s*(source|system|assistant|user|instructions?)\b[^>]{0,80}>",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
