using System.Text.Json;
using CloneAI.Core.Billing;
using CloneAI.Core.Billing.Lago;

namespace CloneAI.Local.Tests.Billing;

/// <summary>Which Lago webhooks say something final about a top-up's payment (bodies checked against Lago's webhook schemas).</summary>
public sealed class LagoWebhookNoticeTests
{
    private static PaymentNotice? NoticeOf(string webhook, string body)
    {
        Assert.Empty(LagoContract.Current.CheckWebhook(webhook, body));
        using var document = JsonDocument.Parse(body);
        return LagoWebhooks.NoticeOf(document.RootElement.GetProperty("webhook_type").GetString()!, document.RootElement);
    }

    [Fact]
    public async Task APaymentFailureFailsTheTopUpWithTheProvidersMessage()
    {
        await using var lago = await FakeLago.StartAsync();
        var wt = Guid.NewGuid().ToString();
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["webhook_type"] = "wallet_transaction.payment_failure",
            ["object_type"] = "payment_provider_wallet_transaction_payment_error",
            ["organization_id"] = "1a901a90-1a90-1a90-1a90-1a901a901a90",
            ["payment_provider_wallet_transaction_payment_error"] = new System.Text.Json.Nodes.JsonObject
            {
                ["lago_wallet_transaction_id"] = wt, ["lago_customer_id"] = Guid.NewGuid().ToString(), ["external_customer_id"] = "ada",
                ["payment_provider"] = "stripe",
                ["provider_error"] = new System.Text.Json.Nodes.JsonObject { ["message"] = "Your card was declined.", ["error_code"] = "card_declined" },
            },
        }.ToJsonString();
        Assert.Equal(new PaymentNotice("lago", null, wt, false, "Your card was declined."), NoticeOf("wallet_transaction_payment_failure", body));
    }

    [Fact]
    public async Task OnlyASettledOrFailedInboundWalletTransactionIsANotice()
    {
        await using var lago = await FakeLago.StartAsync();
        var wt = Guid.NewGuid().ToString();
        Assert.Equal(new PaymentNotice("lago", null, wt, true), NoticeOf("wallet_transaction_updated", lago.WalletTransactionWebhook(wt, "settled")));
        Assert.False(NoticeOf("wallet_transaction_updated", lago.WalletTransactionWebhook(wt, "failed"))!.Succeeded);
        Assert.Null(NoticeOf("wallet_transaction_updated", lago.WalletTransactionWebhook(wt, "pending")));
        var outbound = lago.WalletTransactionWebhook(wt, "settled").Replace("\"inbound\"", "\"outbound\"", StringComparison.Ordinal);
        Assert.Null(NoticeOf("wallet_transaction_updated", outbound)); // wallet credits spent, not a payment
    }
}
