using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace CloneAI.Core.Chat;

/// <summary>
/// The clone's passages for a question: a hybrid search of its index (keywords only while a re-index to another embedding model
/// is pending), nothing when even the best passage is too far from the question, and at most the prompt's token budget. Each
/// passage comes with its sentences' similarity to the question (<see cref="ChatSource.Segments"/>): from the segment vectors
/// the index holds (the local index), else by embedding the passages' segments with the query's model in one call (an index with
/// one vector per chunk, such as Azure AI Search, or one built by another model); when that fails, without them.
/// </summary>
public sealed class SourceRetriever(
    IKnowledgeIndex index, IKnowledgeEmbedder embedder, Tokenizer tokenizer, IOptions<ChatSettings> options,
    IOptions<KnowledgeOptions>? knowledge = null, ILogger<SourceRetriever>? logger = null)
{
    private ChatSettings Settings => options.Value;

    private int SegmentMinChars => knowledge?.Value.SegmentMinChars ?? new KnowledgeOptions().SegmentMinChars;

    public async Task<List<ChatSource>> RetrieveAsync(string cloneId, string question, CancellationToken cancellationToken = default)
    {
        var vector = await embedder.EmbedQueryAsync(question, cancellationToken);
        IReadOnlyList<KnowledgeHit> hits;
        var sameModel = true;
        try
        {
            hits = await index.SearchAsync(new KnowledgeQuery(cloneId, question, vector, SearchModes.Hybrid, Settings.Top, Settings.MaxPerDocument, embedder.Model), cancellationToken);
        }
        catch (ConflictException)
        {
            // Indexed by another model (a re-index is pending): answer from keywords rather than not at all.
            hits = await index.SearchAsync(new KnowledgeQuery(cloneId, question, null, SearchModes.Keyword, Settings.Top, Settings.MaxPerDocument, embedder.Model), cancellationToken);
            sameModel = false;
        }
        if (hits.Count == 0) return [];
        var best = hits.Where(h => h.Similarity is not null).Select(h => h.Similarity!.Value).DefaultIfEmpty(double.NaN).Max();
        if (!double.IsNaN(best) && best < Settings.MinSimilarity) return [];
        var kept = new List<KnowledgeHit>();
        var budget = Settings.ContextTokens;
        foreach (var h in hits)
        {
            var tokens = tokenizer.CountTokens(h.Text);
            if (tokens > budget && kept.Count > 0) break;
            budget -= tokens;
            kept.Add(h);
        }
        var segments = await SegmentsAsync(kept, vector, sameModel, cancellationToken);
        return kept.Select((h, i) => new ChatSource(i + 1, h.DocumentId, h.FileName, h.Title, h.Text, h.Start, h.End, h.Page, h.Score, h.Similarity, segments[i])).ToList();
    }

    /// <summary>Each hit's segments with their cosine similarity to the query vector (null for a hit whose segments are unknown).</summary>
    private async Task<IReadOnlyList<SegmentSimilarity>?[]> SegmentsAsync(List<KnowledgeHit> hits, float[] query, bool sameModel, CancellationToken cancellationToken)
    {
        var result = new IReadOnlyList<SegmentSimilarity>?[hits.Count];
        var missing = new List<(int Hit, List<(int Start, int End)> Spans)>();
        for (var i = 0; i < hits.Count; i++)
        {
            var spans = PassageSegmenter.Segment(hits[i].Text, SegmentMinChars);
            if (spans.Count == 0) continue;
            if (sameModel && hits[i].Vectors is { } vectors && vectors.Count == spans.Count && vectors.All(v => v.Length == query.Length))
                result[i] = spans.Select((s, j) => new SegmentSimilarity(s.Start, s.End, Cosine(query, vectors[j]))).ToList();
            else
                missing.Add((i, spans));
        }
        if (missing.Count == 0) return result;
        // The index keeps no (comparable) segment vectors: embed the segments now, with the model that embedded the question.
        try
        {
            var texts = missing.SelectMany(m => m.Spans.Select(s => hits[m.Hit].Text[s.Start..s.End])).ToList();
            var embedded = await embedder.EmbedPassagesAsync(texts, cancellationToken);
            if (embedded is null || embedded.Length != texts.Count) return result;
            var k = 0;
            foreach (var (hit, spans) in missing)
                result[hit] = spans.Select(s => new SegmentSimilarity(s.Start, s.End, Cosine(query, embedded[k++]))).ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Sentences are then chosen by their words and the passage's rank alone.
            (logger ?? NullLogger<SourceRetriever>.Instance).LogWarning(e, "Could not embed the passages' sentences; choosing them by their words");
        }
        return result;
    }

    /// <summary>The cosine of two vectors (the embedder's are normalised, but a foreign index's may not be).</summary>
    public static double Cosine(float[] a, float[] b)
    {
        if (a.Length != b.Length) return 0;
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
