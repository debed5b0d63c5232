using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Options;
using CloneAI.Azure.Blobs;

namespace CloneAI.Azure.Knowledge;

/// <summary>
/// Issues direct-to-storage uploads: validates the file's name, declared size and tags, creates the document record
/// (status <c>uploaded</c>) and returns a short-lived SAS URL that allows creating and writing exactly one blob,
/// <c>knowledge/{cloneId}/{documentId}/{fileName}</c> in the data container. The client PUTs the file there (header
/// <c>x-ms-blob-type: BlockBlob</c>); the Event Grid blob trigger then starts ingestion, which checks the bytes.
/// <para>
/// In Azure the SAS is a <b>user delegation SAS</b>, signed with a key the app's managed identity obtains from Blob Storage
/// (accounts have shared keys turned off). With a connection string (Azurite, a key-based dev account) it is a shared-key
/// service SAS instead.
/// </para>
/// <para>
/// A SAS cannot limit the size of what is written: the declared size is checked against
/// <see cref="KnowledgeOptions.MaxFileBytes"/> here, but a client could still upload a larger blob with the URL, so
/// ingestion checks the actual blob's length again before reading it. The SHA-256 is unknown until the bytes arrive, so the
/// record holds the placeholder <c>pending:{documentId}</c> (unique, so the per-clone hash constraint holds) until
/// ingestion stores the real one.
/// </para>
/// </summary>
public sealed class SasUploadUrlIssuer(
    BlobServiceClient service,
    IOptions<BlobOptions> blobOptions,
    IOptions<KnowledgeOptions> knowledgeOptions,
    IDocumentStore documents,
    TimeProvider time) : IUploadUrlIssuer
{
    public const string PendingHashPrefix = "pending:";

    /// <summary>How far back a SAS (and a delegation key) starts, to tolerate clock skew between client, app and storage.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>How long a requested user delegation key is valid; it is reused for SAS that expire well before it does.</summary>
    public static readonly TimeSpan DelegationKeyLifetime = TimeSpan.FromHours(6);

    private UserDelegationKey? _delegationKey;

    /// <summary>The placeholder hash of a document whose bytes have not arrived yet.</summary>
    public static string PendingHash(string documentId) => PendingHashPrefix + documentId;

    /// <summary>
    /// Validates, creates the record and signs the URL. A bad name or tags is a <see cref="ValidationException"/>, a declared
    /// size over the limit a <see cref="PayloadTooLargeException"/>; either way nothing is stored. The caller has already
    /// checked that <paramref name="ownerId"/> may manage <paramref name="clone"/>.
    /// </summary>
    public async Task<UploadTicket> IssueAsync(Clone clone, string ownerId, string? fileName, long? size, IReadOnlyList<string> tags,
        CancellationToken cancellationToken = default)
    {
        var limits = knowledgeOptions.Value;
        var (name, kind) = Validate(fileName, size, tags);
        if (size > limits.MaxFileBytes)
            throw new PayloadTooLargeException($"'{name}' is larger than {limits.MaxFileBytes / 1024 / 1024} MB.");

        var now = time.GetUtcNow();
        var expiresAt = now.AddMinutes(limits.UploadUrlMinutes);
        var container = service.GetBlobContainerClient(blobOptions.Value.Container);
        // Sign-in first: if the delegation key cannot be had, no record is left behind.
        var delegationKey = container.CanGenerateSasUri ? null : await GetDelegationKeyAsync(now, expiresAt, cancellationToken);

        var id = Guid.CreateVersion7().ToString("N");
        var document = await documents.CreateAsync(new KnowledgeDocument
        {
            Id = id,
            CloneId = clone.Id,
            OwnerId = ownerId,
            FileName = name,
            Title = Path.GetFileNameWithoutExtension(name),
            Kind = kind,
            Size = size ?? 0,
            Sha256 = PendingHash(id),
            BlobPath = WorkFiles.Original(clone.Id, id, name),
            Status = DocumentStatus.Uploaded,
            Stage = IngestionStage.Queued,
            Tags = tags.Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList(),
            CreatedAt = now,
            UpdatedAt = now,
        }, cancellationToken);

        var blob = container.GetBlobClient(document.BlobPath);
        var sas = new BlobSasBuilder(BlobSasPermissions.Create | BlobSasPermissions.Write, expiresAt)
        {
            BlobContainerName = container.Name,
            BlobName = document.BlobPath,
            Resource = "b",
            StartsOn = now - ClockSkew,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        var url = delegationKey is null
            ? blob.GenerateSasUri(sas)
            : new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(delegationKey, service.AccountName) }.ToUri();
        return new UploadTicket(document, url, expiresAt);
    }

    /// <summary>The clean file name and its kind, or a <see cref="ValidationException"/> listing every problem.</summary>
    internal static (string Name, string Kind) Validate(string? fileName, long? size, IReadOnlyList<string> tags)
    {
        var v = new Validator();
        var name = "";
        var kind = "";
        if (string.IsNullOrWhiteSpace(fileName))
        {
            v.Add("fileName", "Required.");
        }
        else
        {
            // Only the last path segment counts: "../../x.pdf" is "x.pdf", and the blob stays inside the document's folder.
            name = FileTypes.SanitizeFileName(fileName);
            var extension = FileTypes.ExtensionOf(name);
            if (FileTypes.KindOfExtension(extension) is { } found)
            {
                kind = found;
            }
            else
            {
                v.Add("fileName", extension.Length == 0
                    ? "The file has no extension; upload a .pdf, .docx, .txt, .md or .html file."
                    : $"'{extension}' files are not supported; upload a .pdf, .docx, .txt, .md or .html file.");
            }
        }
        if (size is <= 0) v.Add("size", "The file is empty.");
        if (tags.Count > KnowledgeService.MaxTags) v.Add("tags", $"At most {KnowledgeService.MaxTags} tags.");
        if (tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Trim().Length > KnowledgeService.MaxTagLength))
            v.Add("tags", $"Each tag needs 1 to {KnowledgeService.MaxTagLength} characters.");
        v.ThrowIfInvalid();
        return (name, kind);
    }

    /// <summary>A user delegation key valid past <paramref name="sasExpiresAt"/>; one key serves many uploads.</summary>
    private async Task<UserDelegationKey> GetDelegationKeyAsync(DateTimeOffset now, DateTimeOffset sasExpiresAt, CancellationToken cancellationToken)
    {
        var cached = Volatile.Read(ref _delegationKey);
        if (cached is not null && cached.SignedStartsOn <= now - ClockSkew && cached.SignedExpiresOn >= sasExpiresAt) return cached;
        var response = await service.GetUserDelegationKeyAsync(now - ClockSkew, now + DelegationKeyLifetime, cancellationToken);
        Volatile.Write(ref _delegationKey, response.Value);
        return response.Value;
    }
}
