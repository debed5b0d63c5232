namespace CloneAI.Core.Knowledge;

/// <summary>The retrieval index of every clone's knowledge. Every query is filtered to one clone.</summary>
public interface IKnowledgeIndex
{
    /// <summary>Replaces all chunks of the document with these (idempotent: the same call twice leaves the same index).</summary>
    Task UpsertDocumentAsync(string cloneId, string documentId, EmbeddingModelInfo model, IReadOnlyList<IndexedChunk> chunks, CancellationToken cancellationToken = default);

    Task DeleteDocumentAsync(string cloneId, string documentId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken = default);

    /// <summary>The models whose vectors the clone's index holds (normally one).</summary>
    Task<IReadOnlyList<EmbeddingModelInfo>> GetModelsAsync(string cloneId, CancellationToken cancellationToken = default);
}
