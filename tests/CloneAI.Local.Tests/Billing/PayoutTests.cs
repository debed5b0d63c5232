using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Billing;
using CloneAI.Core.Chat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloneAI.Local.Tests.Billing;

/// <summary>
/// Earnings and payouts through the local host's HTTP API. Earnings are made by posting real session charges (a payer's
/// top-up, then a charge whose creator share lands in the creator's earnings) through the host's own ledger.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class PayoutTests(LocalHostFixture host) : IAsyncLifetime
{
    private TestUser _admin = null!;

    private ILedger Ledger => host.App.Services.GetRequiredService<ILedger>();

    public async Task InitializeAsync()
    {
        try { await host.SignUpVerifiedAsync(LocalHostFixture.AdminEmail, "Admin"); }
        catch (Xunit.Sdk.EqualException) { } // another test class already created the admin
        var tokens = await host.LoginAsync(LocalHostFixture.AdminEmail);
        _admin = new TestUser("", LocalHostFixture.AdminEmail, tokens.AccessToken, tokens.RefreshToken);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Another user pays <paramref name="amount"/> for a session with the clone: the creator earns 80 % of it.</summary>
    internal static async Task<LedgerTransaction> ChargeAsync(IServiceProvider services, string creatorId, string cloneId, long amount)
    {
        var ledger = services.GetRequiredService<ILedger>();
        var billing = services.GetRequiredService<IOptions<BillingOptions>>().Value;
        var now = DateTimeOffset.UtcNow;
        var payer = "payer-" + Guid.NewGuid().ToString("N");
        await ledger.PostAsync(LedgerPostings.TopUp(Guid.NewGuid().ToString("N"), payer, amount, billing.Currency, now));
        var usage = new UsageEvent
        {
            Id = "usage-" + Guid.NewGuid().ToString("N"), SessionId = "session-" + Guid.NewGuid().ToString("N"), UserId = payer, CloneId = cloneId,
            OwnerId = creatorId, Kind = UsageKinds.Message, Quantity = 1, Amount = amount, Currency = billing.Currency, CreatedAt = now,
        };
        return (await ledger.PostAsync(UsageCharges.Charge(usage, billing, now)!)).Transaction;
    }

    private async Task<(TestUser Creator, string CloneId)> CreatorWithEarningsAsync(long charged)
    {
        var creator = await host.NewUserAsync("earner", creator: true);
        var clone = await host.CreateCloneAsync(creator.AccessToken, "Earning " + Guid.NewGuid().ToString("N")[..8], publish: true);
        var cloneId = clone.GetProperty("id").GetString()!;
        await ChargeAsync(host.App.Services, creator.Id, cloneId, charged);
        return (creator, cloneId);
    }

    private static async Task<JsonElement> EarningsAsync(HttpClient client) => await client.GetFromJsonAsync<JsonElement>("/api/me/earnings");

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task EarningsShowTheCreatorsShareByCloneLessRefundsAndTheHistoryIsPaged()
    {
        var creator = await host.NewUserAsync("earner", creator: true);
        var first = (await host.CreateCloneAsync(creator.AccessToken, "Tides " + Guid.NewGuid().ToString("N")[..6], publish: true)).GetProperty("id").GetString()!;
        var second = (await host.CreateCloneAsync(creator.AccessToken, "Stars " + Guid.NewGuid().ToString("N")[..6], publish: true)).GetProperty("id").GetString()!;
        await ChargeAsync(host.App.Services, creator.Id, first, 1_000);
        var refunded = await ChargeAsync(host.App.Services, creator.Id, first, 500);
        await ChargeAsync(host.App.Services, creator.Id, second, 250);
        await Ledger.PostAsync(LedgerPostings.Refund(refunded, DateTimeOffset.UtcNow));

        using var client = host.Client(creator.AccessToken);
        var earnings = await EarningsAsync(client);

        Assert.Equal("USD", earnings.GetProperty("currency").GetString());
        Assert.Equal(800 + 400 + 200 - 400, earnings.GetProperty("available").GetInt64());
        Assert.Equal(0, earnings.GetProperty("pending").GetInt64());
        Assert.Equal(0, earnings.GetProperty("paidOut").GetInt64());
        Assert.Equal(1_000, earnings.GetProperty("minPayout").GetInt64());
        var byClone = earnings.GetProperty("byClone").EnumerateArray().ToDictionary(c => c.GetProperty("cloneId").GetString()!);
        Assert.Equal((1_200L, 400L, 800L), (byClone[first].GetProperty("earned").GetInt64(), byClone[first].GetProperty("refunded").GetInt64(), byClone[first].GetProperty("net").GetInt64()));
        Assert.StartsWith("Tides", byClone[first].GetProperty("cloneName").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, byClone[second].GetProperty("net").GetInt64());

        var amounts = new List<long>();
        string? token = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/api/me/earnings/transactions?pageSize=3" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            amounts.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("amount").GetInt64()));
            token = page.GetProperty("continuationToken").GetString();
        }
        while (token is not null);
        Assert.Equal([-400, 200, 400, 800], amounts); // newest first: the refund, then the three charges
    }

    [Fact]
    public async Task BelowTheMinimumOrAboveWhatIsAvailableIsRefusedWithTheLimitsAndChangesNothing()
    {
        var (creator, _) = await CreatorWithEarningsAsync(5_000); // earns 4,000
        using var client = host.Client(creator.AccessToken);

        var small = await client.PostAsJsonAsync("/api/me/payouts", new { amount = 999 });
        var large = await client.PostAsJsonAsync("/api/me/payouts", new { amount = 4_001 });

        Assert.Equal(HttpStatusCode.BadRequest, small.StatusCode);
        Assert.Contains("10.00 USD", (await JsonAsync(small)).GetProperty("errors").GetProperty("amount")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, large.StatusCode);
        Assert.Contains("40.00 USD", (await JsonAsync(large)).GetProperty("errors").GetProperty("amount")[0].GetString(), StringComparison.Ordinal);
        var earnings = await EarningsAsync(client);
        Assert.Equal((4_000L, 0L), (earnings.GetProperty("available").GetInt64(), earnings.GetProperty("pending").GetInt64()));
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/api/me/payouts")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task ARequestTakesTheMoneyFromAvailableAtOnceAndARetryWithItsKeyIsTheSamePayout()
    {
        var (creator, _) = await CreatorWithEarningsAsync(5_000);
        using var client = host.Client(creator.AccessToken);

        var requested = await client.PostAsJsonAsync("/api/me/payouts", new { amount = 1_500, idempotencyKey = "first" });
        var retried = await client.PostAsJsonAsync("/api/me/payouts", new { amount = 1_500, idempotencyKey = "first" });
        var reused = await client.PostAsJsonAsync("/api/me/payouts", new { amount = 1_600, idempotencyKey = "first" });

        Assert.Equal(HttpStatusCode.Created, requested.StatusCode);
        var payout = await JsonAsync(requested);
        Assert.Equal("requested", payout.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(payout.GetProperty("id").GetString(), (await JsonAsync(retried)).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        var earnings = await EarningsAsync(client);
        Assert.Equal((2_500L, 1_500L), (earnings.GetProperty("available").GetInt64(), earnings.GetProperty("pending").GetInt64()));
        Assert.Equal(2_500, await Ledger.BalanceAsync(LedgerAccounts.Earnings(creator.Id)));
        var mine = (await client.GetFromJsonAsync<JsonElement>("/api/me/payouts")).GetProperty("items");
        Assert.Equal(payout.GetProperty("id").GetString(), Assert.Single(mine.EnumerateArray()).GetProperty("id").GetString());
        var history = await client.GetFromJsonAsync<JsonElement>("/api/me/earnings/transactions");
        var newest = history.GetProperty("items")[0];
        Assert.Equal(("payout", -1_500L), (newest.GetProperty("type").GetString(), newest.GetProperty("amount").GetInt64()));
    }

    [Fact]
    public async Task ConcurrentRequestsNeverPayOutMoreThanWasAvailable()
    {
        var (creator, _) = await CreatorWithEarningsAsync(5_000); // 4,000: room for four payouts of 1,000
        using var client = host.Client(creator.AccessToken);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostAsJsonAsync("/api/me/payouts", new { amount = 1_000 })));

        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Conflict }));
        Assert.Equal(0, await Ledger.BalanceAsync(LedgerAccounts.Earnings(creator.Id)));
        Assert.Equal(4_000, (await EarningsAsync(client)).GetProperty("pending").GetInt64());
    }

    [Fact]
    public async Task AnAdminApprovesWithTheReferenceOfTheManualPaymentAndADecidedPayoutCannotBeDecidedAgain()
    {
        var (creator, _) = await CreatorWithEarningsAsync(5_000);
        using var client = host.Client(creator.AccessToken);
        using var admin = host.Client(_admin.AccessToken);
        var id = (await JsonAsync(await client.PostAsJsonAsync("/api/me/payouts", new { amount = 2_000 }))).GetProperty("id").GetString()!;
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/admin/payouts?status=requested&pageSize=50");
        var scanned = listed.GetProperty("items").EnumerateArray().ToList();
        var next = listed.GetProperty("continuationToken").GetString();
        while (next is not null && scanned.All(p => p.GetProperty("id").GetString() != id))
        {
            var more = await admin.GetFromJsonAsync<JsonElement>("/api/admin/payouts?status=requested&pageSize=50&continuationToken=" + Uri.EscapeDataString(next));
            scanned.AddRange(more.GetProperty("items").EnumerateArray());
            next = more.GetProperty("continuationToken").GetString();
        }
        Assert.Contains(creator.Email, scanned.Single(p => p.GetProperty("id").GetString() == id).GetProperty("creatorName").GetString(), StringComparison.Ordinal);

        var withoutReference = await admin.PostAsJsonAsync($"/api/admin/payouts/{id}/approve", new { });
        Assert.Equal(HttpStatusCode.BadRequest, withoutReference.StatusCode);
        Assert.True((await JsonAsync(withoutReference)).GetProperty("errors").TryGetProperty("reference", out _));

        var approved = await admin.PostAsJsonAsync($"/api/admin/payouts/{id}/approve", new { reference = "BANK-2026-0042" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var paid = await JsonAsync(approved);
        Assert.Equal(("paid", "BANK-2026-0042", "manual"), (paid.GetProperty("status").GetString(), paid.GetProperty("reference").GetString(), paid.GetProperty("provider").GetString()));

        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/api/admin/payouts/{id}/approve", new { reference = "BANK-2026-0042" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/api/admin/payouts/{id}/reject", new { reason = "Too late" })).StatusCode);
        var earnings = await EarningsAsync(client);
        Assert.Equal((2_000L, 0L, 2_000L), (earnings.GetProperty("available").GetInt64(), earnings.GetProperty("pending").GetInt64(), earnings.GetProperty("paidOut").GetInt64()));
        Assert.Equal("paid", (await client.GetFromJsonAsync<JsonElement>("/api/me/payouts")).GetProperty("items")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task ARejectedPayoutGivesTheMoneyBackOnceAndStaysRejected()
    {
        var (creator, _) = await CreatorWithEarningsAsync(5_000);
        using var client = host.Client(creator.AccessToken);
        using var admin = host.Client(_admin.AccessToken);
        var id = (await JsonAsync(await client.PostAsJsonAsync("/api/me/payouts", new { amount = 3_000 }))).GetProperty("id").GetString()!;
        Assert.Equal(1_000, (await EarningsAsync(client)).GetProperty("available").GetInt64());

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/admin/payouts/{id}/reject", new { reason = "" })).StatusCode);
        var rejected = await admin.PostAsJsonAsync($"/api/admin/payouts/{id}/reject", new { reason = "Bank details do not match" });
        var again = await admin.PostAsJsonAsync($"/api/admin/payouts/{id}/reject", new { reason = "Bank details do not match" });
        var approveAfter = await admin.PostAsJsonAsync($"/api/admin/payouts/{id}/approve", new { reference = "X" });

        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var decided = await JsonAsync(rejected);
        Assert.Equal(("rejected", "Bank details do not match"), (decided.GetProperty("status").GetString(), decided.GetProperty("rejectionReason").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, approveAfter.StatusCode);
        var earnings = await EarningsAsync(client);
        Assert.Equal((4_000L, 0L, 0L), (earnings.GetProperty("available").GetInt64(), earnings.GetProperty("pending").GetInt64(), earnings.GetProperty("paidOut").GetInt64()));
        var history = (await client.GetFromJsonAsync<JsonElement>("/api/me/earnings/transactions")).GetProperty("items");
        Assert.Equal(("adjustment", 3_000L), (history[0].GetProperty("type").GetString(), history[0].GetProperty("amount").GetInt64()));
        Assert.Equal(id, history[0].GetProperty("payoutId").GetString());
        Assert.Equal(1, history.EnumerateArray().Count(t => t.GetProperty("type").GetString() == "adjustment"));
        Assert.True((await Ledger.CheckAsync()).Balanced);
    }

    [Fact]
    public async Task OnlyAdminsDecidePayoutsAndOnlyCreatorsRequestThem()
    {
        var (creator, _) = await CreatorWithEarningsAsync(5_000);
        using var client = host.Client(creator.AccessToken);
        var id = (await JsonAsync(await client.PostAsJsonAsync("/api/me/payouts", new { amount = 1_000 }))).GetProperty("id").GetString()!;
        var user = await host.NewUserAsync("plain");
        using var plain = host.Client(user.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/admin/payouts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/admin/payouts/{id}/approve", new { reference = "mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/admin/payouts/{id}/reject", new { reason = "no" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.PostAsJsonAsync("/api/me/payouts", new { amount = 1_000 })).StatusCode);
        Assert.Equal("requested", (await client.GetFromJsonAsync<JsonElement>("/api/me/payouts")).GetProperty("items")[0].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client(_admin.AccessToken).PostAsJsonAsync("/api/admin/payouts/nope/approve", new { reference = "x" })).StatusCode);
    }

    [Fact]
    public async Task ACreatorConnectsAStripeAccountById()
    {
        var creator = await host.NewUserAsync("connected", creator: true);
        using var client = host.Client(creator.AccessToken);

        Assert.Null((await client.GetFromJsonAsync<JsonElement>("/api/me/payout-account")).GetProperty("stripeAccountId").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsJsonAsync("/api/me/payout-account", new { stripeAccountId = "bank-123" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/me/payout-account", new { stripeAccountId = "acct_1NxTest42" })).StatusCode);

        var account = await client.GetFromJsonAsync<JsonElement>("/api/me/payout-account");
        Assert.Equal(("acct_1NxTest42", "manual"), (account.GetProperty("stripeAccountId").GetString(), account.GetProperty("payoutProvider").GetString()));
    }
}
