using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CloneAI.Local.Tests.Billing;

/// <summary>
/// A wallet top-up through the local host with <c>Billing:Provider=lago</c> and the wallet's real top-up service: the checkout is
/// Lago's payment URL, and the wallet is credited only when Lago's signed webhook says the wallet transaction settled, once
/// however often it is replayed; a forged one changes nothing.
/// </summary>
public sealed class LagoTopUpTests : IAsyncLifetime
{
    private const string Route = "/api/billing/lago/webhook";
    private FakeLago _lago = null!;
    private OwnHost _host = null!;

    public async Task InitializeAsync()
    {
        _lago = await FakeLago.StartAsync();
        _host = await OwnHost.StartAsync(_lago.Settings());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _lago.DisposeAsync();
    }

    private static async Task<long> BalanceAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("/api/wallet")).GetProperty("balance").GetInt64();

    [Fact]
    public async Task TheWalletIsCreditedOnlyBySettledSignedWebhooksAndOnce()
    {
        var user = await _host.UserAsync("lago-wallet-user");
        using var http = _host.Client(user);
        var created = await http.PostAsJsonAsync("/api/wallet/top-ups", new { amount = 2500, idempotencyKey = "first" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var topUp = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", topUp.GetProperty("status").GetString());
        Assert.Equal("lago", topUp.GetProperty("provider").GetString());
        var walletTransaction = Assert.Single(_lago.WalletTransactions).Key;
        Assert.Equal(_lago.PaymentUrlOf(walletTransaction), topUp.GetProperty("checkoutUrl").GetString());
        Assert.Equal("25", _lago.WalletTransactions[walletTransaction]["amount"]!.GetValue<string>());
        Assert.Equal(0, await BalanceAsync(http));

        // TEST MODE payment does not exist with Lago.
        var testPay = await http.PostAsJsonAsync($"/api/wallet/top-ups/{topUp.GetProperty("id").GetString()}/test-pay", new { cardNumber = "4242424242424242" });
        Assert.Equal(HttpStatusCode.NotFound, testPay.StatusCode);

        var settled = _lago.WalletTransactionWebhook(walletTransaction);
        using var lago = new HttpClient { BaseAddress = new Uri(_host.Url) };
        var forged = await FakeLago.SendWebhookAsync(lago, Route, settled, "hmac", _lago.SignHmac(settled, key: "guessed"), Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(0, await BalanceAsync(http));

        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.OK, (await FakeLago.SendWebhookAsync(lago, Route, settled, "jwt", _lago.SignJwt(settled), key)).StatusCode);
        Assert.Equal(2500, await BalanceAsync(http));
        // The same webhook again (Lago retries), and the same news under another key: still credited once.
        Assert.Equal(HttpStatusCode.OK, (await FakeLago.SendWebhookAsync(lago, Route, settled, "jwt", _lago.SignJwt(settled), key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await FakeLago.SendWebhookAsync(lago, Route, settled, "hmac", _lago.SignHmac(settled), Guid.NewGuid().ToString())).StatusCode);
        Assert.Equal(2500, await BalanceAsync(http));
        var after = await http.GetFromJsonAsync<JsonElement>($"/api/wallet/top-ups/{topUp.GetProperty("id").GetString()}");
        Assert.Equal("succeeded", after.GetProperty("status").GetString());

        // A failed payment of another top-up credits nothing.
        var second = await (await http.PostAsJsonAsync("/api/wallet/top-ups", new { amount = 1000, idempotencyKey = "second" })).Content.ReadFromJsonAsync<JsonElement>();
        var failedTransaction = _lago.WalletTransactions.Keys.Single(k => k != walletTransaction);
        var failed = _lago.WalletTransactionWebhook(failedTransaction, "failed");
        Assert.Equal(HttpStatusCode.OK, (await FakeLago.SendWebhookAsync(lago, Route, failed, "hmac", _lago.SignHmac(failed), Guid.NewGuid().ToString())).StatusCode);
        Assert.Equal(2500, await BalanceAsync(http));
        Assert.Equal("failed", (await http.GetFromJsonAsync<JsonElement>($"/api/wallet/top-ups/{second.GetProperty("id").GetString()}")).GetProperty("status").GetString());
        _lago.AssertNoViolations();
    }
}
