using System.Text.Json;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Logging;

namespace CloneAI.Core.Billing.Lago;

/// <summary>What became of a Lago webhook that was let in.</summary>
public enum LagoWebhookOutcome
{
    /// <summary>Verified and applied (a payment notice was given, or the webhook type needs nothing).</summary>
    Applied,

    /// <summary>Verified, and its unique key was already applied: nothing changed.</summary>
    Replayed,
}

/// <summary>
/// Lago's webhooks (<c>POST /api/billing/lago/webhook</c>): the signature is the authentication (<see cref="LagoWebhookVerifier"/>;
/// a missing or bad one is a 401 and changes nothing), and each webhook is applied once by its <c>X-Lago-Unique-Key</c>
/// (a receipt is recorded after it was applied; a replay finds the receipt). A wallet transaction that Lago reports settled
/// (<c>wallet_transaction.created</c>/<c>.updated</c>, status <c>settled</c>) is a successful payment of the top-up whose
/// provider reference is its Lago id; one reported failed, or <c>wallet_transaction.payment_failure</c>, is a failed one. Other
/// webhook types are acknowledged and change nothing.
/// </summary>
public sealed class LagoWebhooks(
    LagoWebhookVerifier verifier, IWebhookReceipts receipts, IPaymentNotices notices, TimeProvider time, ILogger<LagoWebhooks> logger)
{
    public const string SignatureHeader = "X-Lago-Signature";
    public const string AlgorithmHeader = "X-Lago-Signature-Algorithm";
    public const string UniqueKeyHeader = "X-Lago-Unique-Key";

    public async Task<LagoWebhookOutcome> HandleAsync(string? algorithm, string? signature, string? uniqueKey, byte[] body, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(signature))
            throw new UnauthorizedException($"A Lago webhook needs its {SignatureHeader} header.");
        if (!await verifier.VerifyAsync(algorithm, signature, body, cancellationToken))
        {
            logger.LogWarning("Refused a Lago webhook whose {Algorithm} signature does not verify", algorithm ?? "jwt");
            throw new UnauthorizedException("The webhook's signature does not verify.");
        }
        if (string.IsNullOrWhiteSpace(uniqueKey) || uniqueKey.Length > 200)
            throw new ValidationException(UniqueKeyHeader, "Required: the webhook's unique key.");
        if (await receipts.ExistsAsync(PaymentProviders.Lago, uniqueKey, cancellationToken))
        {
            logger.LogInformation("Lago webhook {UniqueKey} was already applied", uniqueKey);
            return LagoWebhookOutcome.Replayed;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new ValidationException("body", "The webhook's body is not JSON.");
        }
        using (document)
        {
            var root = document.RootElement;
            var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("webhook_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
            var notice = NoticeOf(type, root);
            if (notice is not null)
            {
                var topUp = await notices.ApplyAsync(notice, cancellationToken);
                if (topUp is null)
                    logger.LogWarning("Lago webhook {Type} names wallet transaction {Reference}, which no top-up has", type, notice.ProviderReference);
                else
                    logger.LogInformation("Lago webhook {Type}: top-up {TopUp} is {Status}", type, topUp.Id, topUp.Status);
            }
            await receipts.RecordAsync(new WebhookReceipt(PaymentProviders.Lago, uniqueKey, type, time.GetUtcNow(), notice?.ProviderReference), cancellationToken);
            return LagoWebhookOutcome.Applied;
        }
    }

    /// <summary>The payment notice a webhook gives, or null when it says nothing final about a top-up's payment.</summary>
    public static PaymentNotice? NoticeOf(string type, JsonElement root)
    {
        switch (type)
        {
            case "wallet_transaction.created" or "wallet_transaction.updated":
                if (!root.TryGetProperty("wallet_transaction", out var wt) || wt.ValueKind != JsonValueKind.Object) return null;
                var id = Text(wt, "lago_id");
                if (id is null || Text(wt, "transaction_type") is { } kind && kind != "inbound") return null;
                return Text(wt, "status") switch
                {
                    LagoWalletTransactionStatus.Settled => new PaymentNotice(PaymentProviders.Lago, null, id, Succeeded: true),
                    LagoWalletTransactionStatus.Failed => new PaymentNotice(PaymentProviders.Lago, null, id, Succeeded: false, "The payment failed."),
                    _ => null,
                };
            case "wallet_transaction.payment_failure":
                if (!root.TryGetProperty("payment_provider_wallet_transaction_payment_error", out var error) || error.ValueKind != JsonValueKind.Object) return null;
                var failed = Text(error, "lago_wallet_transaction_id");
                if (failed is null) return null;
                var reason = error.TryGetProperty("provider_error", out var pe) && pe.ValueKind == JsonValueKind.Object ? Text(pe, "message") : null;
                return new PaymentNotice(PaymentProviders.Lago, null, failed, Succeeded: false, reason ?? "The payment provider refused the payment.");
            default:
                return null;
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
