using System.Text;

namespace CloneAI.Core.Knowledge;

/// <summary>Small text helpers shared by the extractors.</summary>
internal static class DocumentText
{
    /// <summary>Runs of whitespace become one space; the ends are trimmed.</summary>
    public static string CollapseWhitespace(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }
}
