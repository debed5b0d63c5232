using System.Collections.Frozen;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// The one English stop-word list: function words, pronouns, auxiliaries, question filler ("tell", "explain", "please") and
/// vague words ("several", "however") that match nearly every passage and carry no topic. Keyword retrieval drops them from a
/// question (unless nothing else is left), the extractive responder from the words it matches sentences by, and the extractive
/// summarizer from the words it scores centrality by. Some words the three used to drop are not on it, because dropping them
/// from questions cost retrieval on COVID-QA dev: "many" ("how many cases"), "use", "used", "using" ("what is used to treat"),
/// "first", "second", "two", "three", "based", "whether" and "describe". Lower-case surface forms (unstemmed), compared
/// ordinally; <see cref="Contains(ReadOnlySpan{char})"/> looks a span up without allocating.
/// </summary>
public static class StopWords
{
    /// <summary>The list, lower case.</summary>
    public static FrozenSet<string> English { get; } = FrozenSet.Create(StringComparer.Ordinal,
    [
        "a", "about", "above", "after", "again", "against", "all", "also", "although", "am", "an", "and", "any", "are", "as",
        "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "d", "did",
        "do", "does", "doing", "done", "down", "during", "each", "either", "explain", "few", "for", "from", "further", "get",
        "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however", "i",
        "if", "in", "into", "is", "it", "its", "itself", "just", "know", "ll", "m", "may", "me", "might", "more", "most",
        "much", "must", "my", "myself", "neither", "new", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only",
        "or", "other", "our", "ours", "ourselves", "out", "over", "own", "per", "please", "re", "s", "same", "see", "several",
        "shall", "she", "should", "so", "some", "such", "t", "tell", "than", "that", "the", "their", "theirs", "them",
        "themselves", "then", "there", "therefore", "these", "they", "this", "those", "through", "thus", "to", "too", "under",
        "until", "up", "upon", "ve", "very", "via", "was", "we", "well", "were", "what", "when", "where", "which", "while",
        "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "you", "your", "yours", "yourself",
        "yourselves",
    ]);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Spans = English.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether the lower-case word is a stop word.</summary>
    public static bool Contains(string word) => English.Contains(word);

    /// <summary>Whether the lower-case word is a stop word, without allocating a string.</summary>
    public static bool Contains(ReadOnlySpan<char> word) => Spans.Contains(word);
}
