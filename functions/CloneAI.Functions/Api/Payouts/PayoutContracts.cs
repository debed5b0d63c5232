using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using CloneAI.Core.Billing;
using CloneAI.Functions.Http;

namespace CloneAI.Functions.Api.Payouts;

/// <summary>What a creator earned from one clone (minor units of the platform currency): their share of its charges, refunds, and the difference.</summary>
public sealed record CloneEarningsDto(string CloneId, string CloneName, long Earned, long Refunded, long Net);

/// <summary>
/// A creator's earnings in minor units of <see cref="Currency"/>: <see cref="Available"/> can be paid out; <see cref="Pending"/>
/// is requested and waits for an admin; <see cref="PaidOut"/> was paid. <see cref="MinPayout"/> is the smallest payout.
/// </summary>
public sealed record EarningsDto(
    string Currency, long Available, long Pending, long PaidOut, long MinPayout,
    [property: ValuesFrom(typeof(PayoutProviders)), Description("How payouts are paid: manual (an admin pays outside and records the reference) or stripe-connect (a transfer to your connected Stripe account).")] string PayoutProvider,
    IReadOnlyList<CloneEarningsDto> ByClone);

/// <summary>One transaction that moved the creator's earnings: <see cref="Amount"/> added (negative: taken, as a payout).</summary>
public sealed record EarningsTransactionDto(
    string Id, [property: ValuesFrom(typeof(LedgerTransactionTypes))] string Type, long Amount, string Currency, DateTimeOffset CreatedAt,
    string? CloneId, string? CloneName, string? SessionId, string? PayoutId);

public sealed record EarningsTransactionPage(IReadOnlyList<EarningsTransactionDto> Items, string? ContinuationToken);

/// <summary>A payout: requested by a creator, then paid (with its reference) or rejected (with the reason) by an admin.</summary>
public sealed record PayoutDto(
    string Id, string CreatorId, string? CreatorName, long Amount, string Currency, [property: ValuesFrom(typeof(PayoutStatus))] string Status,
    [property: ValuesFrom(typeof(PayoutProviders))] string? Provider, string? Reference, string? RejectionReason,
    [property: Description("Why the last attempt to pay failed; the payout is still requested.")] string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt)
{
    public static PayoutDto From(Payout p, string? creatorName = null) =>
        new(p.Id, p.CreatorId, creatorName, p.Amount, p.Currency, p.Status, p.Provider, p.Reference, p.RejectionReason, p.LastError, p.CreatedAt, p.DecidedAt);
}

public sealed record PayoutPage(IReadOnlyList<PayoutDto> Items, string? ContinuationToken);

public sealed record RequestPayoutRequest(
    [Required, Description("Minor units: at least Billing:MinPayout, at most your available earnings.")] long? Amount,
    [Description("Your key for this request (1 to 100 letters, digits, '-', '_', ':' or '.'): a retry with the same key and amount returns the same payout.")] string? IdempotencyKey);

public sealed record ApprovePayoutRequest(
    [Description("What the payment is known by outside (a bank transfer's id): required with the manual provider, ignored with stripe-connect (the transfer's id is the reference).")] string? Reference);

public sealed record RejectPayoutRequest([Required, Description("Why, for the creator: 1 to 500 characters.")] string? Reason);

public sealed record PayoutAccountRequest([Required, Description("Your connected Stripe account: acct_…")] string? StripeAccountId);

/// <summary>Where the creator is paid with stripe-connect; null until they connect an account.</summary>
public sealed record PayoutAccountDto(string? StripeAccountId, DateTimeOffset? UpdatedAt, [property: ValuesFrom(typeof(PayoutProviders))] string PayoutProvider);

public sealed record AdminPayoutQuery(
    [ValuesFrom(typeof(PayoutStatus)), Description("Default requested.")] string? Status,
    [Description("1 to 50, default 20.")] int? PageSize, string? ContinuationToken);
