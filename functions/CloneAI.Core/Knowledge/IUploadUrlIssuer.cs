using CloneAI.Core.Domain;

namespace CloneAI.Core.Knowledge;

/// <summary>Azure only: a document record plus a short-lived SAS URL to PUT its original to; the blob trigger takes it from there.</summary>
public interface IUploadUrlIssuer
{
    Task<UploadTicket> IssueAsync(Clone clone, string ownerId, string? fileName, long? size, IReadOnlyList<string> tags, CancellationToken cancellationToken = default);
}
