using CloneAI.Core.Domain;

namespace CloneAI.Core.Clones;

/// <summary>Clones, including the marketplace queries over published ones.</summary>
public interface ICloneStore
{
    Task<Clone?> GetAsync(string id, CancellationToken cancellationToken = default);
    Task<Clone?> GetBySlugAsync(string slug, CancellationToken cancellationToken = default);
    /// <summary>Creates the clone; throws <see cref="Errors.ConflictException"/> when the slug is taken.</summary>
    Task<Clone> CreateAsync(Clone clone, CancellationToken cancellationToken = default);
    /// <summary>Replaces the clone when <see cref="Clone.ETag"/> still matches; a changed slug is re-reserved.</summary>
    Task<Clone> ReplaceAsync(Clone clone, string? previousSlug, CancellationToken cancellationToken = default);
    Task<Page<Clone>> SearchPublishedAsync(MarketplaceQuery query, CancellationToken cancellationToken = default);
    Task<Page<Clone>> ListByOwnerAsync(string ownerId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);
    Task<bool> PingAsync(CancellationToken cancellationToken = default);
}
