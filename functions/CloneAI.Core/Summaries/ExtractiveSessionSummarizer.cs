using CloneAI.Core.Chat;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Logging;

namespace CloneAI.Core.Summaries;

/// <summary>
/// The summary without a language model (<see cref="SummaryMethods.Extractive"/>): the most central sentences of the clone's
/// answers by <see cref="TextRank"/> over their vectors from the configured embedding model (the summary, then the key
/// insights), the directive sentences as action items (<see cref="Directives"/>: the answers' first, then those of the
/// cited sections the answers quoted from, so a short answer still leaves its source's advice), and as next topics the clone's
/// knowledge that the session came near but did not cover: the headings and passages its questions retrieve next to the cited
/// ones, that the answers did not quote.
/// </summary>
public sealed class ExtractiveSessionSummarizer(IKnowledgeEmbedder embedder, IKnowledgeIndex index, TimeProvider time, ILogger<ExtractiveSessionSummarizer> logger)
    : ISessionSummarizer
{
    public const int SummarySentences = 3;
    public const int MaxInsights = 5;
    public const int MaxActionItems = 5;
    public const int MaxNextTopics = 3;
    private const int SearchQuestions = 4;
    private const int SearchTop = 12;
    /// <summary>A topic whose words the session already said this much of was covered.</summary>
    private const double CoveredShare = 0.6;

    public async Task<SessionSummary> SummarizeAsync(ChatSession session, IReadOnlyList<SessionMessage> messages, CancellationToken cancellationToken = default)
    {
        var sentences = SessionText.AnswerSentences(messages);
        var questions = SessionText.Questions(messages);
        var ranked = await RankAsync(sentences, cancellationToken);
        var statements = ranked.Where(i => !Directives.IsDirective(sentences[i])).ToList();
        var chosen = (statements.Count > 0 ? statements : ranked).Take(SummarySentences).Order().ToList();
        var summary = chosen.Count > 0
            ? string.Join(' ', chosen.Select(i => sentences[i]))
            : $"You asked {session.CloneName} about: {string.Join("; ", questions.Take(3))}. Its knowledge had no answer to quote.";
        var insights = statements.Except(chosen).Take(MaxInsights).Select(i => sentences[i]).ToList();
        if (insights.Count == 0) insights = chosen.Select(i => sentences[i]).ToList();
        var quoted = Quoted(messages);
        var hits = await SearchAsync(session, questions, cancellationToken);
        return new SessionSummary
        {
            SessionId = session.Id,
            UserId = session.UserId,
            CloneId = session.CloneId,
            CloneName = session.CloneName,
            Summary = summary,
            KeyInsights = insights,
            ActionItems = ActionItems(sentences, quoted, hits),
            NextTopics = NextTopics(session, quoted, hits, questions, sentences),
            Citations = SessionText.Citations(messages),
            Method = SummaryMethods.Extractive,
            SessionEndedAt = session.EndedAt ?? session.LastActivityAt,
            CreatedAt = time.GetUtcNow(),
        };
    }

    /// <summary>The sentences' indexes, most central first.</summary>
    private async Task<List<int>> RankAsync(List<string> sentences, CancellationToken cancellationToken)
    {
        if (sentences.Count <= 1) return Enumerable.Range(0, sentences.Count).ToList();
        var vectors = new List<float[]>(sentences.Count);
        foreach (var batch in sentences.Chunk(Math.Max(1, embedder.BatchSize)))
            vectors.AddRange(await embedder.EmbedPassagesAsync(batch, cancellationToken));
        var scores = TextRank.Rank(vectors);
        // Ties (alike sentences) keep the order they were said in.
        return Enumerable.Range(0, sentences.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).ToList();
    }

    /// <summary>What the answers quoted: the exact sentence ranges where known, else the cited range.</summary>
    private static List<(string DocumentId, int Start, int End)> Quoted(IReadOnlyList<SessionMessage> messages) =>
        messages.SelectMany(m => m.Citations)
            .SelectMany(c => (c.Quotes.Count > 0 ? c.Quotes : [new QuoteSpan(c.Start, c.End)]).Select(q => (c.DocumentId, q.Start, q.End)))
            .ToList();

    /// <summary>
    /// The directive sentences of the answers as action items; when they give fewer than <see cref="MaxActionItems"/>, then those
    /// of the retrieved sections the answers quoted from (the advice next to what was quoted, nearest first).
    /// </summary>
    private static List<string> ActionItems(List<string> sentences, List<(string DocumentId, int Start, int End)> quoted, List<KnowledgeHit> hits)
    {
        var items = Directives.Extract(sentences, MaxActionItems);
        if (items.Count >= MaxActionItems || quoted.Count == 0) return items;
        var near = hits.SelectMany(Sections)
            .Where(s => quoted.Any(q => q.DocumentId == s.DocumentId && s.Start < q.End && q.Start < s.End))
            .GroupBy(s => (s.DocumentId, s.Start)).Select(g => g.First())
            .SelectMany(s => ExtractiveResponder.Sentences(s.Text).Select(r => (Section: s, Text: ExtractiveResponder.Clean(s.Text[r.Item1..r.Item2]), At: s.Start + r.Item1)))
            .Where(x => x.Text.Length > 0 && !ExtractiveResponder.IsInjection(x.Text))
            .OrderBy(x => quoted.Where(q => q.DocumentId == x.Section.DocumentId).Min(q => Math.Abs(x.At - q.Start)))
            .Select(x => x.Text);
        foreach (var item in Directives.Extract(near, MaxActionItems))
        {
            if (items.Count == MaxActionItems) break;
            if (!items.Contains(item, StringComparer.OrdinalIgnoreCase)) items.Add(item);
        }
        return items;
    }

    /// <summary>What the session's first questions retrieve from the clone's knowledge (best score per chunk); none when the search fails.</summary>
    private async Task<List<KnowledgeHit>> SearchAsync(ChatSession session, List<string> questions, CancellationToken cancellationToken)
    {
        var hits = new Dictionary<string, KnowledgeHit>(StringComparer.Ordinal);
        try
        {
            foreach (var q in questions.Take(SearchQuestions))
            {
                var text = q.Length > KnowledgeService.MaxQuery ? q[..KnowledgeService.MaxQuery] : q;
                var vector = await embedder.EmbedQueryAsync(text, cancellationToken);
                foreach (var hit in await index.SearchAsync(new KnowledgeQuery(session.CloneId, text, vector, SearchModes.Hybrid, SearchTop, 0, embedder.Model), cancellationToken))
                    if (!hits.TryGetValue(hit.ChunkId, out var seen) || seen.Score < hit.Score) hits[hit.ChunkId] = hit;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Next topics and action items of session {SessionId} could not be searched", session.Id);
            return [];
        }
        return [.. hits.Values];
    }

    /// <summary>
    /// What the session's questions retrieve from the clone's knowledge that no answer quoted: the sections (under their headings)
    /// of the retrieved passages that hold no quoted sentence, those of a cited document nearest the quotes first, then the rest by
    /// relevance; each as its heading when that heading's section was not quoted, else its first sentence.
    /// </summary>
    private static List<string> NextTopics(ChatSession session, List<(string DocumentId, int Start, int End)> quoted, List<KnowledgeHit> hits, List<string> questions, List<string> sentences)
    {
        if (questions.Count == 0) return [];
        var sections = hits.SelectMany(Sections).ToList();
        bool Quoted(Section s) => quoted.Any(q => q.DocumentId == s.DocumentId && s.Start < q.End && q.Start < s.End);
        var coveredHeadings = sections.Where(Quoted).Select(s => s.Heading).Where(h => h.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var said = sentences.Concat(questions).SelectMany(ExtractiveResponder.Terms).ToHashSet(StringComparer.Ordinal);
        double Distance(Section s)
        {
            var gaps = quoted.Where(q => q.DocumentId == s.DocumentId).Select(q => (double)Math.Max(s.Start - q.End, q.Start - s.End)).ToList();
            return gaps.Count == 0 ? double.MaxValue : gaps.Min();
        }
        var topics = new List<string>();
        foreach (var section in sections.Where(s => !Quoted(s)).OrderBy(Distance).ThenByDescending(s => s.Score))
        {
            var topic = section.Heading.Length > 0 && !coveredHeadings.Contains(section.Heading) && !section.Heading.Equals(session.CloneName, StringComparison.OrdinalIgnoreCase)
                ? section.Heading
                : FirstSentence(section.Text);
            if (topic.Length == 0 || topics.Contains(topic, StringComparer.OrdinalIgnoreCase)) continue;
            var terms = ExtractiveResponder.Terms(topic).Distinct(StringComparer.Ordinal).ToList();
            if (terms.Count == 0 || terms.Count(said.Contains) >= CoveredShare * terms.Count) continue;
            topics.Add(topic);
            if (topics.Count == MaxNextTopics) break;
        }
        return topics;
    }

    /// <summary>A part of a retrieved passage under one heading, with its range in the document's text.</summary>
    private sealed record Section(string DocumentId, string Heading, string Text, int Start, int End, double Score);

    /// <summary>
    /// The passage cut at its Markdown heading lines ("## Tapering"): each part under its heading (the text before the first
    /// heading line is under the passage's own heading path).
    /// </summary>
    private static IEnumerable<Section> Sections(KnowledgeHit hit)
    {
        var heading = Heading(hit.HeadingPath);
        var sectionStart = 0;
        var lineStart = 0;
        var text = hit.Text;
        while (lineStart <= text.Length)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            if (lineEnd < 0) lineEnd = text.Length;
            var line = text[lineStart..lineEnd].Trim();
            if (line.StartsWith('#'))
            {
                if (!string.IsNullOrWhiteSpace(text[sectionStart..lineStart]))
                    yield return new Section(hit.DocumentId, heading, text[sectionStart..lineStart], hit.Start + sectionStart, hit.Start + lineStart, hit.Score);
                heading = line.TrimStart('#').Trim();
                sectionStart = Math.Min(text.Length, lineEnd + 1);
            }
            lineStart = lineEnd + 1;
        }
        if (!string.IsNullOrWhiteSpace(text[sectionStart..]))
            yield return new Section(hit.DocumentId, heading, text[sectionStart..], hit.Start + sectionStart, hit.End, hit.Score);
    }

    private static string Heading(string headingPath) => headingPath.Split(" > ")[^1].Trim().TrimStart('#').Trim();

    private static string FirstSentence(string text)
    {
        foreach (var (start, end) in ExtractiveResponder.Sentences(text))
        {
            var s = ExtractiveResponder.Clean(text[start..end]);
            if (s.Length >= 12 && !ExtractiveResponder.IsInjection(s)) return s.Length <= 160 ? s : s[..157].TrimEnd() + "…";
        }
        return "";
    }
}
