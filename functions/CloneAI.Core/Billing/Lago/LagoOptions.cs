using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Billing.Lago;

/// <summary>
/// Lago, the billing provider of <c>Billing:Provider=lago</c>. Section <c>Lago</c>. Required (and checked at start) only with
/// that provider: <see cref="ApiUrl"/>, <see cref="ApiKey"/> and <see cref="WebhookHmacKey"/>.
/// </summary>
public sealed class LagoOptions
{
    public const string Section = "Lago";

    /// <summary>
    /// Lago's API origin, for example <c>https://api.getlago.com</c> (or a self-hosted Lago's); requests go to
    /// <c>{ApiUrl}/api/v1/…</c>. It is also the issuer of Lago's JWT webhook signatures.
    /// </summary>
    public Uri? ApiUrl { get; set; }

    /// <summary>The organization's API key (a secret: a Key Vault reference in Azure).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The organization's HMAC key, which signs webhooks sent with the <c>hmac</c> algorithm (a secret).</summary>
    public string? WebhookHmacKey { get; set; }

    /// <summary>
    /// The plan every user is subscribed to; usage events go to that subscription. The plan's charges price the billable
    /// metrics <c>session_minutes</c> and <c>session_messages</c> (sum of the event property <c>quantity</c>, or the dynamic
    /// charge model, which takes each event's <c>precise_total_amount_cents</c>).
    /// </summary>
    [Required]
    public string PlanCode { get; set; } = "cloneai";

    /// <summary>The code of the wallet made for each user.</summary>
    [Required]
    public string WalletCode { get; set; } = "cloneai";

    /// <summary>How long one request to Lago may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a request that failed with a 5xx, 429 or a timeout is tried again (4xx are never retried).</summary>
    [Range(0, 10)]
    public int Retries { get; set; } = 2;

    /// <summary>The first wait between tries; each next one doubles it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The API path prefix below <see cref="ApiUrl"/>.</summary>
    public static readonly string ApiPath = "api/v1/";

    /// <summary>The base address of the API: <see cref="ApiUrl"/> with <see cref="ApiPath"/>.</summary>
    public Uri ApiBase() => new(new Uri(ApiUrl!.AbsoluteUri.TrimEnd('/') + "/"), ApiPath);

    /// <summary>The issuer of Lago's webhook JWTs: <see cref="ApiUrl"/> without a trailing slash.</summary>
    public string Issuer() => ApiUrl!.AbsoluteUri.TrimEnd('/');
}

/// <summary>The Lago settings are required when, and only when, <c>Billing:Provider</c> is <c>lago</c>.</summary>
public sealed class LagoOptionsValidation(IOptions<BillingOptions> billing) : IValidateOptions<LagoOptions>
{
    public ValidateOptionsResult Validate(string? name, LagoOptions options)
    {
        if (billing.Value.Provider != PaymentProviders.Lago) return ValidateOptionsResult.Skip;
        var failures = new List<string>();
        if (options.ApiUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            failures.Add("Lago:ApiUrl must be the absolute http(s) URL of Lago's API (for example https://api.getlago.com) when Billing:Provider is lago.");
        if (string.IsNullOrWhiteSpace(options.ApiKey)) failures.Add("Lago:ApiKey is required when Billing:Provider is lago.");
        if (string.IsNullOrWhiteSpace(options.WebhookHmacKey)) failures.Add("Lago:WebhookHmacKey is required when Billing:Provider is lago.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
