namespace CloneAI.Core.Knowledge;

/// <summary>
/// Embeds passages and queries for retrieval. Implementations wrap a <c>Microsoft.Extensions.AI</c>
/// <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> and add what retrieval needs: the model's name and
/// dimensions, and the query prefix some models are trained with. Vectors are L2-normalised.
/// </summary>
public interface IKnowledgeEmbedder
{
    EmbeddingModelInfo Model { get; }

    /// <summary>How many passages one embedding call should carry.</summary>
    int BatchSize { get; }

    Task<float[][]> EmbedPassagesAsync(IReadOnlyList<string> passages, CancellationToken cancellationToken = default);

    Task<float[]> EmbedQueryAsync(string query, CancellationToken cancellationToken = default);
}
