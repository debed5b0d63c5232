using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CloneAI.Core.Billing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloneAI.Local.Tests.Billing;

/// <summary>
/// The local host with <c>Billing:Provider=lago</c> against the fake Lago: webhooks at <c>POST /api/billing/lago/webhook</c> are
/// let in only with a good signature (HMAC or JWT) and applied once per unique key; a top-up is a Lago wallet transaction whose
/// checkout is Lago's payment URL, paid only when the signed webhook says so. The wallet's top-up service is not in this branch:
/// payment notices go to a recording <see cref="IPaymentNotices"/>.
/// </summary>
public sealed class LagoWebhookTests : IAsyncLifetime
{
    private const string Route = "/api/billing/lago/webhook";
    private readonly RecordingPaymentNotices _notices = new();
    private FakeLago _lago = null!;
    private OwnHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _lago = await FakeLago.StartAsync();
        _host = await OwnHost.StartAsync(_lago.Settings(), s => s.Replace(ServiceDescriptor.Singleton<IPaymentNotices>(_notices)));
        _http = Contract.ContractClient.Create(new Uri(_host.Url));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        await _lago.DisposeAsync();
    }

    private async Task<int> ReceiptsAsync()
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_host.DataDir, "cloneai.db")};Pooling=False");
        await db.OpenAsync();
        await using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM webhook_receipts";
        return Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task AGoodHmacSignatureIsAppliedAndTheReplayOnlyOnce()
    {
        var wt = Guid.NewGuid().ToString();
        var body = _lago.WalletTransactionWebhook(wt);
        var key = Guid.NewGuid().ToString();

        var first = await FakeLago.SendWebhookAsync(_http, Route, body, "hmac", _lago.SignHmac(body), key);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("applied", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        var notice = Assert.Single(_notices.Notices);
        Assert.Equal(new PaymentNotice("lago", null, wt, true), notice);

        var replay = await FakeLago.SendWebhookAsync(_http, Route, body, "hmac", _lago.SignHmac(body), key);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("replayed", (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        Assert.Single(_notices.Notices);
        Assert.Equal(1, await ReceiptsAsync());
    }

    [Fact]
    public async Task AGoodJwtSignatureIsAppliedWithLagosFetchedAndKeptPublicKey()
    {
        for (var i = 0; i < 3; i++)
        {
            var body = _lago.WalletTransactionWebhook(Guid.NewGuid().ToString(), i == 2 ? "failed" : "settled");
            var response = await FakeLago.SendWebhookAsync(_http, Route, body, "jwt", _lago.SignJwt(body), Guid.NewGuid().ToString());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(3, _notices.Notices.Count);
        Assert.Equal([true, true, false], _notices.Notices.Select(n => n.Succeeded));
        Assert.Equal(1, _lago.PublicKeyFetches); // fetched once, then kept
    }

    [Fact]
    public async Task MissingBadOrForgedSignaturesAre401AndChangeNothing()
    {
        var body = _lago.WalletTransactionWebhook(Guid.NewGuid().ToString());
        var tampered = body.Replace("settled", "pending", StringComparison.Ordinal);
        using var otherKey = RSA.Create(2048);
        var cases = new (string? Algorithm, string? Signature, string Body)[]
        {
            ("hmac", null, body),                                          // missing
            (null, null, body),                                            // missing, no algorithm either
            ("hmac", _lago.SignHmac(body, key: "not-the-hmac-key"), body), // wrong HMAC key
            ("hmac", _lago.SignHmac(body), tampered),                      // body changed after signing
            ("hmac", "bm90IGEgc2lnbmF0dXJl", body),                        // garbage
            ("jwt", _lago.SignJwt(body, key: otherKey), body),             // JWT signed with another key
            ("jwt", _lago.SignJwt(body, issuer: "https://evil.example"), body), // right key, wrong issuer
            ("jwt", _lago.SignJwt(body), tampered),                        // JWT of another body
            ("jwt", "a.b.c", body),                                        // malformed
            ("none", _lago.SignHmac(body), body),                          // unknown algorithm
        };
        foreach (var (algorithm, signature, sent) in cases)
        {
            var response = await FakeLago.SendWebhookAsync(_http, Route, sent, algorithm, signature, Guid.NewGuid().ToString());
            await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        }
        Assert.Empty(_notices.Notices);
        Assert.Equal(0, await ReceiptsAsync());
        Assert.True(_lago.PublicKeyFetches <= 2, "a forged JWT refetches Lago's key at most once in a while");
    }

    [Fact]
    public async Task AVerifiedWebhookWithoutAUniqueKeyIsRefused()
    {
        var body = _lago.WalletTransactionWebhook(Guid.NewGuid().ToString());
        var response = await FakeLago.SendWebhookAsync(_http, Route, body, "hmac", _lago.SignHmac(body), uniqueKey: null);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Empty(_notices.Notices);
    }

    [Fact]
    public async Task ATopUpThroughLagoChecksOutAtLagosPaymentUrlAndIsPaidOnlyByTheSignedWebhook()
    {
        var user = await _host.UserAsync("lago-payer");
        // Billing:Provider picks the provider by name among those registered.
        var provider = Assert.Single(_host.Services.GetServices<IPaymentProvider>(), p => p.Name == "lago");
        var topUp = new TopUp
        {
            Id = "top-up-1", UserId = user.Id, Amount = 1250, Currency = "USD", IdempotencyKey = "k1", Provider = "lago", CreatedAt = DateTimeOffset.UtcNow,
        };
        var checkout = await provider.StartAsync(topUp, new PaymentCustomer(user.Id, user.Email, user.DisplayName));

        var walletTransaction = Assert.Single(_lago.WalletTransactions).Value;
        Assert.Equal(walletTransaction["lago_id"]!.GetValue<string>(), checkout.ProviderReference);
        Assert.Equal(_lago.PaymentUrlOf(checkout.ProviderReference!), checkout.CheckoutUrl);
        Assert.StartsWith(_lago.Url, checkout.CheckoutUrl, StringComparison.Ordinal);
        Assert.Equal("12.5", walletTransaction["amount"]!.GetValue<string>());
        Assert.Equal(user.Email, _lago.Customers[user.Id]["email"]!.GetValue<string>());
        Assert.Empty(_notices.Notices); // nothing is paid by starting

        // A second top-up reuses the customer and wallet.
        await provider.StartAsync(topUp with { Id = "top-up-2", IdempotencyKey = "k2" }, new PaymentCustomer(user.Id, user.Email, user.DisplayName));
        Assert.Equal(1, _lago.Requests.Count(r => r.Method == "POST" && r.Path == "/api/v1/wallets"));

        // A forged "settled" is refused; the signed one pays.
        var body = _lago.WalletTransactionWebhook(checkout.ProviderReference!);
        await AssertProblemAsync(await FakeLago.SendWebhookAsync(_http, Route, body, "jwt", "forged.jwt.token", Guid.NewGuid().ToString()), HttpStatusCode.Unauthorized);
        Assert.Empty(_notices.Notices);
        var paid = await FakeLago.SendWebhookAsync(_http, Route, body, "jwt", _lago.SignJwt(body), Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal(new PaymentNotice("lago", null, checkout.ProviderReference, true), Assert.Single(_notices.Notices));
        _lago.AssertNoViolations();
    }

    [Fact]
    public async Task OtherWebhookTypesAreAcknowledgedAndChangeNothing()
    {
        var body = """{"webhook_type":"invoice.created","object_type":"invoice","invoice":{}}""";
        var response = await FakeLago.SendWebhookAsync(_http, Route, body, "hmac", _lago.SignHmac(body), Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_notices.Notices);
        Assert.Equal(1, await ReceiptsAsync());
    }
}
