using System.Text.RegularExpressions;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.AI;

namespace CloneAI.Core.Chat;

/// <summary>
/// Turns a follow-up ("and how long does it last?") into a stand-alone question for retrieval. A question is rewritten only when
/// it depends on the conversation (<see cref="LeansOnHistory"/>: a word that points back, or an ellipsis such as "and why?" or
/// "how long?") and, when the caller has retrieved for it as asked, that retrieval is weak (<see cref="IsWeak"/>). A
/// self-contained question ("What's the capital of Peru?") is retrieved as asked. With a language model the model rewrites it;
/// offline (or when the model fails) it gets the content words of the question it follows.
/// </summary>
public static partial class FollowUps
{
    /// <summary>
    /// A stand-alone retrieval whose best passage is at least this similar to the question (cosine) answers it without the
    /// conversation, so a follow-up that leans on it is not rewritten. Measured on the demo clone with the local embedding model
    /// (snowflake-arctic-embed-xs), whose cosines sit high: on-topic questions score 0.71 to 0.80 ("What about Saturn?" 0.67),
    /// follow-ups that need the conversation ("And why does that happen?", "How long?") 0.56 to 0.58, off-topic ones 0.53 to 0.56.
    /// </summary>
    public const double StrongSimilarity = 0.65;

    private static readonly HashSet<string> PointingBack = new(StringComparer.OrdinalIgnoreCase)
    {
        "it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those", "he", "she", "him", "her", "his", "hers",
        "there", "such", "same", "former", "latter",
    };

    /// <summary>Words a question opens with when it continues the previous one: "And why?", "But how?", "Also…", "So…".</summary>
    private static readonly HashSet<string> Continuing = new(StringComparer.OrdinalIgnoreCase) { "and", "but", "or", "so", "also", "then", "plus" };

    private static readonly HashSet<string> Asking = new(StringComparer.OrdinalIgnoreCase) { "what", "why", "how", "when", "where", "which", "who", "whom", "whose" };

    private static readonly HashSet<string> Demonstratives = new(StringComparer.OrdinalIgnoreCase) { "this", "that", "these", "those" };

    /// <summary>"this year", "that night": pointing at a time, not at the conversation.</summary>
    private static readonly HashSet<string> Times = new(StringComparer.OrdinalIgnoreCase)
    {
        "time", "year", "month", "week", "weekend", "day", "evening", "morning", "afternoon", "night", "season", "spring", "summer", "autumn", "fall", "winter", "century", "decade",
    };

    private static readonly HashSet<string> Verbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "is", "are", "was", "were", "be", "been", "do", "does", "did", "has", "have", "had", "can", "could", "will", "would", "should", "may", "might", "must",
    };

    /// <summary>
    /// Whether the question depends on the conversation: it opens by continuing the previous one ("and why?", "what about
    /// Mars?"), has no content words of its own ("Why?", "Tell me more"), is a bare question fragment ("How long?", "Which
    /// one?"), or has a word that points back ("they", "that", "this planet"): not "there" in "is there…", nor a relative
    /// "that" after a noun ("the star that…").
    /// </summary>
    public static bool LeansOnHistory(string question)
    {
        var raw = Words().Matches(question).Select(m => m.Value).Where(w => Bare(w).Length > 0).ToList();
        var words = raw.Select(Bare).ToList();
        if (words.Count == 0) return false;
        if (Continuing.Contains(words[0])) return true;
        if (words.Count > 1 && (words[0].Equals("what", StringComparison.OrdinalIgnoreCase) || words[0].Equals("how", StringComparison.OrdinalIgnoreCase))
            && words[1].Equals("about", StringComparison.OrdinalIgnoreCase)) return true;
        if (HasNoWordsOfItsOwn(question)) return true;
        // "How long?", "Which one?", but not "What's Jupiter?" (the verb hides in the contraction) nor "Who is Ada?".
        if (words.Count <= 3 && Asking.Contains(words[0]) && raw[0].Length == words[0].Length && !words.Skip(1).Any(Verbs.Contains)) return true;
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            if (!PointingBack.Contains(w)) continue;
            var before = i > 0 ? words[i - 1] : null;
            var after = i + 1 < words.Count ? words[i + 1] : null;
            if (w.Equals("there", StringComparison.OrdinalIgnoreCase) && (IsBe(before) || IsBe(after))) continue;
            if (w.Equals("that", StringComparison.OrdinalIgnoreCase) && before is not null && !StopWords.Contains(before.ToLowerInvariant()) && !Verbs.Contains(before)) continue;
            if (after is not null && Times.Contains(after) && Demonstratives.Contains(w)) continue;
            return true;
        }
        return false;
    }

    /// <summary>
    /// Whether a stand-alone retrieval leaves the question to the conversation: nothing was found, or the index knows how similar
    /// the passages are and the best is under <paramref name="strong"/>. When the index reports no similarity (Azure AI Search),
    /// it cannot tell, and counts as weak, so a question that leans on the conversation is rewritten as before.
    /// </summary>
    public static bool IsWeak(IReadOnlyList<ChatSource> sources, double strong = StrongSimilarity)
    {
        if (sources.Count == 0) return true;
        var known = sources.Where(s => s.Similarity is not null).Select(s => s.Similarity!.Value).ToList();
        return known.Count == 0 || known.Max() < strong;
    }

    /// <summary>Words that ask for more of the same rather than name a subject: "Elaborate?", "Go on", "An example?".</summary>
    private static readonly HashSet<string> ForMore =
        new[] { "elaborate", "expand", "continue", "go", "example", "detail", "again", "else" }
            .Select(TopicGuard.Stem).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Whether the question has no content words of its own ("Why?", "Tell me more", "Go on"), so retrieving it as asked cannot
    /// find anything meaningful.
    /// </summary>
    public static bool HasNoWordsOfItsOwn(string question) => TopicGuard.Stems(question).All(ForMore.Contains);

    /// <summary>
    /// The offline rewrite of a question that leans on the conversation: the question, then the content words of the question it
    /// follows that it does not already have (and, when that one was itself a follow-up, of the questions before it, up to the
    /// one that stood alone).
    /// </summary>
    public static string Heuristic(string question, IReadOnlyList<string> previousQuestions)
    {
        if (previousQuestions.Count == 0 || !LeansOnHistory(question)) return question;
        var own = TopicGuard.Stems(question).ToHashSet(StringComparer.Ordinal);
        var chain = new List<string>();
        for (var i = previousQuestions.Count - 1; i >= 0 && chain.Count < 3; i--)
        {
            chain.Insert(0, previousQuestions[i]);
            if (!LeansOnHistory(previousQuestions[i])) break;
        }
        var added = chain.SelectMany(q => Words().Matches(q).Select(m => m.Value))
            .Where(w => TopicGuard.Stems(w).Any(own.Add))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return added.Count == 0 ? question : question.TrimEnd() + " (" + string.Join(' ', added) + ")";
    }

    /// <summary>
    /// Asks the model for a stand-alone question when the question leans on the conversation; falls back to
    /// <see cref="Heuristic"/> on any failure or an empty reply.
    /// </summary>
    public static async Task<string> WithModelAsync(IChatClient chat, string question, IReadOnlyList<(string Role, string Text)> history, CancellationToken cancellationToken)
    {
        var previousQuestions = history.Where(h => h.Role == MessageRoles.User).Select(h => h.Text).ToList();
        if (history.Count == 0 || !LeansOnHistory(question)) return question;
        var transcript = string.Join('\n', history.Select(h => $"{h.Role}: {h.Text}"));
        try
        {
            var response = await chat.GetResponseAsync(
                [
                    new ChatMessage(ChatRole.System, "Rewrite the user's last question as one stand-alone question that can be understood without the conversation. Reply with the question only."),
                    new ChatMessage(ChatRole.User, $"Conversation:\n{transcript}\n\nLast question: {question}"),
                ],
                new ChatOptions { Temperature = 0, MaxOutputTokens = 100 }, cancellationToken);
            var text = response.Text.Trim().Trim('"');
            return text.Length is > 0 and < 500 ? text : Heuristic(question, previousQuestions);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Heuristic(question, previousQuestions);
        }
    }

    private static bool IsBe(string? word) => word is not null && (word.Equals("is", StringComparison.OrdinalIgnoreCase) || word.Equals("are", StringComparison.OrdinalIgnoreCase)
        || word.Equals("was", StringComparison.OrdinalIgnoreCase) || word.Equals("were", StringComparison.OrdinalIgnoreCase) || word.Equals("be", StringComparison.OrdinalIgnoreCase));

    /// <summary>A word without a possessive or a contraction: "what's" is "what", "moon's" is "moon".</summary>
    private static string Bare(string word)
    {
        var apostrophe = word.IndexOfAny(['\'', '’']);
        return apostrophe > 0 ? word[..apostrophe] : word.Trim('\'', '’');
    }

    [GeneratedRegex(@"[\p{L}\p{N}'’]+")]
    private static partial Regex Words();
}
