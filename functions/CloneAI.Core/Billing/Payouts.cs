using CloneAI.Core.Domain;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Billing;

public static class PayoutStatus
{
    /// <summary>Asked for by the creator: the money has left their available earnings and waits for an admin.</summary>
    public const string Requested = "requested";

    /// <summary>Paid: by an admin outside the product (manual), or by a Stripe transfer.</summary>
    public const string Paid = "paid";

    /// <summary>Turned down by an admin: the money is back in the creator's earnings.</summary>
    public const string Rejected = "rejected";

    public static readonly IReadOnlyList<string> All = [Requested, Paid, Rejected];
}

/// <summary>
/// A creator's request to be paid <see cref="Amount"/> minor units of their earnings. On request the ledger moves the money from
/// <c>earnings:{creatorId}</c> to <c>payouts:clearing</c> (key <c>payout:{id}</c>); an admin then approves it (status
/// <see cref="PayoutStatus.Paid"/>, with the payment's <see cref="Reference"/>) or rejects it (the money goes back, key
/// <c>payout-rejected:{id}</c>). One payout per creator and <see cref="IdempotencyKey"/>.
/// </summary>
public sealed record Payout
{
    public required string Id { get; init; }
    public required string CreatorId { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required string IdempotencyKey { get; init; }
    public string Status { get; init; } = PayoutStatus.Requested;
    /// <summary>The payout provider that paid it (<see cref="PayoutProviders"/>), once paid.</summary>
    public string? Provider { get; init; }
    /// <summary>What the payment is known by outside: the admin's reference (manual) or the Stripe transfer's id.</summary>
    public string? Reference { get; init; }
    public string? RejectionReason { get; init; }
    /// <summary>Why the last attempt to pay failed (the provider's message); the payout stays requested.</summary>
    public string? LastError { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public string? DecidedBy { get; init; }
    /// <summary>Concurrency token set by the store; null for a record not yet stored.</summary>
    public string? ETag { get; init; }
}

/// <summary>Where a creator is paid by <see cref="PayoutProviders.StripeConnect"/>: their connected Stripe account (<c>acct_…</c>).</summary>
public sealed record PayoutAccount(string CreatorId, string StripeAccountId, DateTimeOffset UpdatedAt);

/// <summary>
/// Payouts and creators' payout accounts. <see cref="CreateAsync"/> fails with <see cref="ConflictException"/> when the creator
/// already has a payout under the same idempotency key; <see cref="ReplaceAsync"/> when the ETag no longer matches.
/// </summary>
public interface IPayoutStore
{
    Task<Payout> CreateAsync(Payout payout, CancellationToken cancellationToken = default);

    Task<Payout?> GetAsync(string id, CancellationToken cancellationToken = default);

    Task<Payout?> FindByKeyAsync(string creatorId, string idempotencyKey, CancellationToken cancellationToken = default);

    Task<Payout> ReplaceAsync(Payout payout, CancellationToken cancellationToken = default);

    /// <summary>A creator's payouts, newest first.</summary>
    Task<Page<Payout>> ListByCreatorAsync(string creatorId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);

    /// <summary>Every creator's payouts in one status, oldest first (the order an admin works through them).</summary>
    Task<Page<Payout>> ListByStatusAsync(string status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);

    /// <summary>The sum of a creator's payouts in one status.</summary>
    Task<long> SumAsync(string creatorId, string status, CancellationToken cancellationToken = default);

    Task<PayoutAccount?> GetAccountAsync(string creatorId, CancellationToken cancellationToken = default);

    Task<PayoutAccount> SetAccountAsync(PayoutAccount account, CancellationToken cancellationToken = default);
}

/// <summary>What a payout provider did: the payment's reference.</summary>
public sealed record PayoutReceipt(string Reference);

/// <summary>How approved payouts are paid (<see cref="BillingOptions.PayoutProvider"/>).</summary>
public interface IPayoutProvider
{
    /// <summary><see cref="PayoutProviders.Manual"/> or <see cref="PayoutProviders.StripeConnect"/>.</summary>
    string Name { get; }

    /// <summary>Whether the admin must give the payment's reference (they paid outside the product).</summary>
    bool NeedsReference { get; }

    /// <summary>
    /// Pays <paramref name="payout"/>. A retry for the same payout pays once (its id is the idempotency key). Throws
    /// <see cref="PayoutFailedException"/> when the payment was refused or failed.
    /// </summary>
    Task<PayoutReceipt> PayAsync(Payout payout, PayoutAccount? account, string? reference, CancellationToken cancellationToken = default);
}

/// <summary>The admin pays outside the product and records what the payment is known by.</summary>
public sealed class ManualPayoutProvider : IPayoutProvider
{
    public string Name => PayoutProviders.Manual;

    public bool NeedsReference => true;

    public Task<PayoutReceipt> PayAsync(Payout payout, PayoutAccount? account, string? reference, CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(reference)
            ? throw new ValidationException("reference", "Give the reference of the payment you made (a bank transfer's id, for example).")
            : Task.FromResult(new PayoutReceipt(reference.Trim()));
}

/// <summary>The payout provider refused or failed to pay; the payout stays requested and nothing moved.</summary>
public sealed class PayoutFailedException(string message) : AppException(message)
{
    public override int Status => 502;
    public override string Title => "Payout failed";
}
