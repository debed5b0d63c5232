using System.Text.RegularExpressions;
using CloneAI.Core.Chat;

namespace CloneAI.Core.Summaries;

/// <summary>What a summary is made from: the clone's answers as sentences, the user's questions, and the passages cited.</summary>
public static partial class SessionText
{
    /// <summary>The answers that say something: not the greeting, and not "I don't know".</summary>
    public static IEnumerable<SessionMessage> Answers(IEnumerable<SessionMessage> messages) =>
        messages.Where(m => m.Role == MessageRoles.Assistant && m.AnswerKind is not (AnswerKinds.Greeting or AnswerKinds.DontKnow));

    public static List<string> Questions(IEnumerable<SessionMessage> messages) =>
        messages.Where(m => m.Role == MessageRoles.User).Select(m => ExtractiveResponder.Clean(m.Content)).Where(q => q.Length > 0).ToList();

    /// <summary>The sentences of the answers, without citation marks, in the order they were said, each once.</summary>
    public static List<string> AnswerSentences(IEnumerable<SessionMessage> messages)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        foreach (var m in Answers(messages))
        {
            var text = Marks().Replace(m.AnswerKind == AnswerKinds.Extractive ? PersonaFraming.Strip(m.Content) : m.Content, "");
            foreach (var (start, end) in ExtractiveResponder.Sentences(text))
            {
                var s = ExtractiveResponder.Clean(text[start..end]);
                if (s.Length < 12 || ExtractiveResponder.Terms(s).Count() < 2 || ExtractiveResponder.IsInjection(s)) continue;
                if (seen.Add(s)) result.Add(s);
            }
        }
        return result;
    }

    /// <summary>The documents the answers cited, once each (first citation kept), numbered 1..k in the order first cited.</summary>
    public static List<Citation> Citations(IEnumerable<SessionMessage> messages)
    {
        var result = new List<Citation>();
        foreach (var c in messages.SelectMany(m => m.Citations))
            if (result.All(r => r.DocumentId != c.DocumentId)) result.Add(c with { N = result.Count + 1 });
        return result;
    }

    [GeneratedRegex(@"\s*\[\d{1,2}(\s*,\s*\d{1,2})*\]")]
    private static partial Regex Marks();
}
