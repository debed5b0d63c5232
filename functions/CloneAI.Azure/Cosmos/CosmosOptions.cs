using System.ComponentModel.DataAnnotations;
using CloneAI.Core;

namespace CloneAI.Azure.Cosmos;

/// <summary>
/// Where the Cosmos DB (NoSQL API) account is. Section <c>Cosmos</c>. In Azure set <see cref="Endpoint"/> only: the app
/// signs in with its managed identity. <see cref="ConnectionString"/> is for the emulator or a key-based dev account.
/// </summary>
public sealed class CosmosOptions : IValidatableObject
{
    public const string Section = "Cosmos";

    /// <summary>The account endpoint, e.g. <c>https://myaccount.documents.azure.com:443/</c>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Optional: an account connection string (emulator, keys). Wins over <see cref="Endpoint"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The database holding the <c>users</c>, <c>clones</c> and <c>slugs</c> containers.</summary>
    [Required]
    public string Database { get; set; } = Names.CosmosDatabase;

    /// <summary>Use the HTTPS gateway instead of direct TCP (the Linux emulator needs it).</summary>
    public bool GatewayMode { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && Endpoint is null)
            yield return new ValidationResult("Set Cosmos:Endpoint (managed identity) or Cosmos:ConnectionString.", [nameof(Endpoint)]);
        if (Endpoint is { IsAbsoluteUri: false })
            yield return new ValidationResult("Cosmos:Endpoint must be an absolute URI.", [nameof(Endpoint)]);
    }
}
