using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloneAI.Core.Blobs;

namespace CloneAI.Azure.Blobs;

/// <summary>Blobs in one container of Azure Blob Storage (<c>Blob:Container</c>, default <c>cloneai</c>); paths are blob names.</summary>
public sealed class AzureBlobStore(BlobContainerClient container) : IBlobStore
{
    public async Task PutAsync(string path, byte[] data, string contentType, CancellationToken cancellationToken = default)
    {
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } };
        var blob = container.GetBlobClient(path);
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(data), options, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // Infrastructure creates the container; a fresh emulator account may not have it yet.
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await blob.UploadAsync(BinaryData.FromBytes(data), options, cancellationToken);
        }
    }

    public async Task<BlobContent?> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await container.GetBlobClient(path).DownloadContentAsync(cancellationToken);
            var contentType = result.Value.Details.ContentType;
            return new BlobContent(result.Value.Content.ToArray(), string.IsNullOrEmpty(contentType) ? "application/octet-stream" : contentType);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            await container.GetBlobClient(path).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The container itself is gone: nothing to delete.
        }
    }

    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        if (!prefix.EndsWith('/')) throw new ArgumentException("A prefix ends with '/'.", nameof(prefix));
        try
        {
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
                await container.DeleteBlobIfExistsAsync(blob.Name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The container itself is gone: nothing to delete.
        }
    }
}
