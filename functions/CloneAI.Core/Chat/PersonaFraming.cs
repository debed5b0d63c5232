using System.Text;
using CloneAI.Core.Domain;

namespace CloneAI.Core.Chat;

/// <summary>
/// The short line an extractive answer may open with, in the clone's voice: chosen by its tone, varied by the question (the same
/// question always gets the same line), and never a fact, only a pointer to the notes that follow. A direct clone and a short
/// answer get none: there the line would be filler.
/// </summary>
public static class PersonaFraming
{
    private static readonly Dictionary<string, string[]> Lines = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["friendly"] = ["Good question! Here's what my notes say:", "Happy to help. Here's what I have:", "Here's what my notes say:"],
        ["professional"] = ["Here is what my sources say:", "Based on the material I work from:", "My sources say the following:"],
        ["casual"] = ["Sure, here's what I've got:", "Here's what my notes say:", "Okay, from my notes:"],
        ["academic"] = ["According to the sources I work from:", "The material I draw on states:", "As my sources put it:"],
        ["playful"] = ["Ooh, good one! Here's what my notes say:", "Let me dig into my notes:", "My notes have this to say:"],
    };

    /// <summary>The framing line for an answer to <paramref name="question"/>, or null when the clone's voice calls for none.</summary>
    public static string? For(Clone clone, string question)
    {
        if (clone.Persona.AnswerLength == "short") return null;
        if (!Lines.TryGetValue(clone.Persona.Tone, out var lines))
        {
            if (clone.Persona.Tone == "direct") return null;
            lines = Lines["friendly"];
        }
        return lines[(int)(Fnv1a(clone.Id + "\n" + question.Trim().ToLowerInvariant()) % (uint)lines.Length)];
    }

    /// <summary>The answer without the framing line it opens with, if any (what a summary quotes is the notes, not the pointer to them).</summary>
    public static string Strip(string answer)
    {
        var text = answer.TrimStart();
        foreach (var line in Lines.Values.SelectMany(l => l).OrderByDescending(l => l.Length))
            if (text.StartsWith(line, StringComparison.Ordinal)) return text[line.Length..].TrimStart();
        return answer;
    }

    /// <summary>A hash that is the same in every process (string.GetHashCode is not), so the choice is deterministic.</summary>
    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text)) hash = unchecked((hash ^ b) * 16777619u);
        return hash;
    }
}
