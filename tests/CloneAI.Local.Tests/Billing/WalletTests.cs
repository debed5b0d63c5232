using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Billing;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests.Billing;

/// <summary>Wallets and top-ups through the local host's HTTP API, with the default (test) payment provider.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class WalletTests(LocalHostFixture host)
{
    private const string GoodCard = "4242 4242 4242 4242";
    private const string DecliningCard = "4000 0000 0000 0002";

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<long> BalanceAsync(HttpClient client) => (await Json(await client.GetAsync("/api/wallet"))).GetProperty("balance").GetInt64();

    private static async Task<JsonElement> CreateTopUpAsync(HttpClient client, long amount, string? key = null)
    {
        var response = await client.PostAsJsonAsync("/api/wallet/top-ups", new { amount, idempotencyKey = key ?? Guid.NewGuid().ToString("N") });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await Json(response);
    }

    private static Task<HttpResponseMessage> PayAsync(HttpClient client, string topUpId, string card) =>
        client.PostAsJsonAsync($"/api/wallet/top-ups/{topUpId}/test-pay", new { cardNumber = card });

    [Fact]
    public async Task ANewWalletIsEmptyAndLow()
    {
        var user = await host.NewUserAsync("empty");
        using var client = host.Client(user.AccessToken);
        var wallet = await Json(await client.GetAsync("/api/wallet"));
        Assert.Equal(0, wallet.GetProperty("balance").GetInt64());
        Assert.Equal("USD", wallet.GetProperty("currency").GetString());
        Assert.True(wallet.GetProperty("lowBalance").GetBoolean());
        var transactions = await Json(await client.GetAsync("/api/wallet/transactions"));
        Assert.Empty(transactions.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task ATopUpPaidWithTheTestCardCreditsTheWalletOnceHoweverOftenItIsPaid()
    {
        var user = await host.NewUserAsync("payer");
        using var client = host.Client(user.AccessToken);
        var topUp = await CreateTopUpAsync(client, 1000);
        var id = topUp.GetProperty("id").GetString()!;
        Assert.Equal("pending", topUp.GetProperty("status").GetString());
        Assert.Equal(1000, topUp.GetProperty("amount").GetInt64());
        Assert.Equal("USD", topUp.GetProperty("currency").GetString());
        Assert.Equal(host.BaseAddress.ToString().TrimEnd('/') + "/checkout/" + id, topUp.GetProperty("checkoutUrl").GetString());
        Assert.Equal(0, await BalanceAsync(client));

        var paid = await PayAsync(client, id, GoodCard);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal("succeeded", (await Json(paid)).GetProperty("status").GetString());
        var again = await PayAsync(client, id, "4242424242424242");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (await Json(again)).GetProperty("id").GetString());
        // The same verified notice delivered twice more (a provider's retries) changes nothing.
        var notices = host.App.Services.GetRequiredService<IPaymentNotices>();
        for (var i = 0; i < 2; i++)
            Assert.Equal(TopUpStatus.Succeeded, (await notices.ApplyAsync(new PaymentNotice(PaymentProviders.Test, id, null, true)))!.Status);

        Assert.Equal(1000, await BalanceAsync(client));
        var wallet = await Json(await client.GetAsync("/api/wallet"));
        Assert.False(wallet.GetProperty("lowBalance").GetBoolean());
        var items = (await Json(await client.GetAsync("/api/wallet/transactions"))).GetProperty("items").EnumerateArray().ToList();
        var line = Assert.Single(items);
        Assert.Equal("top-up", line.GetProperty("type").GetString());
        Assert.Equal(1000, line.GetProperty("amount").GetInt64());
        Assert.Equal("Top-up", line.GetProperty("description").GetString());
        Assert.Equal(id, line.GetProperty("topUpId").GetString());
        var fetched = await Json(await client.GetAsync($"/api/wallet/top-ups/{id}"));
        Assert.Equal("succeeded", fetched.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ConcurrentPaymentsOfOneTopUpCreditItOnce()
    {
        var user = await host.NewUserAsync("rush");
        using var client = host.Client(user.AccessToken);
        var id = (await CreateTopUpAsync(client, 700)).GetProperty("id").GetString()!;
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PayAsync(client, id, GoodCard)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(700, await BalanceAsync(client));
    }

    [Fact]
    public async Task ADeclinedCardFailsTheTopUpAndCreditsNothing()
    {
        var user = await host.NewUserAsync("declined");
        using var client = host.Client(user.AccessToken);
        var id = (await CreateTopUpAsync(client, 2500)).GetProperty("id").GetString()!;

        var declined = await PayAsync(client, id, DecliningCard);
        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        Assert.Equal("application/problem+json", declined.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("/card-declined", (await Json(declined)).GetProperty("type").GetString(), StringComparison.Ordinal);

        var topUp = await Json(await client.GetAsync($"/api/wallet/top-ups/{id}"));
        Assert.Equal("failed", topUp.GetProperty("status").GetString());
        // A failed top-up is never credited: neither by the good card afterwards nor by a late success notice.
        Assert.Equal(HttpStatusCode.Conflict, (await PayAsync(client, id, GoodCard)).StatusCode);
        await host.App.Services.GetRequiredService<IPaymentNotices>().ApplyAsync(new PaymentNotice(PaymentProviders.Test, id, null, true));
        Assert.Equal(0, await BalanceAsync(client));
        Assert.Empty((await Json(await client.GetAsync("/api/wallet/transactions"))).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task TheSameIdempotencyKeyReturnsTheSameTopUpAndAnotherAmountIsAConflict()
    {
        var user = await host.NewUserAsync("retry");
        using var client = host.Client(user.AccessToken);
        var key = "key-" + Guid.NewGuid().ToString("N");
        var first = await CreateTopUpAsync(client, 500, key);

        var retry = await client.PostAsJsonAsync("/api/wallet/top-ups", new { amount = 500, idempotencyKey = key });
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var second = await Json(retry);
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal(first.GetProperty("checkoutUrl").GetString(), second.GetProperty("checkoutUrl").GetString());

        var other = await client.PostAsJsonAsync("/api/wallet/top-ups", new { amount = 900, idempotencyKey = key });
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);

        // Another user's same key is their own top-up.
        var stranger = await host.NewUserAsync("same-key");
        using var strangerClient = host.Client(stranger.AccessToken);
        Assert.NotEqual(first.GetProperty("id").GetString(), (await CreateTopUpAsync(strangerClient, 500, key)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task ConcurrentCreatesWithOneKeyMakeOneTopUp()
    {
        var user = await host.NewUserAsync("twins");
        using var client = host.Client(user.AccessToken);
        var key = Guid.NewGuid().ToString("N");
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostAsJsonAsync("/api/wallet/top-ups", new { amount = 300, idempotencyKey = key })));
        var ids = new HashSet<string>();
        foreach (var r in responses) ids.Add((await Json(r)).GetProperty("id").GetString()!);
        Assert.Single(ids);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("""{"amount":99,"idempotencyKey":"k"}""", "amount")]
    [InlineData("""{"amount":100001,"idempotencyKey":"k"}""", "amount")]
    [InlineData("""{"amount":10.5,"idempotencyKey":"k"}""", "amount")]
    [InlineData("""{"amount":"1000","idempotencyKey":"k"}""", "amount")]
    [InlineData("""{"idempotencyKey":"k"}""", "amount")]
    [InlineData("""{"amount":1000}""", "idempotencyKey")]
    [InlineData("""{"amount":1000,"idempotencyKey":""}""", "idempotencyKey")]
    [InlineData("""{"amount":1000,"idempotencyKey":"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789x"}""", "idempotencyKey")]
    public async Task BadTopUpsAreRefusedPerFieldAndChangeNothing(string body, string field)
    {
        var user = await host.NewUserAsync("bad-input");
        using var client = host.Client(user.AccessToken);
        var response = await client.PostAsync("/api/wallet/top-ups", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty(field, out _), body);
        // The valid retry with the same key is a new top-up (201): the refused one stored nothing.
        await CreateTopUpAsync(client, 1000, "k");
    }

    [Theory]
    [InlineData("1234 5678 9012 3456")]
    [InlineData("4242")]
    [InlineData("")]
    public async Task AnythingButATestCardIsRefusedOnCardNumberAndChangesNothing(string card)
    {
        var user = await host.NewUserAsync("bad-card");
        using var client = host.Client(user.AccessToken);
        var id = (await CreateTopUpAsync(client, 1000)).GetProperty("id").GetString()!;
        var response = await PayAsync(client, id, card);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("cardNumber", out _));
        Assert.Equal("pending", (await Json(await client.GetAsync($"/api/wallet/top-ups/{id}"))).GetProperty("status").GetString());
        Assert.Equal(0, await BalanceAsync(client));
    }

    [Fact]
    public async Task AnotherUserOrAnAdminCannotSeeOrPayMyTopUp()
    {
        var owner = await host.NewUserAsync("mine");
        var other = await host.NewUserAsync("theirs");
        using var ownerClient = host.Client(owner.AccessToken);
        using var otherClient = host.Client(other.AccessToken);
        var id = (await CreateTopUpAsync(ownerClient, 1000)).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/api/wallet/top-ups/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PayAsync(otherClient, id, GoodCard)).StatusCode);
        Assert.Equal(0, await BalanceAsync(otherClient));
        Assert.Equal(0, await BalanceAsync(ownerClient));
        Assert.Equal("pending", (await Json(await ownerClient.GetAsync($"/api/wallet/top-ups/{id}"))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ACrashBetweenTheCreditAndMarkingTheTopUpIsFinishedByTheNextNoticeWithoutASecondCredit()
    {
        var user = await host.NewUserAsync("crash");
        using var client = host.Client(user.AccessToken);
        var topUp = await CreateTopUpAsync(client, 1200);
        var id = topUp.GetProperty("id").GetString()!;
        // What the process had done when it died: the credit posted under the top-up's key, the top-up still pending.
        var ledger = host.App.Services.GetRequiredService<ILedger>();
        await ledger.PostAsync(LedgerPostings.TopUp(id, user.Id, 1200, "USD", DateTimeOffset.UtcNow));
        Assert.Equal("pending", (await Json(await client.GetAsync($"/api/wallet/top-ups/{id}"))).GetProperty("status").GetString());

        var applied = await host.App.Services.GetRequiredService<IPaymentNotices>().ApplyAsync(new PaymentNotice(PaymentProviders.Test, id, null, true));

        Assert.Equal(TopUpStatus.Succeeded, applied!.Status);
        Assert.Equal(1200, await BalanceAsync(client));
        Assert.Single((await Json(await client.GetAsync("/api/wallet/transactions"))).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task ANoticeForNoTopUpOrFromAnotherProviderChangesNothing()
    {
        var user = await host.NewUserAsync("stray");
        using var client = host.Client(user.AccessToken);
        var id = (await CreateTopUpAsync(client, 1000)).GetProperty("id").GetString()!;
        var notices = host.App.Services.GetRequiredService<IPaymentNotices>();
        Assert.Null(await notices.ApplyAsync(new PaymentNotice(PaymentProviders.Test, "no-such-top-up", null, true)));
        Assert.Null(await notices.ApplyAsync(new PaymentNotice(PaymentProviders.Lago, id, null, true)));
        Assert.Equal(0, await BalanceAsync(client));
    }

    [Fact]
    public async Task TransactionsArePagedNewestFirstAndSigned()
    {
        var user = await host.NewUserAsync("pages");
        using var client = host.Client(user.AccessToken);
        var amounts = new[] { 100L, 200, 300, 400, 500 };
        foreach (var amount in amounts)
        {
            var id = (await CreateTopUpAsync(client, amount)).GetProperty("id").GetString()!;
            Assert.Equal(HttpStatusCode.OK, (await PayAsync(client, id, GoodCard)).StatusCode);
        }
        var seen = new List<long>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = "/api/wallet/transactions?pageSize=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await Json(await client.GetAsync(url));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("amount").GetInt64()));
            token = page.GetProperty("continuationToken").ValueKind == JsonValueKind.String ? page.GetProperty("continuationToken").GetString() : null;
            pages++;
        }
        while (token is not null);
        Assert.Equal(3, pages);
        Assert.Equal(amounts.Reverse(), seen);
        Assert.Equal(1500, await BalanceAsync(client));
        var bad = await client.GetAsync("/api/wallet/transactions?continuationToken=garbage");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task TestPayIsNotFoundWithAnotherPaymentProvider()
    {
        await using var own = await OwnHost.StartAsync(new Dictionary<string, string?>
        {
            ["Billing:Provider"] = PaymentProviders.Lago,
            // Harmless without the Lago adapter; what it would need to start.
            ["Lago:ApiUrl"] = "http://127.0.0.1:9/api/v1",
            ["Lago:ApiKey"] = "test-key",
            ["Lago:WebhookHmacKey"] = "test-hmac-key",
        });
        var user = await own.UserAsync("lago-user");
        using var client = own.Client(user);
        // A top-up of the test provider made before the switch: its test checkout is gone with the provider.
        var store = own.Services.GetRequiredService<ITopUpStore>();
        var (topUp, _) = await store.CreateAsync(new TopUp
        {
            Id = "before-switch", UserId = user.Id, Amount = 1000, Currency = "USD", IdempotencyKey = "k", Provider = PaymentProviders.Test, CreatedAt = DateTimeOffset.UtcNow,
        });

        var response = await client.PostAsJsonAsync($"/api/wallet/top-ups/{topUp.Id}/test-pay", new { cardNumber = GoodCard });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await BalanceAsync(client));
        Assert.Equal(TopUpStatus.Pending, (await store.FindAsync(topUp.Id))!.Status);
    }
}
