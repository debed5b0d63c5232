namespace CloneAI.Core.Blobs;

public interface IBlobStore
{
    Task PutAsync(string path, byte[] data, string contentType, CancellationToken cancellationToken = default);
    Task<BlobContent?> GetAsync(string path, CancellationToken cancellationToken = default);
    Task DeleteAsync(string path, CancellationToken cancellationToken = default);
    /// <summary>Deletes every blob whose path starts with <paramref name="prefix"/> (which ends with '/').</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default);
}
