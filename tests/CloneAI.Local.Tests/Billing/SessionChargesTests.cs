using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Billing;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Functions.Api.Chat;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests.Billing;

/// <summary>Sessions drawing from the wallet, end to end through the local host's HTTP API and its SQLite ledger.</summary>
public sealed class SessionChargesTests : IAsyncLifetime
{
    private readonly ShiftedTime _time = new();
    private OwnHost _host = null!;
    private User _creator = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await OwnHost.StartAsync(new()
        {
            ["Chat:IdleTimeoutMinutes"] = "5",
            ["Chat:ExtractiveWordDelayMs"] = "0",
            ["Auth:AdminEmails:0"] = "money-admin@cloneai.test",
        }, services => services.AddSingleton<TimeProvider>(_time));
        _creator = await _host.UserAsync("maker", creator: true);
        _admin = _host.Client(await _host.UserAsync("money-admin"));
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
    }

    private ILedger Ledger => _host.Services.GetRequiredService<ILedger>();
    private ISessionStore Sessions => _host.Services.GetRequiredService<ISessionStore>();

    private async Task<string> CloneAsync(PricingInput pricing) =>
        (await _host.PublishedCloneAsync(_creator, "Priced " + Guid.NewGuid().ToString("N")[..6], pricing)).Id;

    private async Task<(User User, HttpClient Http)> BuyerAsync(long funds)
    {
        var user = await _host.UserAsync("buyer-" + Guid.NewGuid().ToString("N")[..8]);
        if (funds > 0) await _host.FundAsync(user, funds);
        return (user, _host.Client(user));
    }

    private Task<long> BalanceAsync(string userId) => Ledger.BalanceAsync(LedgerAccounts.Wallet(userId));

    private static async Task<string> StartAsync(HttpClient http, string cloneId)
    {
        var response = await http.PostAsync($"/api/clones/{cloneId}/sessions", null);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static Task<HttpResponseMessage> AskAsync(HttpClient http, string sessionId, string? key = null) =>
        http.PostAsJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "What do your notes say?", clientMessageId = key ?? Guid.NewGuid().ToString("N") });

    private async Task<JsonElement> SessionAsync(HttpClient http, string sessionId) =>
        (await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}")).GetProperty("session");

    [Fact]
    public async Task StartingAPaidSessionWithoutEnoughMoneyIs402NamingWhatIsMissing()
    {
        var cloneId = await CloneAsync(new PricingInput(PerMinute: 20, PerMessage: 5, Currency: "USD"));
        var (_, http) = await BuyerAsync(funds: 10);

        var refused = await http.PostAsync($"/api/clones/{cloneId}/sessions", null);

        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("/insufficient-funds", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(15, problem.GetProperty("missing").GetInt64()); // the first minute (20) and the first message (5), less 10
        Assert.Equal("USD", problem.GetProperty("currency").GetString());
        Assert.Empty((await http.GetFromJsonAsync<JsonElement>("/api/sessions")).GetProperty("items").EnumerateArray());

        // With free messages the first message costs nothing: the first minute is enough.
        var freeFirst = await CloneAsync(new PricingInput(PerMinute: 10, PerMessage: 5, Currency: "USD", FreeMessages: 2));
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync($"/api/clones/{freeFirst}/sessions", null)).StatusCode);
    }

    [Fact]
    public async Task ASessionEndedBeforeAnyQuestionCostsNothingAndChargesNothing()
    {
        var cloneId = await CloneAsync(new PricingInput(PerMinute: 10, Currency: "USD", FreeMessages: 5));
        var (user, http) = await BuyerAsync(funds: 1000);
        var sessionId = await StartAsync(http, cloneId);
        _time.Offset += TimeSpan.FromSeconds(100);
        Assert.Equal(0, (await SessionAsync(http, sessionId)).GetProperty("cost").GetProperty("amount").GetInt64()); // no clock yet

        var ended = await (await http.PostAsync($"/api/sessions/{sessionId}/end", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(0, ended.GetProperty("cost").GetProperty("amount").GetInt64());
        Assert.Equal(0, ended.GetProperty("elapsedSeconds").GetDouble());
        Assert.Equal(1000, await BalanceAsync(user.Id));
        Assert.Empty(await Sessions.GetUsageAsync(sessionId));
        Assert.Single(await Ledger.TransactionsAsync(LedgerAccounts.Wallet(user.Id), 10)); // the top-up alone
    }

    [Fact]
    public async Task EveryStartedMinuteIsChargedOnceFromTheFirstQuestionTheCreatorEarningsItsShare()
    {
        var cloneId = await CloneAsync(new PricingInput(PerMinute: 20, Currency: "USD"));
        var (user, http) = await BuyerAsync(funds: 100);
        var sessionId = await StartAsync(http, cloneId);
        _time.Offset += TimeSpan.FromMinutes(3); // opened, not asked: the clock has not started

        Assert.Equal(HttpStatusCode.OK, (await AskAsync(http, sessionId, "q1")).StatusCode);
        Assert.Equal(80, await BalanceAsync(user.Id)); // the first minute, paid before the answer
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(http, sessionId, "q1")).StatusCode); // a retry is not charged again
        Assert.Equal(80, await BalanceAsync(user.Id));
        _time.Offset += TimeSpan.FromSeconds(61);
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(http, sessionId)).StatusCode);
        Assert.Equal(60, await BalanceAsync(user.Id)); // the second minute
        _time.Offset += TimeSpan.FromSeconds(10);
        var ended = await (await http.PostAsync($"/api/sessions/{sessionId}/end", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(40, ended.GetProperty("cost").GetProperty("amount").GetInt64());
        Assert.Equal(60, await BalanceAsync(user.Id)); // 71 s from the first question: both started minutes were paid already
        var usage = await Sessions.GetUsageAsync(sessionId);
        Assert.Equal([$"{sessionId}:minute:1", $"{sessionId}:minute:2"], usage.Where(u => u.Kind == UsageKinds.Minutes).Select(u => u.Id).Order(StringComparer.Ordinal));
        Assert.All(usage, u => Assert.NotNull(u.SettledAt));
        Assert.Equal(32, await Ledger.BalanceAsync(LedgerAccounts.Earnings(_creator.Id)) - await EarnedBeforeAsync(sessionId)); // 80 % of 40
        var charges = (await Ledger.TransactionsAsync(LedgerAccounts.Wallet(user.Id), 10)).Where(t => t.Type == LedgerTransactionTypes.SessionCharge).ToList();
        Assert.Equal(2, charges.Count);
        Assert.All(charges, t => Assert.Equal(0, t.Entries.Sum(e => e.Amount)));
    }

    /// <summary>What the creator earned from sessions other than this one (tests share the creator).</summary>
    private async Task<long> EarnedBeforeAsync(string sessionId) =>
        (await Ledger.TransactionsAsync(LedgerAccounts.Earnings(_creator.Id), 1000))
            .Where(t => t.References.GetValueOrDefault(LedgerPostings.References.Session) != sessionId)
            .Sum(t => t.Entries.Where(e => e.Account == LedgerAccounts.Earnings(_creator.Id)).Sum(e => e.Amount));

    [Fact]
    public async Task FreeMessagesComeFirstThenEachMessageIsOneCharge()
    {
        var cloneId = await CloneAsync(new PricingInput(PerMessage: 10, Currency: "USD", FreeMessages: 2));
        var (user, http) = await BuyerAsync(funds: 100);
        var sessionId = await StartAsync(http, cloneId);

        for (var i = 1; i <= 3; i++) Assert.Equal(HttpStatusCode.OK, (await AskAsync(http, sessionId, $"m{i}")).StatusCode);

        Assert.Equal(90, await BalanceAsync(user.Id));
        var usage = (await Sessions.GetUsageAsync(sessionId)).OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
        Assert.Equal([0L, 0L, 10L], usage.Select(u => u.Amount));
        Assert.Equal([0L, 0L, 10L], usage.Select(u => u.Charged ?? -1));
        var charge = Assert.Single(await Ledger.TransactionsAsync(LedgerAccounts.Wallet(user.Id), 10), t => t.Type == LedgerTransactionTypes.SessionCharge);
        Assert.Equal($"{sessionId}:message:m3", charge.IdempotencyKey);
    }

    [Fact]
    public async Task WhenTheWalletCannotPayTheNextMinuteTheAskIs402AndTheSessionEndsOutOfCredit()
    {
        var cloneId = await CloneAsync(new PricingInput(PerMinute: 20, Currency: "USD"));
        var (user, http) = await BuyerAsync(funds: 30);
        var sessionId = await StartAsync(http, cloneId);
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(http, sessionId)).StatusCode);
        Assert.Equal(10, await BalanceAsync(user.Id));
        _time.Offset += TimeSpan.FromSeconds(150); // minutes 2 and 3 have started: 40 due, 10 held

        var refused = await AskAsync(http, sessionId);

        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("/out-of-credit", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(30, problem.GetProperty("missing").GetInt64());
        Assert.Equal("USD", problem.GetProperty("currency").GetString());
        var session = await SessionAsync(http, sessionId);
        Assert.Equal("ended", session.GetProperty("status").GetString());
        Assert.Equal("out-of-credit", session.GetProperty("endReason").GetString());
        // Ending charged its started minutes with what the wallet held, and never below zero.
        Assert.Equal(0, await BalanceAsync(user.Id));
        Assert.Empty((await Ledger.CheckAsync()).NegativeWallets);
        Assert.Equal(HttpStatusCode.Conflict, (await AskAsync(http, sessionId)).StatusCode);
    }

    [Fact]
    public async Task AStreamedAskTheWalletCannotPayEndsWithAnOutOfCreditErrorFrame()
    {
        var cloneId = await CloneAsync(new PricingInput(PerMinute: 5, PerMessage: 20, Currency: "USD", FreeMessages: 1));
        var (_, http) = await BuyerAsync(funds: 10);
        var sessionId = await StartAsync(http, cloneId);
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(http, sessionId)).StatusCode); // free message, first minute: 5 left

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{sessionId}/messages")
        {
            Content = JsonContent.Create(new { content = "And the next?", clientMessageId = "paid-1" }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var streamed = await http.SendAsync(request);
        var body = await streamed.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", streamed.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single(body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("event: error\n", error, StringComparison.Ordinal);
        var frame = JsonDocument.Parse(error[(error.IndexOf("data: ", StringComparison.Ordinal) + 6)..]).RootElement;
        Assert.Equal("out-of-credit", frame.GetProperty("code").GetString());
        Assert.Equal("out-of-credit", (await SessionAsync(http, sessionId)).GetProperty("endReason").GetString());
    }

    [Fact]
    public async Task AnOwnersPreviewPostsNothingToTheLedger()
    {
        var cloneId = await CloneAsync(new PricingInput(PerMinute: 50, PerMessage: 10, Currency: "USD"));
        using var owner = _host.Client(_creator);
        var before = (await Ledger.CheckAsync()).Transactions;
        var sessionId = await StartAsync(owner, cloneId); // no money in the owner's wallet, and none needed

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await AskAsync(owner, sessionId)).StatusCode);
        _time.Offset += TimeSpan.FromMinutes(2);
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsync($"/api/sessions/{sessionId}/end", null)).StatusCode);

        Assert.Equal(before, (await Ledger.CheckAsync()).Transactions);
        Assert.Empty(await Ledger.TransactionsAsync(LedgerAccounts.Wallet(_creator.Id), 10));
        Assert.All(await Sessions.GetUsageAsync(sessionId), u => Assert.Equal(0, u.Amount));
    }

    [Fact]
    public async Task AnAdminRefundReversesEveryChargeOnceAndTheLedgerStaysBalanced()
    {
        var cloneId = await CloneAsync(new PricingInput(PerMinute: 20, PerMessage: 15, Currency: "USD"));
        var (user, http) = await BuyerAsync(funds: 200);
        var sessionId = await StartAsync(http, cloneId);
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(http, sessionId)).StatusCode);
        _time.Offset += TimeSpan.FromSeconds(65);
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(http, sessionId)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _admin.PostAsync($"/api/admin/sessions/{sessionId}/refund", null)).StatusCode); // still running
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/api/sessions/{sessionId}/end", null)).StatusCode);
        Assert.Equal(200 - 2 * 20 - 2 * 15, await BalanceAsync(user.Id));
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync($"/api/admin/sessions/{sessionId}/refund", null)).StatusCode);

        var first = await _admin.PostAsync($"/api/admin/sessions/{sessionId}/refund", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var refund = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(70, refund.GetProperty("amount").GetInt64());
        Assert.Equal("USD", refund.GetProperty("currency").GetString());
        Assert.Equal(4, refund.GetProperty("charges").GetArrayLength());
        Assert.Equal(200, await BalanceAsync(user.Id));
        var refunds = (await Ledger.TransactionsAsync(LedgerAccounts.Wallet(user.Id), 20)).Where(t => t.Type == LedgerTransactionTypes.Refund).ToList();
        Assert.Equal(4, refunds.Count);
        Assert.All(refunds, t => Assert.StartsWith("refund:" + sessionId + ":", t.IdempotencyKey, StringComparison.Ordinal));

        var again = await _admin.PostAsync($"/api/admin/sessions/{sessionId}/refund", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(refund.ToString(), (await again.Content.ReadFromJsonAsync<JsonElement>()).ToString());
        Assert.Equal(200, await BalanceAsync(user.Id));
        Assert.Equal(4, (await Ledger.TransactionsAsync(LedgerAccounts.Wallet(user.Id), 20)).Count(t => t.Type == LedgerTransactionTypes.Refund));

        var check = await _admin.GetFromJsonAsync<JsonElement>("/api/admin/ledger/check");
        Assert.True(check.GetProperty("balanced").GetBoolean());
        Assert.True(check.GetProperty("transactions").GetInt64() >= 9);
        Assert.True(check.GetProperty("accounts").GetInt64() >= 3);
        Assert.Empty(check.GetProperty("negativeWallets").EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/admin/ledger/check")).StatusCode);
    }

    [Fact]
    public async Task AUsageEventACrashLeftUnchargedIsChargedOnceByTheSweep()
    {
        var cloneId = await CloneAsync(new PricingInput(PerMinute: 25, Currency: "USD"));
        var (user, http) = await BuyerAsync(funds: 100);
        var sessionId = await StartAsync(http, cloneId);
        // As if the process died after storing the first minute's usage event and before posting its charge.
        var session = (await Sessions.GetAsync(sessionId))!;
        var at = _time.GetUtcNow().AddMinutes(-2);
        var stored = await Sessions.RecordUsageAsync(session with { ClockStartedAt = at, MinutesRecorded = 1 }, SessionCharges.Minutes(session, 1, 1, at));
        Assert.Equal(100, await BalanceAsync(user.Id));
        Assert.Single(await Sessions.ListUnsettledAsync(_time.GetUtcNow(), 100), u => u.SessionId == sessionId);

        var timer = ActivatorUtilities.CreateInstance<SessionTimer>(_host.Services);
        await timer.EndExpiredSessions(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);
        Assert.Equal(75, await BalanceAsync(user.Id));
        Assert.Equal(0, await _host.Services.GetRequiredService<SessionService>().SettleUsageAsync(TimeSpan.Zero));
        await timer.EndExpiredSessions(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);

        Assert.Equal(75, await BalanceAsync(user.Id));
        Assert.DoesNotContain(await Sessions.ListUnsettledAsync(_time.GetUtcNow(), 100), u => u.SessionId == sessionId);
        var minute = Assert.Single(await Sessions.GetUsageAsync(sessionId));
        Assert.Equal((25L, true), (minute.Charged ?? 0, minute.SettledAt is not null));
        Assert.Single(await Ledger.TransactionsAsync(LedgerAccounts.Wallet(user.Id), 10), t => t.IdempotencyKey == $"{sessionId}:minute:1");
        Assert.Equal(1, stored.MinutesRecorded);
    }
}
