using CloneAI.Core.Billing.Reports;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using CloneAI.Core.Billing;
using CloneAI.Functions.Http;

namespace CloneAI.Functions.Api.Wallet;

/// <summary>The signed-in user's wallet. Amounts are integer minor units of the platform currency.</summary>
public sealed record WalletDto(
    long Balance, string Currency,
    [Description("The balance is below Billing:LowBalance: time to top up.")] bool LowBalance)
{
    public static WalletDto From(WalletView w) => new(w.Balance, w.Currency, w.LowBalance);
}

/// <summary>One transaction of the wallet: what it moved in this wallet (positive: in, negative: out), newest first.</summary>
public sealed record WalletTransactionDto(
    string Id, [property: ValuesFrom(typeof(LedgerTransactionTypes))] string Type,
    [Description("Signed, for this wallet: a top-up is positive, a charge negative.")] long Amount, string Currency, DateTimeOffset CreatedAt,
    [Description("For people: \"Top-up\", \"Session with Ada: 3 minutes\"…")] string Description, string? SessionId, string? TopUpId)
{
    public static WalletTransactionDto From(WalletTransaction t) => new(t.Id, t.Type, t.Amount, t.Currency, t.CreatedAt, t.Description, t.SessionId, t.TopUpId);
}

public sealed record WalletTransactionPage(IReadOnlyList<WalletTransactionDto> Items, string? ContinuationToken);

public sealed record CreateTopUpRequest(
    [Required, Description("Minor units of the platform currency, 100 to 100000.")] long? Amount,
    [Required, Description("The client's key for this top-up, 1 to 100 characters: a retry with the same key returns the same top-up (200); the same key with another amount is 409.")] string? IdempotencyKey);

/// <summary>
/// A wallet top-up. It starts <c>pending</c> with the provider's <c>checkoutUrl</c>; the wallet is credited once the provider
/// confirms the payment (<c>succeeded</c>); a <c>failed</c> top-up is never credited.
/// </summary>
public sealed record TopUpDto(
    string Id, [property: ValuesFrom(typeof(TopUpStatus))] string Status,
    [Description("Where the user pays: with the test provider, the web app's TEST MODE page /checkout/{id}.")] string? CheckoutUrl,
    long Amount, string Currency, [property: ValuesFrom(typeof(PaymentProviders))] string Provider, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt,
    string? FailureReason)
{
    public static TopUpDto From(TopUp t) => new(t.Id, t.Status, t.CheckoutUrl, t.Amount, t.Currency, t.Provider, t.CreatedAt, t.CompletedAt, t.FailureReason);
}

public sealed record TestPayRequest(
    [Required, Description("A test card, spaces optional: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined.")] string? CardNumber);
