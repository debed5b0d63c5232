using System.Text.RegularExpressions;

namespace CloneAI.Local.Tests;

/// <summary>
/// An extractive answer without the framing line a session's first answer may open with ("Good question! Here's what my notes
/// say:"): a short lead-in ending in a colon, before any quoted sentence or citation.
/// </summary>
internal static partial class AnswerText
{
    public static string WithoutFraming(string answer) => FramingLine().Replace(answer, "", 1);

    [GeneratedRegex(@"^[^\[:]{1,60}:\s+")]
    private static partial Regex FramingLine();
}
