using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace CloneAI.Core.Chat;

/// <summary>
/// The clone's passages for a question: a hybrid search of its index (keywords only while a re-index to another embedding model
/// is pending), nothing when even the best passage is too far from the question, and at most the prompt's token budget.
/// </summary>
public sealed class SourceRetriever(IKnowledgeIndex index, IKnowledgeEmbedder embedder, Tokenizer tokenizer, IOptions<ChatSettings> options)
{
    private ChatSettings Settings => options.Value;

    public async Task<List<ChatSource>> RetrieveAsync(string cloneId, string question, CancellationToken cancellationToken = default)
    {
        var vector = await embedder.EmbedQueryAsync(question, cancellationToken);
        IReadOnlyList<KnowledgeHit> hits;
        try
        {
            hits = await index.SearchAsync(new KnowledgeQuery(cloneId, question, vector, SearchModes.Hybrid, Settings.Top, Settings.MaxPerDocument, embedder.Model), cancellationToken);
        }
        catch (ConflictException)
        {
            // Indexed by another model (a re-index is pending): answer from keywords rather than not at all.
            hits = await index.SearchAsync(new KnowledgeQuery(cloneId, question, null, SearchModes.Keyword, Settings.Top, Settings.MaxPerDocument, embedder.Model), cancellationToken);
        }
        if (hits.Count == 0) return [];
        var best = hits.Where(h => h.Similarity is not null).Select(h => h.Similarity!.Value).DefaultIfEmpty(double.NaN).Max();
        if (!double.IsNaN(best) && best < Settings.MinSimilarity) return [];
        var sources = new List<ChatSource>();
        var budget = Settings.ContextTokens;
        foreach (var h in hits)
        {
            var tokens = tokenizer.CountTokens(h.Text);
            if (tokens > budget && sources.Count > 0) break;
            budget -= tokens;
            sources.Add(new ChatSource(sources.Count + 1, h.DocumentId, h.FileName, h.Title, h.Text, h.Start, h.End, h.Page, h.Score, h.Similarity));
        }
        return sources;
    }
}
