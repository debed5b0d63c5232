using System.ComponentModel.DataAnnotations;
using CloneAI.Core;

namespace CloneAI.Azure.Blobs;

/// <summary>
/// Where blobs (avatars, knowledge documents) live. Section <c>Blob</c>. In Azure set <see cref="ServiceUri"/> only: the app
/// signs in with its managed identity. <see cref="ConnectionString"/> is for Azurite or a key-based dev account.
/// </summary>
public sealed class BlobOptions : IValidatableObject
{
    public const string Section = "Blob";

    /// <summary>The blob service endpoint, e.g. <c>https://myaccount.blob.core.windows.net</c>.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>Optional: a storage connection string (Azurite, keys). Wins over <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    [Required, RegularExpression("^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$")]
    public string Container { get; set; } = Names.BlobContainer;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && ServiceUri is null)
            yield return new ValidationResult("Set Blob:ServiceUri (managed identity) or Blob:ConnectionString.", [nameof(ServiceUri)]);
        if (ServiceUri is { IsAbsoluteUri: false })
            yield return new ValidationResult("Blob:ServiceUri must be an absolute URI.", [nameof(ServiceUri)]);
    }
}
