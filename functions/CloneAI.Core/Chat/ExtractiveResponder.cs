using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using CloneAI.Core.Knowledge;

namespace CloneAI.Core.Chat;

/// <summary>
/// The local default responder: it writes nothing of its own. It answers with sentences taken verbatim from the sources in the
/// <see cref="ResponderRequest"/>, chosen by <see cref="SentenceChooser"/> (meaning, words and the passage's rank, above a floor;
/// one coherent span first), each followed by its <c>[n]</c>, opened by the request's framing line when it has one; and it streams
/// them word by word, the first update telling which ranges of which sources it quotes. When no sentence clears the floor it
/// gives the request's "I don't know" message. It ignores the instructions, so text planted in a document can never steer it.
/// </summary>
public sealed partial class ExtractiveResponder(TimeSpan wordDelay, ChooserTuning? tuning = null) : IResponder
{
    public bool UsesModel => false;

    public string AnswerKind => AnswerKinds.Extractive;

    /// <summary>Without a model, the offline rewrite (<see cref="FollowUps.Heuristic"/>).</summary>
    public Task<string> RewriteFollowUpAsync(string question, IReadOnlyList<SessionMessage> history, CancellationToken cancellationToken = default) =>
        Task.FromResult(FollowUps.Heuristic(question, history.Where(h => h.Role == MessageRoles.User).Select(h => h.Content).ToList()));

    public async IAsyncEnumerable<ResponderUpdate> RespondAsync(ResponderRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (text, quoted) = Compose(request, tuning);
        var quotes = quoted.Select(q => new SourceQuote(q.Source.N, q.Start, q.End)).ToList();
        var first = true;
        foreach (Match word in Word().Matches(text))
        {
            if (!first && wordDelay > TimeSpan.Zero) await Task.Delay(wordDelay, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ResponderUpdate(word.Value) { Quotes = first ? quotes : null };
            first = false;
        }
    }

    /// <summary>The whole answer: the chosen sentences, each with its citation.</summary>
    public static string Answer(ResponderRequest request, ChooserTuning? tuning = null) => Compose(request, tuning).Text;

    /// <summary>The answer's text and the sentences it quotes (none: the "I don't know" message).</summary>
    public static (string Text, List<QuotedSentence> Quoted) Compose(ResponderRequest request, ChooserTuning? tuning = null)
    {
        // A follow-up avoids what the previous answer quoted; the same question asked again gets the same answer.
        var lastQuestion = request.History.LastOrDefault(h => h.Role == MessageRoles.User)?.Content;
        var previous = string.Equals(lastQuestion?.Trim(), request.Question.Trim(), StringComparison.OrdinalIgnoreCase)
            ? null
            : request.History.LastOrDefault(h => h.Role == MessageRoles.Assistant)?.Content;
        var chosen = SentenceChooser.Choose(request.StandaloneQuestion, request.Sources, SentencesFor(request.AnswerLength, request.Style?.Length),
            previous is null ? null : Mark().Replace(previous, " "), ForLength(tuning ?? ChooserTuning.Default, request.Style?.Length));
        if (chosen.Count == 0) return (request.DontKnow, []);
        var sb = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(request.Framing)) sb.Append(request.Framing.Trim());
        foreach (var q in chosen)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(q.Sentence).Append(" [").Append(q.Source.N).Append(']');
        }
        return (sb.ToString(), chosen);
    }

    /// <summary>How many sentences an answer of this length quotes at most: short 2, medium 3, long 5.</summary>
    public static int SentencesFor(string? answerLength) => answerLength switch { "short" => 2, "long" => 5, _ => 3 };

    /// <summary>
    /// With the user's chosen length (<see cref="Domain.CommunicationStyle.Length"/>) over the persona's: concise quotes one
    /// sentence, detailed up to six; without one, the persona's length.
    /// </summary>
    public static int SentencesFor(string? answerLength, string? userLength) => userLength switch
    {
        Domain.CommunicationStyle.Concise => 1,
        Domain.CommunicationStyle.Detailed => 6,
        _ => SentencesFor(answerLength),
    };

    /// <summary>
    /// A detailed answer takes in neighbours and other passages that score a little further from the best sentence (the floors
    /// stay: nothing off the question is quoted); otherwise the tuning as given.
    /// </summary>
    public static ChooserTuning ForLength(ChooserTuning tuning, string? userLength) => userLength == Domain.CommunicationStyle.Detailed
        ? tuning with
        {
            SpanShare = tuning.SpanShare * 0.85,
            OtherShare = tuning.OtherShare * 0.85,
            LexicalSpanShare = tuning.LexicalSpanShare * 0.75,
            LexicalOtherShare = tuning.LexicalOtherShare * 0.75,
        }
        : tuning;

    /// <summary>The best sentences above the floor, as (source, quoted text), in answer order.</summary>
    public static List<(ChatSource Source, string Sentence)> Choose(string question, IReadOnlyList<ChatSource> sources, int count) =>
        SentenceChooser.Choose(question, sources, count).Select(q => (q.Source, q.Sentence)).ToList();

    /// <summary>
    /// The sentences of a passage, paragraph by paragraph (blank lines part paragraphs; wrapped lines within one are joined). A
    /// Markdown heading line ("# Tides"), or a paragraph that is one short line with no closing punctuation, is a label, not a
    /// sentence, and never runs into the sentence after it.
    /// </summary>
    public static IEnumerable<(int Start, int End)> Sentences(string text)
    {
        var paragraphStart = -1;
        var paragraphEnd = 0;
        var lines = 0;
        var lineStart = 0;
        var result = new List<(int Start, int End)>();
        void Flush()
        {
            if (paragraphStart < 0) return;
            var only = text.AsSpan(paragraphStart, paragraphEnd - paragraphStart).Trim();
            // A caption or byline set wholly in emphasis ("*Written for the demo…*") is not part of the text either.
            var label = lines == 1 && ((only.Length < 60 && !".!?:;\"')]".Contains(only[^1])) || Emphasised(only));
            if (!label) SentenceSplitter.Split(text, paragraphStart, paragraphEnd, result);
            paragraphStart = -1;
            lines = 0;
        }
        while (lineStart <= text.Length)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            if (lineEnd < 0) lineEnd = text.Length;
            var line = text.AsSpan(lineStart, lineEnd - lineStart).Trim();
            if (line.IsEmpty || line.StartsWith("#"))
            {
                Flush();
            }
            else
            {
                if (paragraphStart < 0) paragraphStart = lineStart;
                paragraphEnd = lineEnd;
                lines++;
            }
            lineStart = lineEnd + 1;
        }
        Flush();
        return result;
    }

    private static readonly HashSet<string> Anaphora = new(StringComparer.OrdinalIgnoreCase)
    {
        "this", "these", "that", "those", "it", "its", "they", "their", "them", "such", "he", "she", "his", "her", "here", "there",
    };

    private static readonly HashSet<string> Possessives = new(StringComparer.OrdinalIgnoreCase) { "its", "their" };

    /// <summary>
    /// Whether a sentence leans on the one before: it opens by pointing back ("These are…", "It is…", "Its…"), or a possessive
    /// ("its", "their") comes within its first six words ("Even in steady binoculars its four largest moons…").
    /// </summary>
    public static bool PointsBack(string sentence)
    {
        var words = Token().Matches(sentence).Take(6).ToList();
        if (words.Count == 0) return false;
        if (words[0].Index < 3 && Anaphora.Contains(words[0].Value)) return true;
        return words.Skip(1).Any(w => Possessives.Contains(w.Value));
    }

    private static readonly HashSet<string> Pointing = new(StringComparer.OrdinalIgnoreCase) { "this", "these", "those", "it", "they" };

    /// <summary>
    /// Whether a sentence needs what came before it to be understood: it points back (<see cref="PointsBack"/>), or a pointing word
    /// comes within its first eight words ("For a star like the Sun this takes…"). Quoted on its own, away from its neighbours,
    /// such a sentence dangles.
    /// </summary>
    public static bool LeansOnContext(string sentence) =>
        PointsBack(sentence) || Token().Matches(sentence).Take(8).Any(w => Pointing.Contains(w.Value));

    private static bool Emphasised(ReadOnlySpan<char> line) =>
        line.Length > 2 && line[0] is '*' or '_' && line[^1] is '*' or '_';

    /// <summary>Lower-case content words with a light suffix strip, so "vaccines" matches "vaccine".</summary>
    public static IEnumerable<string> Terms(string text)
    {
        foreach (Match m in Token().Matches(text))
        {
            var w = m.Value.ToLowerInvariant();
            if (w.Length < 2 || StopWords.Contains(w)) continue;
            yield return Stem(w);
        }
    }

    private static string Stem(string w)
    {
        if (w.Length > 5 && w.EndsWith("ing", StringComparison.Ordinal)) return w[..^3];
        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal)) return w[..^3] + "y";
        if (w.Length > 4 && w.EndsWith("ed", StringComparison.Ordinal)) return w[..^2];
        if (w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal)) w = w[..^1];
        // "cause", "causes" and "caused" alike.
        return w.Length > 4 && w.EndsWith('e') ? w[..^1] : w;
    }

    /// <summary>Whether a sentence is written at a model ("ignore previous instructions…"), read normalised: never quoted.</summary>
    public static bool IsInjection(string sentence) => PromptInjection.IsInjection(sentence);

    /// <summary>The sentence on one line: runs of whitespace (wrapped lines) as one space.</summary>
    public static string Clean(string sentence) => string.Join(' ', sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"\[\d{1,2}\]")]
    private static partial Regex Mark();

    [GeneratedRegex(@"\S+\s*")]
    private static partial Regex Word();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Token();
}
