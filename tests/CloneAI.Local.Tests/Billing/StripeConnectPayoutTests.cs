using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Billing;
using CloneAI.Core.Clones;
using CloneAI.Stripe;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests.Billing;

/// <summary>
/// The stripe-connect payout provider against a loopback fake of Stripe's API: the request Stripe.net sends (form body, bearer
/// key, idempotency key), and through a host of its own, approval by transfer and a declined transfer that changes nothing.
/// </summary>
public sealed class StripeConnectPayoutTests
{
    private static readonly Payout Payout = new()
    {
        Id = "po_" + Guid.NewGuid().ToString("N"), CreatorId = "creator-1", Amount = 2_500, Currency = "USD", IdempotencyKey = "k", CreatedAt = DateTimeOffset.UtcNow,
    };

    private static StripeConnectPayoutProvider Provider(FakeStripe stripe, HttpClient http) =>
        new(PayoutRegistration.CreateClient(new StripeOptions { ApiKey = FakeStripe.ApiKey, ApiBase = stripe.ApiBase }, http));

    [Fact]
    public async Task ATransferGoesToTheConnectedAccountWithTheAmountCurrencyMetadataAndThePayoutIdAsIdempotencyKey()
    {
        await using var stripe = new FakeStripe();
        using var http = new HttpClient();
        var provider = Provider(stripe, http);

        var receipt = await provider.PayAsync(Payout, new PayoutAccount("creator-1", "acct_1Creator", DateTimeOffset.UtcNow), reference: null);
        var retried = await provider.PayAsync(Payout, new PayoutAccount("creator-1", "acct_1Creator", DateTimeOffset.UtcNow), reference: null);

        Assert.StartsWith("tr_", receipt.Reference, StringComparison.Ordinal);
        Assert.Equal(receipt, retried);
        var request = stripe.Requests[0];
        Assert.Equal(("POST", "/v1/transfers"), (request.Method, request.Path));
        Assert.Equal("Bearer " + FakeStripe.ApiKey, request.Authorization);
        Assert.Equal(Payout.Id, request.IdempotencyKey);
        Assert.Equal("2500", request.Form["amount"]);
        Assert.Equal("usd", request.Form["currency"]);
        Assert.Equal("acct_1Creator", request.Form["destination"]);
        Assert.Equal(Payout.Id, request.Form["metadata[payoutId]"]);
        Assert.Equal("creator-1", request.Form["metadata[creatorId]"]);
        Assert.All(stripe.Requests, r => Assert.Equal(Payout.Id, r.IdempotencyKey));
    }

    [Fact]
    public async Task ADeclinedTransferIsAPayoutFailureWithStripesMessage()
    {
        await using var stripe = new FakeStripe { Decline = "Insufficient funds in Stripe account." };
        using var http = new HttpClient();

        var failure = await Assert.ThrowsAsync<PayoutFailedException>(() =>
            Provider(stripe, http).PayAsync(Payout, new PayoutAccount("creator-1", "acct_1Creator", DateTimeOffset.UtcNow), reference: null));

        Assert.Contains("Insufficient funds in Stripe account.", failure.Message, StringComparison.Ordinal);
        Assert.Equal(502, failure.Status);
    }

    [Fact]
    public async Task ThroughTheHostAnApprovalTransfersAndADeclineLeavesThePayoutRequestedWithTheErrorAndTheLedgerUnchanged()
    {
        await using var stripe = new FakeStripe();
        await using var host = await OwnHost.StartAsync(new Dictionary<string, string?>
        {
            ["Billing:PayoutProvider"] = "stripe-connect",
            ["Stripe:ApiKey"] = FakeStripe.ApiKey,
            ["Stripe:ApiBase"] = stripe.ApiBase.ToString(),
            ["Auth:AdminEmails:0"] = "boss@cloneai.test",
        });
        var creator = await host.UserAsync("creator", creator: true);
        var boss = await host.UserAsync("boss");
        var clone = await host.PublishedCloneAsync(creator, "Tides", new PricingInput(PerMessage: 100, Currency: "USD"));
        await PayoutTests.ChargeAsync(host.Services, creator.Id, clone.Id, 10_000); // earns 8,000
        using var client = host.Client(creator);
        using var admin = host.Client(boss);
        var ledger = host.Services.GetRequiredService<ILedger>();

        var first = (await (await client.PostAsJsonAsync("/api/me/payouts", new { amount = 3_000 })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var noAccount = await admin.PostAsJsonAsync($"/api/admin/payouts/{first}/approve", new { });
        Assert.Equal(HttpStatusCode.Conflict, noAccount.StatusCode);
        Assert.Empty(stripe.Requests);

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/me/payout-account", new { stripeAccountId = "acct_1Creator" })).StatusCode);
        stripe.Decline = "Your destination account needs to have at least one of the following capabilities enabled: transfers.";
        var declined = await admin.PostAsJsonAsync($"/api/admin/payouts/{first}/approve", new { });
        Assert.Equal(HttpStatusCode.BadGateway, declined.StatusCode);
        Assert.Contains("capabilities enabled", (await declined.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var stillRequested = (await admin.GetFromJsonAsync<JsonElement>("/api/admin/payouts?status=requested")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal(first, stillRequested.GetProperty("id").GetString());
        Assert.Contains("capabilities enabled", stillRequested.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(5_000, await ledger.BalanceAsync(LedgerAccounts.Earnings(creator.Id)));
        Assert.Equal(3_000, await ledger.BalanceAsync(LedgerAccounts.PayoutsClearing));

        stripe.Decline = null;
        var approved = await admin.PostAsJsonAsync($"/api/admin/payouts/{first}/approve", new { });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var paid = await approved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("paid", "stripe-connect"), (paid.GetProperty("status").GetString(), paid.GetProperty("provider").GetString()));
        Assert.StartsWith("tr_", paid.GetProperty("reference").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, paid.GetProperty("lastError").ValueKind);
        Assert.Equal(first, stripe.Requests[^1].IdempotencyKey);
        Assert.Equal("acct_1Creator", stripe.Requests[^1].Form["destination"]);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/api/admin/payouts/{first}/approve", new { })).StatusCode);
        var earnings = await client.GetFromJsonAsync<JsonElement>("/api/me/earnings");
        Assert.Equal((5_000L, 0L, 3_000L, "stripe-connect"), (earnings.GetProperty("available").GetInt64(), earnings.GetProperty("pending").GetInt64(),
            earnings.GetProperty("paidOut").GetInt64(), earnings.GetProperty("payoutProvider").GetString()));
    }
}
