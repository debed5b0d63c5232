using System.Text.RegularExpressions;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;

namespace CloneAI.Core.Chat;

/// <summary>
/// The clone's topics to avoid, enforced before retrieval for every responder. A question is about a topic when it holds every
/// content word of the topic as written (stop words and filler such as "questions about" dropped), compared after a light
/// inflection-only stem: "politics" matches "politics" and "politic", "horoscopes" matches "horoscope", "gambling" matches
/// "gamble" and "gambled"; but a derived word is a different word, so "politics" does not block "the political history of
/// astronomy", and "personal life" does not block "the life cycle of a star". Lexical on purpose: it is deterministic, costs no
/// embedding, and a word the creator wrote cannot be argued around; paraphrases are left to the model's prompt, which keeps
/// the instruction (embedding a one-word topic against a question scores its neighbours too close to tell apart).
/// </summary>
public static partial class TopicGuard
{
    /// <summary>Words that frame a topic rather than name it ("questions about politics", "anything related to religion").</summary>
    private static readonly HashSet<string> Filler =
        new[] { "question", "topic", "discussion", "discuss", "talk", "subject", "anything", "everything", "thing", "related", "regarding", "matter" }
            .Select(Stem).ToHashSet(StringComparer.Ordinal);

    /// <summary>The first topic to avoid that the question is about, as the creator wrote it; null when there is none.</summary>
    public static string? Avoided(IReadOnlyList<string> topicsToAvoid, string question)
    {
        if (topicsToAvoid.Count == 0 || string.IsNullOrWhiteSpace(question)) return null;
        var asked = Stems(question).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in topicsToAvoid)
        {
            // One entry may list several topics: "politics, religion".
            foreach (var topic in entry.Split([',', ';', '/', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var words = Stems(topic).Where(w => !Filler.Contains(w)).Distinct(StringComparer.Ordinal).ToList();
                if (words.Count > 0 && words.All(asked.Contains)) return topic;
            }
        }
        return null;
    }

    /// <summary>
    /// The polite refusal, in the clone's tone: it names the topic as the creator wrote it and what the clone can help with,
    /// taken from its tagline, else its category (nothing is made up).
    /// </summary>
    public static string Decline(Clone clone, string topic)
    {
        var help = HelpsWith(clone);
        var subject = Squash(topic).TrimEnd('.', '!', '?');
        var capitalised = subject.Length > 0 ? char.ToUpperInvariant(subject[0]) + subject[1..] : subject;
        return clone.Persona.Tone switch
        {
            "professional" => $"I'm sorry, but I don't discuss {subject}. I can help with this instead: {help}.",
            "casual" => $"{capitalised} isn't something I get into, sorry! Here's what I can help with: {help}.",
            "academic" => $"{capitalised} falls outside what I address here. What I can speak to: {help}.",
            "playful" => $"Ah, {subject} is off my menu, I'm afraid! Here's what I'm happy to chat about: {help}.",
            "direct" => $"I don't discuss {subject}. Ask me about this instead: {help}.",
            _ => $"Thanks for asking, but {subject} is something I don't discuss here. I'm glad to help with this instead: {help}.",
        };
    }

    /// <summary>What the clone covers, in its creator's words: the tagline, else the category's name, else its description.</summary>
    public static string HelpsWith(Clone clone)
    {
        if (!string.IsNullOrWhiteSpace(clone.Tagline)) return Squash(clone.Tagline).TrimEnd('.', '!', '?', ';', ':');
        var category = Categories.All.FirstOrDefault(c => c.Id == clone.Category);
        if (category is not null) return "questions about " + category.Name;
        return string.IsNullOrWhiteSpace(clone.Description) ? "the topics in my notes" : Squash(clone.Description).TrimEnd('.', '!', '?', ';', ':');
    }

    /// <summary>Lower-case content words with inflection stripped (plural, possessive, -ing, -ed), derivation left alone.</summary>
    public static IEnumerable<string> Stems(string text)
    {
        foreach (Match m in Word().Matches(text))
        {
            var w = m.Value.ToLowerInvariant();
            if (w.EndsWith("'s", StringComparison.Ordinal) || w.EndsWith("’s", StringComparison.Ordinal)) w = w[..^2];
            w = w.Trim('\'', '’');
            if (w.Length < 2 || StopWords.Contains(w)) continue;
            yield return Stem(w);
        }
    }

    /// <summary>An inflection-only stem: "horoscopes" and "horoscope", "gambling", "gambled" and "gamble" meet; "political" stays.</summary>
    public static string Stem(string w)
    {
        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal)) w = w[..^3] + "y";
        else if (w.Length > 4 && (w.EndsWith("sses", StringComparison.Ordinal) || w.EndsWith("xes", StringComparison.Ordinal)
                 || w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal))) w = w[..^2];
        else if (w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal)
                 && !w.EndsWith("is", StringComparison.Ordinal)) w = w[..^1];
        else if (w.Length > 5 && w.EndsWith("ing", StringComparison.Ordinal)) w = w[..^3];
        else if (w.Length > 4 && w.EndsWith("ed", StringComparison.Ordinal)) w = w[..^2];
        // "gambl(e)", "bett" → "bet": the forms above end in the same letters.
        if (w.Length > 3 && w[^1] == 'e') w = w[..^1];
        if (w.Length > 3 && w[^1] == w[^2] && !"aeiouls".Contains(w[^1], StringComparison.Ordinal)) w = w[..^1];
        return w;
    }

    private static string Squash(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")]
    private static partial Regex Word();
}
