using CloneAI.Core.Knowledge;

namespace CloneAI.Core.Chat;

/// <summary>
/// The weights and floors by which <see cref="SentenceChooser"/> picks sentences. The defaults were chosen on COVID-QA dev in two
/// halves (even and odd question numbers): a grid tuned on each half and read on the other agreed on the meaning floor 0.6, the
/// word weight 0.35 and floor 0.15, a small rank weight and a span share of 0.85–0.9; with these defaults the halves read
/// sentence precision 0.591 / 0.573, citation hit 0.595 / 0.585 and 33 / 32 words per answer (median). They were also checked
/// on the demo clone's questions.
/// </summary>
public sealed record ChooserTuning
{
    /// <summary>Weight of the sentence's cosine similarity to the question (from its segments' vectors).</summary>
    public double Meaning { get; init; } = 1.0;

    /// <summary>Weight of the share of the question's words (weighted by rarity) that the sentence contains.</summary>
    public double Lexical { get; init; } = 0.35;

    /// <summary>Weight of the passage's retrieval rank (1 for the first passage, 1/n for the n-th).</summary>
    public double Rank { get; init; } = 0.05;

    /// <summary>Least cosine similarity of a quoted sentence (when sentence vectors are known).</summary>
    public double MeaningFloor { get; init; } = 0.6;

    /// <summary>Least share of the question's (rarity-weighted) words that a quoted sentence contains.</summary>
    public double LexicalFloor { get; init; } = 0.15;

    /// <summary>A sentence next to the chosen span joins it when it scores at least this share of the best sentence.</summary>
    public double SpanShare { get; init; } = 0.9;

    /// <summary>A sentence of another passage (or not next to the span) is added when it scores at least this share of the best.</summary>
    public double OtherShare { get; init; } = 0.97;

    /// <summary>Without sentence vectors (words and rank only): the shares of the best score for the span and for other sentences.</summary>
    public double LexicalSpanShare { get; init; } = 0.6;

    public double LexicalOtherShare { get; init; } = 0.4;

    public static ChooserTuning Default { get; } = new();
}

/// <summary>One quoted unit: a sentence (with the sentence before it when it points back) at <see cref="Start"/>..<see cref="End"/> of the source's text.</summary>
public sealed record QuotedSentence(ChatSource Source, int Start, int End, string Sentence, double Score);

/// <summary>
/// Chooses the sentences an extractive answer quotes. Each sentence of the sources is scored by meaning (its cosine similarity to
/// the question, from the passage's segment similarities), by the rarity-weighted share of the question's words it contains, and by
/// its passage's retrieval rank. A sentence under the floor is never quoted. The answer is one coherent span around the best
/// sentence, in reading order, grown by its neighbours while they score close to it; a sentence of another passage joins only when
/// it scores nearly as well as the best, and not when it leans on a context it would be quoted without. A sentence that points back ("These are…", "Its…") brings the sentence before it.
/// </summary>
public static class SentenceChooser
{
    private const int MinSentenceChars = 20;
    private const int MaxSentenceChars = 600;

    private sealed class Candidate(ChatSource source, int index, int start, int end, string text)
    {
        public ChatSource Source { get; } = source;
        public int Index { get; } = index;
        public int Start { get; } = start;
        public int End { get; } = end;
        public string Text { get; } = text;
        public bool Usable { get; init; }
        public bool PointsBack { get; init; }
        public bool LeansOnContext { get; init; }
        public bool Repeated { get; init; }
        public HashSet<string> Terms { get; init; } = [];
        public double? Meaning { get; init; }
        public double Lexical { get; set; }
        public double Score { get; set; }
        public bool Clears { get; set; }
    }

    /// <summary>
    /// The quoted units, in answer order, at most <paramref name="count"/> (a unit with its antecedent may add one); none when no
    /// sentence clears the floor. Sentences contained in <paramref name="avoid"/> (the previous answer) are passed over unless
    /// nothing else clears it.
    /// </summary>
    public static List<QuotedSentence> Choose(string question, IReadOnlyList<ChatSource> sources, int count, string? avoid = null, ChooserTuning? tuning = null)
    {
        var t = tuning ?? ChooserTuning.Default;
        if (sources.Count == 0 || count < 1) return [];
        var (all, candidates, withMeaning) = Score(question, sources, avoid, t);
        if (candidates.Count == 0) return [];
        var cleared = candidates.Where(c => c.Clears).ToList();
        if (cleared.Count == 0) return [];
        // A follow-up does not repeat the previous answer, unless nothing else answers it about as well.
        var top = cleared.Max(c => c.Score);
        var spanShare0 = withMeaning ? t.SpanShare : t.LexicalSpanShare;
        var eligible = cleared.Where(c => !c.Repeated).ToList();
        if (!eligible.Any(c => Relative(c.Score, top) >= spanShare0)) eligible = cleared;
        var best = eligible.MaxBy(c => c.Score)!;
        var spanShare = withMeaning ? t.SpanShare : t.LexicalSpanShare;
        var otherShare = withMeaning ? t.OtherShare : t.LexicalOtherShare;
        bool Near(Candidate c, double share) => eligible.Contains(c) && Relative(c.Score, best.Score) >= share;

        // The span around the best sentence, within its passage.
        var passage = all[IndexOf(sources, best.Source)];
        int first = best.Index, last = best.Index;
        var taken = 1;
        while (taken < count)
        {
            var before = first > 0 && passage[first - 1].Usable && Near(passage[first - 1], spanShare) ? passage[first - 1] : null;
            var after = last + 1 < passage.Count && passage[last + 1].Usable && (Near(passage[last + 1], spanShare)) ? passage[last + 1] : null;
            if (before is null && after is null) break;
            if (after is not null && (before is null || after.Score >= before.Score)) last++;
            else first--;
            taken++;
        }
        var units = new List<(Candidate From, Candidate To)>();
        var used = new HashSet<Candidate>();
        for (var i = first; i <= last; i++) used.Add(passage[i]);
        units.Add(WithAntecedent(passage, first, last, used));

        // Other sentences only when they score nearly as well as the best one.
        foreach (var c in eligible.OrderByDescending(c => c.Score))
        {
            if (taken >= count) break;
            if (used.Contains(c) || !Near(c, otherShare)) continue;
            if (units.Any(u => u.From.Source == c.Source && u.From.Index <= c.Index && c.Index <= u.To.Index)) continue;
            var list = all[IndexOf(sources, c.Source)];
            // Away from the span, a sentence that needs its context ("…this takes a few tens of millions of years") would dangle.
            if (c.LeansOnContext && !c.PointsBack) continue;
            used.Add(c);
            units.Add(WithAntecedent(list, c.Index, c.Index, used));
            taken++;
        }

        var result = new List<QuotedSentence>();
        foreach (var (from, to) in units)
        {
            var list = all[IndexOf(sources, from.Source)];
            // Sentences of one span are quoted one by one, each with its mark; a sentence pointing back stays with its antecedent.
            var i = from.Index;
            while (i <= to.Index)
            {
                var j = i;
                while (j + 1 <= to.Index && list[j + 1].PointsBack) j++;
                var text = string.Join(' ', list.Skip(i).Take(j - i + 1).Select(c => c.Text));
                result.Add(new QuotedSentence(from.Source, list[i].Start, list[j].End, text, list.Skip(i).Take(j - i + 1).Max(c => c.Score)));
                i = j + 1;
            }
        }
        return result;
    }

    /// <summary>Every quotable sentence of the sources with its score, best first (for tuning and tests; no floor applied).</summary>
    public static List<QuotedSentence> Rank(string question, IReadOnlyList<ChatSource> sources, ChooserTuning? tuning = null) =>
        Score(question, sources, null, tuning ?? ChooserTuning.Default).Candidates.OrderByDescending(c => c.Score)
            .Select(c => new QuotedSentence(c.Source, c.Start, c.End, c.Text, c.Score)).ToList();

    private static (List<List<Candidate>> All, List<Candidate> Candidates, bool WithMeaning) Score(string question, IReadOnlyList<ChatSource> sources, string? avoid, ChooserTuning t)
    {
        var terms = ExtractiveResponder.Terms(question).ToHashSet(StringComparer.Ordinal);
        var avoidText = avoid is null ? null : ExtractiveResponder.Clean(avoid);
        var all = new List<List<Candidate>>();
        var seen = new HashSet<(string, int, int)>();
        foreach (var source in sources)
        {
            var list = new List<Candidate>();
            var index = 0;
            foreach (var (start, end) in ExtractiveResponder.Sentences(source.Text))
            {
                var text = ExtractiveResponder.Clean(source.Text[start..end]);
                // Overlapping chunks repeat sentences: the first (better ranked) passage keeps them.
                var fresh = seen.Add((source.DocumentId, source.Start + start, source.Start + end));
                list.Add(new Candidate(source, index++, start, end, text)
                {
                    // Text written at a model ("ignore previous instructions…") is never quoted.
                    Usable = fresh && text.Length is >= MinSentenceChars and <= MaxSentenceChars && !ExtractiveResponder.IsInjection(text),
                    PointsBack = ExtractiveResponder.PointsBack(text),
                    LeansOnContext = ExtractiveResponder.LeansOnContext(text),
                    Repeated = avoidText is not null && avoidText.Contains(text, StringComparison.Ordinal),
                    Terms = ExtractiveResponder.Terms(text).ToHashSet(StringComparer.Ordinal),
                    Meaning = MeaningOf(source, start, end),
                });
            }
            all.Add(list);
        }
        var candidates = all.SelectMany(l => l).Where(c => c.Usable).ToList();
        if (candidates.Count == 0) return (all, candidates, false);
        var withMeaning = candidates.All(c => c.Meaning is not null);
        if (terms.Count == 0 && !withMeaning) return (all, [], withMeaning);

        // Rarer words weigh more: inverse frequency over the candidate sentences.
        var idf = terms.ToDictionary(w => w, w => Math.Log(1 + candidates.Count / (1.0 + candidates.Count(c => c.Terms.Contains(w)))), StringComparer.Ordinal);
        var idfTotal = idf.Values.Sum();
        foreach (var c in candidates)
        {
            c.Lexical = idfTotal <= 0 ? 0 : terms.Where(c.Terms.Contains).Sum(w => idf[w]) / idfTotal;
            var rank = 1.0 / c.Source.N;
            c.Score = withMeaning
                ? t.Meaning * c.Meaning!.Value + t.Lexical * c.Lexical + t.Rank * rank
                : c.Lexical + t.Rank * rank;
            // The floor: close enough in meaning (when known), and sharing enough of the question's words (when it has any).
            var wordsClear = terms.Count == 0 ? withMeaning : c.Lexical > 0 && c.Lexical >= t.LexicalFloor;
            c.Clears = wordsClear && (!withMeaning || c.Meaning >= t.MeaningFloor);
        }
        return (all, candidates, withMeaning);
    }

    /// <summary>The span first..last, grown back by the sentences it leans on ("These are…" brings the sentence before it).</summary>
    private static (Candidate From, Candidate To) WithAntecedent(List<Candidate> list, int first, int last, HashSet<Candidate> used)
    {
        while (first > 0 && list[first].PointsBack && list[first - 1].Usable && list[first - 1].End <= list[first].Start)
        {
            first--;
            used.Add(list[first]);
        }
        return (list[first], list[last]);
    }

    private static int IndexOf(IReadOnlyList<ChatSource> sources, ChatSource source)
    {
        for (var i = 0; i < sources.Count; i++)
        {
            if (ReferenceEquals(sources[i], source)) return i;
        }
        return -1;
    }

    private static double Relative(double score, double best) => best <= 0 ? (score >= best ? 1 : 0) : score / best;

    /// <summary>
    /// A sentence's similarity to the question: the mean of its overlapping segments' similarities, weighted by overlap (the index
    /// splits wrapped lines, the responder joins them); null when the source's segments are unknown.
    /// </summary>
    private static double? MeaningOf(ChatSource source, int start, int end)
    {
        if (source.Segments is not { Count: > 0 } segments) return null;
        double sum = 0, weight = 0;
        foreach (var s in segments)
        {
            var overlap = Math.Min(end, s.End) - Math.Max(start, s.Start);
            if (overlap <= 0) continue;
            sum += overlap * s.Similarity;
            weight += overlap;
        }
        return weight > 0 ? sum / weight : segments.Min(s => s.Similarity);
    }
}
