using CloneAI.Core.Domain;

namespace CloneAI.Core.Knowledge;

/// <summary>Documents of knowledge bases. Replace fails with a ConflictException when the ETag no longer matches.</summary>
public interface IDocumentStore
{
    /// <summary>Creates the document; throws ConflictException when the clone already has one with the same SHA-256.</summary>
    Task<KnowledgeDocument> CreateAsync(KnowledgeDocument document, CancellationToken cancellationToken = default);
    Task<KnowledgeDocument?> GetAsync(string cloneId, string documentId, CancellationToken cancellationToken = default);
    Task<KnowledgeDocument?> FindByHashAsync(string cloneId, string sha256, CancellationToken cancellationToken = default);
    Task<KnowledgeDocument> ReplaceAsync(KnowledgeDocument document, CancellationToken cancellationToken = default);
    Task DeleteAsync(string cloneId, string documentId, CancellationToken cancellationToken = default);
    Task<Page<KnowledgeDocument>> ListAsync(string cloneId, DocumentFilter filter, CancellationToken cancellationToken = default);
    /// <summary>Every document, of any clone, that is neither ready nor failed: what a restart must resume.</summary>
    Task<IReadOnlyList<KnowledgeDocument>> ListUnfinishedAsync(CancellationToken cancellationToken = default);
    Task<KnowledgeStats> GetStatsAsync(string cloneId, CancellationToken cancellationToken = default);
}
