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

    /// <summary>A bound under the longest retry wait the SDK accepts (it counts milliseconds in an <see cref="int"/>, about 24.8 days).</summary>
    private static readonly TimeSpan MaxRetryWaitTimeLimit = TimeSpan.FromDays(24);

    /// <summary>The account endpoint, e.g. <c>https://myaccount.documents.azure.com:443/</c>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Optional: an account connection string (emulator, keys). Wins over <see cref="Endpoint"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The database holding the <c>users</c>, <c>clones</c> and <c>slugs</c> containers.</summary>
    [Required]
    public string Database { get; set; } = AzureNames.CosmosDatabase;

    /// <summary>Use the HTTPS gateway instead of direct TCP (the Linux emulator needs it).</summary>
    public bool GatewayMode { get; set; }

    /// <summary>
    /// How often the SDK retries a request Cosmos throttled (429) before the caller sees the 429. The SDK's default, 9; 0
    /// turns the retries off.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "Cosmos:MaxRetryAttemptsOnRateLimitedRequests cannot be negative.")]
    public int MaxRetryAttemptsOnRateLimitedRequests { get; set; } = 9;

    /// <summary>
    /// The longest the SDK spends in total retrying one throttled request (it waits what Cosmos's <c>x-ms-retry-after-ms</c>
    /// asks each time). The SDK's default, 30 seconds; the SDK counts whole seconds. A configuration value reads as
    /// <c>hh:mm:ss</c>, e.g. <c>00:00:30</c>.
    /// </summary>
    public TimeSpan MaxRetryWaitTimeOnRateLimitedRequests { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && Endpoint is null)
            yield return new ValidationResult("Set Cosmos:Endpoint (managed identity) or Cosmos:ConnectionString.", [nameof(Endpoint)]);
        if (Endpoint is { IsAbsoluteUri: false })
            yield return new ValidationResult("Cosmos:Endpoint must be an absolute URI.", [nameof(Endpoint)]);
        if (MaxRetryWaitTimeOnRateLimitedRequests < TimeSpan.Zero || MaxRetryWaitTimeOnRateLimitedRequests > MaxRetryWaitTimeLimit)
            yield return new ValidationResult("Cosmos:MaxRetryWaitTimeOnRateLimitedRequests cannot be negative or longer than 24 days.",
                [nameof(MaxRetryWaitTimeOnRateLimitedRequests)]);
    }
}
