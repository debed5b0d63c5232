using System.Text.RegularExpressions;

namespace CloneAI.Core.Summaries;

/// <summary>
/// Directive sentences: what an answer tells its reader to do. An imperative ("Try…", "Keep…", "Don't…", after an optional
/// "First," or "Then"), or advice addressed to them ("you should…", "make sure…", "I recommend…"). A question is never one.
/// </summary>
public static partial class Directives
{
    private static readonly HashSet<string> Verbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "add", "aim", "alternate", "ask", "avoid", "begin", "book", "breathe", "build", "check", "choose", "commit", "compare", "consider",
        "cut", "decide", "do", "don't", "drink", "drop", "eat", "focus", "follow", "get", "give", "go", "include", "increase", "keep", "learn",
        "limit", "list", "listen", "log", "look", "measure", "mix", "note", "observe", "pick", "plan", "practice", "practise", "prepare",
        "read", "record", "reduce", "remember", "repeat", "rest", "review", "run", "schedule", "set", "sleep", "spend", "start", "stay",
        "stop", "stretch", "swap", "take", "talk", "test", "track", "train", "try", "use", "visit", "wait", "walk", "warm", "watch", "wear",
        "write",
    };

    /// <summary>Whether the sentence tells its reader to do something.</summary>
    public static bool IsDirective(string sentence)
    {
        var s = sentence.Trim();
        if (s.Length < 8 || s.EndsWith('?')) return false;
        if (Advice().IsMatch(s)) return true;
        var rest = Lead().Replace(s, "", 1);
        var first = FirstWord().Match(rest);
        if (!first.Success) return false;
        var word = first.Value.Replace('’', '\'');
        if (word.Equals("do", StringComparison.OrdinalIgnoreCase))
            return rest.StartsWith("do not ", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("don't ", StringComparison.OrdinalIgnoreCase);
        // "Never skip…", "Always warm up…": an adverb before the verb.
        if (word.Equals("never", StringComparison.OrdinalIgnoreCase) || word.Equals("always", StringComparison.OrdinalIgnoreCase)) return true;
        return Verbs.Contains(word) && !rest[first.Length..].TrimStart().StartsWith("is ", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The sentence as an action item: "You should rest on Sundays." → "Rest on Sundays."</summary>
    public static string ToActionItem(string sentence)
    {
        var s = Lead().Replace(sentence.Trim(), "", 1);
        s = Opener().Replace(s, "", 1).Trim();
        if (s.Length == 0) return sentence.Trim();
        s = char.ToUpperInvariant(s[0]) + s[1..];
        return s.EndsWith('.') || s.EndsWith('!') ? s[..^1] + "." : s + ".";
    }

    /// <summary>The directive sentences among these, as action items, once each, in order.</summary>
    public static List<string> Extract(IEnumerable<string> sentences, int max)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var items = new List<string>();
        foreach (var s in sentences)
        {
            if (!IsDirective(s)) continue;
            var item = ToActionItem(s);
            if (seen.Add(item)) items.Add(item);
            if (items.Count == max) break;
        }
        return items;
    }

    [GeneratedRegex(@"\b(you should|you need to|you must|you('ll| will) want to|you (can|could|might) (try|start|begin|consider)|make sure|be sure to|remember to|don't forget to|do not forget to|(i|we) (recommend|suggest|advise)|it'?s (worth|best to|a good idea to)|it is (worth|best to|a good idea to))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Advice();

    [GeneratedRegex(@"^((first|then|next|finally|also|so|and|now|instead|today|tomorrow|afterwards)\b,?\s+|(first|second|third)ly,?\s+|\d+[.)]\s+|[-*•]\s+)", RegexOptions.IgnoreCase)]
    private static partial Regex Lead();

    [GeneratedRegex(@"^(you should|you need to|you must|you('ll| will) want to|you (can|could|might)|make sure( that)? (to|you)\b|be sure to|remember to|(i|we) (recommend|suggest|advise)( that)?( you)?( to)?|it'?s (worth|best to|a good idea to)|it is (worth|best to|a good idea to))\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Opener();

    [GeneratedRegex(@"^[\p{L}'’]+")]
    private static partial Regex FirstWord();
}
