using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloneAI.Core.Billing.Lago;

// The requests and responses of Lago's API that the product uses, as Lago names them (snake_case through
// LagoJson.Options). Only the fields the product reads or sends; Lago's documents carry more, which are ignored.

public static class LagoJson
{
    /// <summary>snake_case names, nulls left out (Lago's inputs do not all take null), numbers as written.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = false,
    };
}

// Customers: POST /customers creates the customer or updates the one with the same external_id.
public sealed record LagoCustomerInput(string ExternalId, string? Name, string? Email, string? Currency);
public sealed record LagoCustomerRequest(LagoCustomerInput Customer);
public sealed record LagoCustomer(string LagoId, string ExternalId, string? Name, string? Email, string? Currency);
public sealed record LagoCustomerResponse(LagoCustomer Customer);

// Subscriptions: usage events are sent to a subscription (external_subscription_id).
public sealed record LagoSubscriptionInput(string ExternalCustomerId, string PlanCode, string ExternalId, string? Name = null);
public sealed record LagoSubscriptionRequest(LagoSubscriptionInput Subscription);
public sealed record LagoSubscription(string LagoId, string ExternalId, string ExternalCustomerId, string PlanCode, string Status);
public sealed record LagoSubscriptionResponse(LagoSubscription Subscription);

// Wallets (prepaid credits; rate_amount 1 = one credit per unit of the currency).
public sealed record LagoWalletInput(string ExternalCustomerId, string Currency, string RateAmount, string? Name = null, string? Code = null);
public sealed record LagoWalletRequest(LagoWalletInput Wallet);
public sealed record LagoWallet(string LagoId, string ExternalCustomerId, string Status, string Currency, string? Name = null, string? Code = null);
public sealed record LagoWalletResponse(LagoWallet Wallet);
public sealed record LagoWalletsPage(IReadOnlyList<LagoWallet> Wallets);

public static class LagoWalletStatus
{
    public const string Active = "active";
}

// Wallet transactions: a top-up is one with paid_credits; it settles when its invoice is paid.
public sealed record LagoMetadata(string Key, string Value);
public sealed record LagoWalletTransactionInput(
    string WalletId, string? PaidCredits, string? Name = null, bool? InvoiceRequiresSuccessfulPayment = null,
    IReadOnlyList<LagoMetadata>? Metadata = null);
public sealed record LagoWalletTransactionRequest(LagoWalletTransactionInput WalletTransaction);
public sealed record LagoWalletTransaction(
    string LagoId, string LagoWalletId, string Status, string TransactionStatus, string TransactionType, string Amount, string CreditAmount,
    string? LagoInvoiceId = null, DateTimeOffset? SettledAt = null, DateTimeOffset? FailedAt = null, IReadOnlyList<LagoMetadata>? Metadata = null);
public sealed record LagoWalletTransactionsResponse(IReadOnlyList<LagoWalletTransaction> WalletTransactions);

public static class LagoWalletTransactionStatus
{
    public const string Pending = "pending";
    public const string Settled = "settled";
    public const string Failed = "failed";
}

public sealed record LagoWalletTransactionPaymentDetails(
    string? LagoCustomerId, string? LagoWalletTransactionId, string? ExternalCustomerId, string? PaymentProvider, string? PaymentUrl);
public sealed record LagoWalletTransactionPaymentUrl(LagoWalletTransactionPaymentDetails WalletTransactionPaymentDetails);

// Events: usage, idempotent by transaction_id.
public sealed record LagoEventInput(
    string TransactionId, string ExternalSubscriptionId, string Code, long? Timestamp = null,
    IReadOnlyDictionary<string, JsonElement>? Properties = null, string? PreciseTotalAmountCents = null);
public sealed record LagoEventRequest(LagoEventInput Event);
public sealed record LagoEvent(string TransactionId, string Code, string? LagoId = null, string? ExternalSubscriptionId = null);
public sealed record LagoEventResponse(LagoEvent Event);

// Invoices.
public sealed record LagoInvoiceCustomer(string? LagoId, string? ExternalId);
public sealed record LagoFeeItem(string Type, string Code, string Name, string? InvoiceDisplayName = null);
public sealed record LagoFee(
    LagoFeeItem Item, long AmountCents, string AmountCurrency, long TotalAmountCents, string Units,
    string? LagoId = null, string? ExternalSubscriptionId = null, string? EventTransactionId = null, string? Description = null,
    DateTimeOffset? FromDate = null, DateTimeOffset? ToDate = null, long? EventsCount = null);
public sealed record LagoBillingPeriod(
    string ExternalSubscriptionId, DateTimeOffset SubscriptionFromDatetime, DateTimeOffset SubscriptionToDatetime,
    DateTimeOffset ChargesFromDatetime, DateTimeOffset ChargesToDatetime);
public sealed record LagoInvoice(
    string LagoId, string Number, string IssuingDate, string InvoiceType, string Status, string PaymentStatus, string Currency,
    long TotalAmountCents, DateTimeOffset CreatedAt, long FeesAmountCents = 0, long TaxesAmountCents = 0, long CouponsAmountCents = 0,
    long CreditNotesAmountCents = 0, long PrepaidCreditAmountCents = 0, long ProgressiveBillingCreditAmountCents = 0,
    string? FileUrl = null, LagoInvoiceCustomer? Customer = null,
    IReadOnlyList<LagoFee>? Fees = null, IReadOnlyList<LagoBillingPeriod>? BillingPeriods = null);
public sealed record LagoPaginationMeta(int CurrentPage, int? NextPage, int TotalPages, int TotalCount);
public sealed record LagoInvoicesPage(IReadOnlyList<LagoInvoice> Invoices, LagoPaginationMeta Meta);
public sealed record LagoInvoiceResponse(LagoInvoice Invoice);

// Webhooks.
public sealed record LagoWebhookPublicKeyObject(string PublicKey);
public sealed record LagoWebhookPublicKey(LagoWebhookPublicKeyObject Webhook);

// Errors, as Lago answers them (4xx): status, error, code and per-field details.
public sealed record LagoError(int? Status, string? Error, string? Code, JsonElement? ErrorDetails);
