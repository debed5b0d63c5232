using System.Text.RegularExpressions;

namespace CloneAI.Core.Memory;

/// <summary>
/// The offline extractor: patterns over the user's own sentences. "My name is…" and "I work as…" are shared facts (every clone
/// may know them), "I prefer…" a preference (shared when it is about how to be answered), "My goal is to…", "I want to…",
/// "I'm training for…" goals, "I'm a…", "I live in…", "I have…" facts about the user for this clone, and a deadline ("by
/// April") goes with the goal it is said with. Questions are not statements: a sentence ending in '?' gives nothing. The text
/// is cleaned and bounded (<see cref="MaxText"/>): it is data, whatever it says.
/// </summary>
public sealed partial class PatternMemoryExtractor : IMemoryExtractor
{
    /// <summary>The longest text an extracted item gets.</summary>
    public const int MaxText = 200;

    /// <summary>At most this many items come from one message.</summary>
    public const int MaxPerMessage = 5;

    private static readonly string[] StyleWords =
        ["short", "shorter", "concise", "brief", "briefer", "detailed", "longer", "long", "depth", "formal", "casual", "informal", "bullet", "bullets", "simple", "plain", "examples"];

    private static readonly string[] NotGoals =
        ["know", "ask", "see", "hear", "check", "find out", "say", "clarify", "understand why", "understand how", "understand what", "talk", "chat", "discuss", "start", "stop", "go back", "read more"];

    public Task<IReadOnlyList<MemoryCandidate>?> ExtractAsync(string userText, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<MemoryCandidate>?>(Extract(userText));

    public static IReadOnlyList<MemoryCandidate> Extract(string userText)
    {
        var found = new List<MemoryCandidate>();
        var text = MemoryText.Clean(userText, 10_000);
        foreach (Match sentence in Sentence().Matches(text))
        {
            if (found.Count >= MaxPerMessage) break;
            var s = sentence.Value.Trim();
            if (s.Length < 4 || s.EndsWith('?')) continue;
            var candidate = FromSentence(s);
            var deadline = Deadline().Match(s) is { Success: true } d ? Phrase(d.Value) : null;
            if (candidate is not null)
            {
                if (!found.Any(f => f.Kind == candidate.Kind && MemoryText.Normalize(f.Text) == MemoryText.Normalize(candidate.Text))) found.Add(candidate);
            }
            else if (deadline is not null)
            {
                // "I want it done by April": the deadline of the goal said before it, or of the newest one remembered.
                var goal = found.FindLastIndex(f => f.Kind == MemoryKinds.Goal);
                if (goal >= 0 && !MemoryText.Normalize(found[goal].Text).Contains(MemoryText.Normalize(deadline), StringComparison.Ordinal))
                    found[goal] = found[goal] with { Text = Bound(found[goal].Text + " " + deadline) };
                else if (goal < 0) found.Add(new MemoryCandidate(MemoryKinds.Goal, "", Deadline: deadline));
            }
        }
        return found;
    }

    private static MemoryCandidate? FromSentence(string s)
    {
        if (Name().Match(s) is { Success: true } name)
            return new MemoryCandidate(MemoryKinds.Fact, "My name is " + Phrase(name.Groups["name"].Value), Shared: true);
        if (Role().Match(s) is { Success: true } role && Phrase(role.Groups["rest"].Value) is { Length: > 0 } work)
            return new MemoryCandidate(MemoryKinds.Fact, Bound(Phrase(role.Groups["lead"].Value) + " " + work), Shared: true);
        if (GoalIs().Match(s) is { Success: true } goal && Phrase(goal.Groups["rest"].Value) is { Length: > 2 } aim)
            return new MemoryCandidate(MemoryKinds.Goal, Bound(MemoryText.UpperFirst(aim)));
        if (Wants().Match(s) is { Success: true } want && Phrase(want.Groups["rest"].Value) is { Length: > 2 } wanted
            && !NotGoals.Any(n => wanted.StartsWith(n + " ", StringComparison.OrdinalIgnoreCase) || wanted.Equals(n, StringComparison.OrdinalIgnoreCase)))
            return new MemoryCandidate(MemoryKinds.Goal, Bound(MemoryText.UpperFirst(wanted)));
        if (Working().Match(s) is { Success: true } working && Phrase(working.Groups["rest"].Value) is { Length: > 2 })
            return new MemoryCandidate(MemoryKinds.Goal, Bound(MemoryText.UpperFirst(Phrase(working.Groups["what"].Value + " " + working.Groups["rest"].Value))));
        if (Prefers().Match(s) is { Success: true } prefers && Phrase(prefers.Groups["rest"].Value) is { Length: > 1 } liked)
        {
            var preference = Bound(Phrase(prefers.Groups["lead"].Value) + " " + liked);
            return new MemoryCandidate(MemoryKinds.Preference, preference, Shared: IsAboutStyle(liked));
        }
        if (KeepAnswers().Match(s) is { Success: true } keep && Phrase(keep.Groups["rest"].Value) is { Length: > 1 } how)
            return new MemoryCandidate(MemoryKinds.Preference, Bound("I prefer " + how + " answers"), Shared: IsAboutStyle(how));
        if (Am().Match(s) is { Success: true } am && Phrase(am.Groups["rest"].Value) is { Length: > 1 } being)
            return new MemoryCandidate(MemoryKinds.Fact, Bound("I'm " + Phrase(am.Groups["what"].Value + " " + being)));
        if (Have().Match(s) is { Success: true } have && Phrase(have.Groups["rest"].Value) is { Length: > 1 } had)
            return new MemoryCandidate(MemoryKinds.Fact, Bound(Phrase(have.Groups["lead"].Value) + " " + had));
        return null;
    }

    /// <summary>Whether a preference is about how to be answered (shared by all the user's clones).</summary>
    public static bool IsAboutStyle(string text) => MemoryText.Words(text).Any(w => StyleWords.Contains(w));

    private static string Phrase(string text) => MemoryText.Clean(text).Trim().TrimEnd('.', '!', ';', ',', ':', ' ', '"', '\'');

    private static string Bound(string text)
    {
        text = MemoryText.Clean(text);
        return text.Length <= MaxText ? text : text[..MaxText].TrimEnd() + "…";
    }

    [GeneratedRegex(@"[^.!?\n]+[.!?]*", RegexOptions.CultureInvariant)]
    private static partial Regex Sentence();

    [GeneratedRegex(@"\b(?i:my\s+name\s+is|call\s+me)\s+(?<name>\p{Lu}[\p{L}'\-]{0,40}(?:\s+\p{Lu}[\p{L}'\-]{0,40})?)", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    [GeneratedRegex(@"\b(?<lead>I\s+work\s+as|I\s+work\s+in|my\s+job\s+is|I'm\s+employed\s+as|I\s+am\s+employed\s+as)\s+(?<rest>.+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Role();

    [GeneratedRegex(@"\bmy\s+(?:main\s+|big\s+|current\s+)?(?:goal|aim|target|plan|dream)\s+(?:is|was)\s+(?:to\s+)?(?<rest>.+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GoalIs();

    [GeneratedRegex(@"\bI(?:\s+really)?(?:\s+(?:want|wish|plan|hope|intend|need|aim|would\s+like)|'d\s+like|(?:'m|\s+am)\s+(?:trying|aiming|planning|hoping))\s+to\s+(?<rest>.+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Wants();

    [GeneratedRegex(@"\bI(?:'m|\s+am)\s+(?<what>training\s+for|preparing\s+for|studying\s+for|working\s+towards?|working\s+on\s+getting)\s+(?<rest>.+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Working();

    [GeneratedRegex(@"\b(?<lead>I\s+(?:really\s+)?prefer|I'd\s+rather|I\s+would\s+rather|I\s+like\s+my\s+answers|I\s+like\s+answers)\s+(?<rest>.+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Prefers();

    [GeneratedRegex(@"\b(?:please\s+)?(?:keep|make)\s+(?:your\s+|the\s+)?answers\s+(?<rest>[\p{L} \-]{2,40})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeepAnswers();

    [GeneratedRegex(@"\bI(?:'m|\s+am)\s+(?<what>an?|based\s+in|from|new\s+to|allergic\s+to|living\s+in|\d{1,3}|vegetarian|vegan|retired|married|pregnant|recovering\s+from)\b\s*(?<rest>.*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Am();

    [GeneratedRegex(@"\b(?<lead>I\s+live\s+in|I\s+have\s+(?:an?|two|three|four|five|\d+)|I've\s+got\s+(?:an?|two|three|\d+))\s+(?<rest>.+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Have();

    [GeneratedRegex(@"\bby\s+(?:the\s+end\s+of\s+|early\s+|mid-?\s*|late\s+|next\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December|spring|summer|autumn|fall|winter|week|month|year|(?:19|20)\d\d|tomorrow|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Christmas|\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December))\b(?:\s+(?:19|20)\d\d)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Deadline();
}
