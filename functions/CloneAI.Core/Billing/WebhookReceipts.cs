namespace CloneAI.Core.Billing;

/// <summary>A provider's webhook that was verified and applied, kept by its unique key so that a replay is applied once.</summary>
public sealed record WebhookReceipt(string Provider, string UniqueKey, string Type, DateTimeOffset ReceivedAt, string? Reference = null);

/// <summary>The receipts of applied webhooks (Lago's <c>X-Lago-Unique-Key</c>), in the host's durable billing store.</summary>
public interface IWebhookReceipts
{
    /// <summary>Whether a webhook with this provider and unique key was already applied.</summary>
    Task<bool> ExistsAsync(string provider, string uniqueKey, CancellationToken cancellationToken = default);

    /// <summary>Records an applied webhook; recording the same provider and key again changes nothing.</summary>
    Task RecordAsync(WebhookReceipt receipt, CancellationToken cancellationToken = default);
}
