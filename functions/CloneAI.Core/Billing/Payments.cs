namespace CloneAI.Core.Billing;

public static class TopUpStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>
/// A user's request to add money to their wallet. It is created <see cref="TopUpStatus.Pending"/> with the payment provider's
/// checkout URL; the wallet is credited (once, ledger key <c>top-up:{id}</c>) only when the provider's verified notice says the
/// payment succeeded. One top-up per user and <see cref="IdempotencyKey"/>.
/// </summary>
public sealed record TopUp
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required string IdempotencyKey { get; init; }
    public required string Provider { get; init; }
    public string Status { get; init; } = TopUpStatus.Pending;
    public string? CheckoutUrl { get; init; }
    /// <summary>The provider's id for the payment (Lago's wallet transaction id), once known.</summary>
    public string? ProviderReference { get; init; }
    public string? FailureReason { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? ETag { get; init; }
}

/// <summary>Who pays: what a provider needs to find or create its customer.</summary>
public sealed record PaymentCustomer(string UserId, string Email, string DisplayName);

/// <summary>Where the user goes to pay, and the provider's id for the payment when it has one already.</summary>
public sealed record PaymentCheckout(string CheckoutUrl, string? ProviderReference);

/// <summary>A payment provider for wallet top-ups (<see cref="BillingOptions.Provider"/>).</summary>
public interface IPaymentProvider
{
    /// <summary><see cref="PaymentProviders.Test"/> or <see cref="PaymentProviders.Lago"/>.</summary>
    string Name { get; }

    /// <summary>Starts the payment of a new top-up: the checkout the user is sent to.</summary>
    Task<PaymentCheckout> StartAsync(TopUp topUp, PaymentCustomer customer, CancellationToken cancellationToken = default);
}

/// <summary>
/// A provider's verified word on a payment: which top-up (by id, or by the provider's reference) and whether it succeeded.
/// Only a verified notice (a signed webhook, or the test provider's own confirmation) is turned into one.
/// </summary>
public sealed record PaymentNotice(string Provider, string? TopUpId, string? ProviderReference, bool Succeeded, string? FailureReason = null);

/// <summary>Applies payment notices to top-ups: a success credits the wallet once; a repeated notice changes nothing.</summary>
public interface IPaymentNotices
{
    /// <summary>The top-up after the notice, or null when no top-up matches it.</summary>
    Task<TopUp?> ApplyAsync(PaymentNotice notice, CancellationToken cancellationToken = default);
}
