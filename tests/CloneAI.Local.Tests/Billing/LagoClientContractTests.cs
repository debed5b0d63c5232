using System.Net;
using System.Text;
using CloneAI.Core.Billing.Lago;

namespace CloneAI.Local.Tests.Billing;

/// <summary>Every call of the Lago client, against the fake Lago that checks each request body against Lago's OpenAPI description.</summary>
public sealed class LagoClientContractTests : IAsyncLifetime
{
    private FakeLago _lago = null!;

    public async Task InitializeAsync() => _lago = await FakeLago.StartAsync();

    public async Task DisposeAsync() => await _lago.DisposeAsync();

    [Fact]
    public async Task EveryClientCallMatchesLagosOpenApiDescription()
    {
        var client = LagoTestKit.Client(_lago);
        var customer = await client.UpsertCustomerAsync(new LagoCustomerInput("user-1", "Ada", "ada@cloneai.test", "USD"));
        Assert.Equal("user-1", customer.ExternalId);
        Assert.Null(await client.GetSubscriptionAsync("user-1"));
        var subscription = await client.CreateSubscriptionAsync(new LagoSubscriptionInput("user-1", "cloneai", "user-1", "CloneAI sessions"));
        Assert.Equal("user-1", (await client.GetSubscriptionAsync("user-1"))!.ExternalId);
        Assert.Empty(await client.ListWalletsAsync("user-1"));
        var wallet = await client.CreateWalletAsync(new LagoWalletInput("user-1", "USD", "1", "CloneAI wallet", "cloneai"));
        Assert.Equal(wallet.LagoId, Assert.Single(await client.ListWalletsAsync("user-1")).LagoId);
        var transactions = await client.CreateWalletTransactionAsync(new LagoWalletTransactionInput(wallet.LagoId, "12.5", "Top-up", true, [new LagoMetadata("top_up_id", "t1")]));
        var transaction = Assert.Single(transactions);
        Assert.Equal(LagoWalletTransactionStatus.Pending, transaction.Status);
        Assert.Equal(_lago.PaymentUrlOf(transaction.LagoId), await client.GetWalletTransactionPaymentUrlAsync(transaction.LagoId));
        var sent = await client.SendEventAsync(LagoEventDispatcher.EventOf(LagoTestKit.Usage("usage-1"), subscription.ExternalId));
        Assert.Equal("usage-1", sent.TransactionId);
        var invoice = _lago.AddInvoice("user-1", "CLO-001", 150, fees: ("session_minutes", "3", 150));
        var page = await client.ListInvoicesAsync("user-1");
        Assert.Equal("CLO-001", Assert.Single(page.Invoices).Number);
        var one = await client.GetInvoiceAsync(invoice["lago_id"]!.GetValue<string>());
        Assert.Equal(150, Assert.Single(one!.Fees!).AmountCents);
        Assert.Null(await client.GetInvoiceAsync(Guid.NewGuid().ToString()));
        Assert.EndsWith(".pdf", (await client.DownloadInvoiceAsync(one.LagoId)).FileUrl, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(await client.GetWebhookPublicKeyAsync()));

        _lago.AssertNoViolations();
        var operations = _lago.Requests.Select(r => $"{r.Method} {r.Path.Split('?')[0]}").ToHashSet();
        Assert.Contains("POST /api/v1/customers", operations);
        Assert.Contains("POST /api/v1/subscriptions", operations);
        Assert.Contains("POST /api/v1/wallets", operations);
        Assert.Contains("POST /api/v1/wallet_transactions", operations);
        Assert.Contains($"POST /api/v1/wallet_transactions/{transaction.LagoId}/payment_url", operations);
        Assert.Contains("POST /api/v1/events", operations);
        Assert.Contains("GET /api/v1/invoices", operations);
        Assert.Contains("GET /api/v1/webhooks/json_public_key", operations);
        // Every body the client sent was checked against a request schema.
        Assert.All(_lago.Requests.Where(r => r.Body is not null), r => Assert.Empty(LagoContract.Current.CheckRequest(r.Method, r.Path.Split('?')[0]["/api/v1".Length..], r.Body)));
    }

    [Fact]
    public async Task ABodyThatDoesNotMatchLagosDescriptionIsCaught()
    {
        // An event without external_subscription_id, which Lago's description requires, and a wallet without its currency.
        Assert.NotEmpty(LagoContract.Current.CheckRequest("POST", "/events", """{"event":{"transaction_id":"t1","code":"session_minutes"}}"""));
        Assert.NotEmpty(LagoContract.Current.CheckRequest("POST", "/wallets", """{"wallet":{"external_customer_id":"u","rate_amount":"1"}}"""));
        Assert.NotEmpty(LagoContract.Current.CheckRequest("POST", "/wallet_transactions", """{"wallet_transaction":{"wallet_id":"not-a-uuid","paid_credits":"ten"}}"""));
        Assert.NotEmpty(LagoContract.Current.CheckRequest("POST", "/not_lago", "{}"));
        Assert.Empty(LagoContract.Current.CheckRequest("POST", "/events",
            """{"event":{"transaction_id":"t1","external_subscription_id":"s1","code":"session_minutes","timestamp":1700000000,"properties":{"quantity":"1"}}}"""));

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", FakeLago.ApiKey);
        var response = await http.PostAsync(_lago.Url + "/api/v1/events",
            new StringContent("""{"event":{"transaction_id":"t1","code":"session_minutes"}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(_lago.Violations, v => v.Contains("external_subscription_id", StringComparison.Ordinal));
        Assert.Empty(_lago.Events);
    }

    [Fact]
    public async Task A5xxIsRetriedWithBackoffAndA4xxIsNot()
    {
        var client = LagoTestKit.Client(_lago, retries: 2);
        _lago.FailNext(2);
        await client.UpsertCustomerAsync(new LagoCustomerInput("user-2", null, null, "USD"));
        Assert.Equal(3, _lago.Requests.Count(r => r.Path == "/api/v1/customers"));

        _lago.FailNext(5);
        var down = await Assert.ThrowsAsync<LagoException>(() => client.UpsertCustomerAsync(new LagoCustomerInput("user-3", null, null, "USD")));
        Assert.True(down.Transient);
        Assert.Equal(500, down.Status);
        _lago.FailNext(0);

        var before = _lago.Requests.Count;
        // A wallet for a customer Lago does not have: a 404, not retried.
        var refused = await Assert.ThrowsAsync<LagoException>(() => client.CreateWalletAsync(new LagoWalletInput("nobody", "USD", "1")));
        Assert.False(refused.Transient);
        Assert.Equal(404, refused.Status);
        Assert.Contains("customer_not_found", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before + 1, _lago.Requests.Count);
        _lago.AssertNoViolations();
    }

    [Fact]
    public async Task AWrongApiKeyIsAClear401()
    {
        var options = LagoTestKit.Options(_lago);
        options.ApiKey = "wrong";
        var client = new LagoClient(new HttpClient(), Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Logging.Abstractions.NullLogger<LagoClient>.Instance);
        var e = await Assert.ThrowsAsync<LagoException>(() => client.GetWebhookPublicKeyAsync());
        Assert.Equal(401, e.Status);
        Assert.False(e.Transient);
    }

    [Fact]
    public void MinorUnitsBecomeLagoCredits()
    {
        Assert.Equal("12.5", LagoMoney.Credits(1250, "USD"));
        Assert.Equal("0.01", LagoMoney.Credits(1, "USD"));
        Assert.Equal("500", LagoMoney.Credits(500, "JPY"));
        Assert.Equal("1.234", LagoMoney.Credits(1234, "KWD"));
    }
}
