using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using CloneAI.Core.Knowledge;

namespace CloneAI.Core.Chat;

/// <summary>
/// The local default responder: it writes nothing of its own. It answers with sentences taken verbatim from the sources in the
/// <see cref="ResponderRequest"/>, chosen by how many of the stand-alone question's rarer words they share, at most two per
/// source, each followed by its <c>[n]</c>; and it streams them word by word. When no sentence shares a word with the question
/// it gives the request's "I don't know" message. It ignores the instructions, so text planted in a document can never steer it.
/// </summary>
public sealed partial class ExtractiveResponder(TimeSpan wordDelay) : IResponder
{
    private const int MaxSentenceChars = 600;

    public bool UsesModel => false;

    public string AnswerKind => AnswerKinds.Extractive;

    /// <summary>Without a model, the offline rewrite (<see cref="FollowUps.Heuristic"/>).</summary>
    public Task<string> RewriteFollowUpAsync(string question, IReadOnlyList<SessionMessage> history, CancellationToken cancellationToken = default) =>
        Task.FromResult(FollowUps.Heuristic(question, history.Where(h => h.Role == MessageRoles.User).Select(h => h.Content).ToList()));

    public async IAsyncEnumerable<ResponderUpdate> RespondAsync(ResponderRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var text = Answer(request);
        var first = true;
        foreach (Match word in Word().Matches(text))
        {
            if (!first && wordDelay > TimeSpan.Zero) await Task.Delay(wordDelay, cancellationToken);
            first = false;
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ResponderUpdate(word.Value);
        }
    }

    /// <summary>The whole answer: chosen sentences in source order, each with its citation.</summary>
    public static string Answer(ResponderRequest request)
    {
        var chosen = Choose(request.StandaloneQuestion, request.Sources, request.AnswerLength switch { "short" => 2, "long" => 6, _ => 4 });
        if (chosen.Count == 0) return request.DontKnow;
        var sb = new StringBuilder();
        foreach (var (source, sentence) in chosen)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(sentence).Append(" [").Append(source.N).Append(']');
        }
        return sb.ToString();
    }

    /// <summary>The best sentences (sharing at least one question word), at most two per source, in source and reading order.</summary>
    public static List<(ChatSource Source, string Sentence)> Choose(string question, IReadOnlyList<ChatSource> sources, int count)
    {
        var terms = Terms(question).ToHashSet(StringComparer.Ordinal);
        if (terms.Count == 0 || sources.Count == 0) return [];
        var candidates = new List<(ChatSource Source, int Order, string Sentence, HashSet<string> Terms)>();
        foreach (var source in sources)
        {
            var order = 0;
            string? previous = null;
            foreach (var (start, end) in Sentences(source.Text))
            {
                var sentence = Clean(source.Text[start..end]);
                // Text written at a model ("ignore previous instructions…") is never quoted as an answer.
                var usable = sentence.Length is >= 20 and <= MaxSentenceChars && !Injection().IsMatch(sentence);
                if (usable)
                {
                    // "These are spring tides." means nothing without the sentence it points back to: quote them together.
                    var quoted = previous is not null && PointsBack(sentence) ? previous + " " + sentence : sentence;
                    candidates.Add((source, order++, quoted, Terms(sentence).ToHashSet(StringComparer.Ordinal)));
                }
                previous = usable ? sentence : null;
            }
        }
        if (candidates.Count == 0) return [];
        // Rarer words weigh more: inverse frequency over the candidate sentences.
        var idf = terms.ToDictionary(t => t, t => Math.Log(1 + candidates.Count / (1.0 + candidates.Count(c => c.Terms.Contains(t)))), StringComparer.Ordinal);
        // The passage's retrieval rank counts too (it is the stronger signal); very long sentences are slightly discounted.
        var scored = candidates
            .Select(c => (c.Source, c.Order, c.Sentence, Matched: terms.Where(c.Terms.Contains).Sum(t => idf[t])))
            .Where(c => c.Matched > 0)
            .Select(c => (c.Source, c.Order, c.Sentence, Score: c.Matched + 1.0 / c.Source.N - 0.0005 * c.Sentence.Length / 10))
            .OrderByDescending(c => c.Score)
            .ToList();
        // A sentence scoring under a third of the best one would only pad the answer.
        var best = scored.Count > 0 ? scored[0].Score : 0;
        scored = scored.Where(c => c.Score >= best * 0.35).ToList();
        // Spread the answer over the sources first (each one's best sentence), then allow a second sentence per source.
        var perSource = new Dictionary<int, int>();
        var picked = new List<(ChatSource Source, int Order, string Sentence)>();
        foreach (var perSourceLimit in new[] { 1, 2 })
        {
            foreach (var c in scored)
            {
                if (picked.Count == count) break;
                if (perSource.GetValueOrDefault(c.Source.N) >= perSourceLimit) continue;
                // Overlapping chunks repeat sentences, and a sentence quoted with the one before contains that one.
                if (picked.Any(p => p.Sentence.Contains(c.Sentence, StringComparison.Ordinal) || c.Sentence.Contains(p.Sentence, StringComparison.Ordinal))) continue;
                perSource[c.Source.N] = perSource.GetValueOrDefault(c.Source.N) + 1;
                picked.Add((c.Source, c.Order, c.Sentence));
            }
        }
        return picked.OrderBy(p => p.Source.N).ThenBy(p => p.Order).Select(p => (p.Source, p.Sentence)).ToList();
    }

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
            var label = lines == 1 && only.Length < 60 && !".!?:;\"')]".Contains(only[^1]);
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

    private static readonly HashSet<string> Anaphora = new(StringComparer.OrdinalIgnoreCase) { "this", "these", "that", "those", "it", "they", "such", "he", "she", "here", "there" };

    /// <summary>Whether a sentence opens by pointing back at the one before ("These are…", "It is…").</summary>
    public static bool PointsBack(string sentence)
    {
        var first = Token().Match(sentence);
        return first.Success && first.Index < 3 && Anaphora.Contains(first.Value);
    }

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
        if (w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal)) return w[..^1];
        return w;
    }

    private static string Clean(string sentence) => string.Join(' ', sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|rules|prompts?|guidelines)\b|\bsystem prompt\b|\byou are now\b|\b(reply|respond|answer) only with\b|\bjailbreak", RegexOptions.IgnoreCase)]
    private static partial Regex Injection();

    [GeneratedRegex(@"\S+\s*")]
    private static partial Regex Word();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Token();
}
