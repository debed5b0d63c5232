using CloneAI.Core.Billing.Reports;
using CloneAI.Core.Billing;
using CloneAI.Core.Chat;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Core.Tests.Billing;

public sealed class LedgerStatementSourceTests
{
    private const string User = "user-1";
    private static readonly BillingOptions Billing = new();
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);

    private readonly InMemoryLedger _ledger = new();
    private readonly Mock<ISessionStore> _sessions = new();
    private readonly Dictionary<string, List<UsageEvent>> _usage = [];
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly LedgerStatementSource _source;

    public LedgerStatementSourceTests()
    {
        _sessions.Setup(s => s.GetUsageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => _usage.TryGetValue(id, out var events) ? [.. events] : []);
        _source = new LedgerStatementSource(_ledger, _sessions.Object, Options.Create(Billing), _clock);
    }

    private void Session(string id, string cloneName) =>
        _sessions.Setup(s => s.GetAsync(id, It.IsAny<CancellationToken>())).ReturnsAsync(new ChatSession
        {
            Id = id, UserId = User, CloneId = "clone-" + id, CloneName = cloneName, OwnerId = "creator-1",
        });

    private Task<LedgerPosting> TopUpAsync(string id, long amount, DateTimeOffset at, string user = User) =>
        _ledger.PostAsync(LedgerPostings.TopUp(id, user, amount, "USD", at));

    /// <summary>A charge for usage as the product records it: the event in the session store, the charge under its key.</summary>
    private async Task<LedgerTransaction> ChargeAsync(string session, string kind, long quantity, long amount, DateTimeOffset at, string? key = null)
    {
        var usage = new UsageEvent
        {
            Id = key ?? (kind == UsageKinds.Minutes ? $"{session}:minutes" : $"{session}:message:{Guid.NewGuid():N}"),
            SessionId = session, UserId = User, CloneId = "clone-" + session, OwnerId = "creator-1", Kind = kind, Quantity = quantity, Amount = amount,
            CreatedAt = at,
        };
        if (!_usage.TryGetValue(session, out var list)) _usage[session] = list = [];
        list.Add(usage);
        return (await _ledger.PostAsync(UsageCharges.Charge(usage, Billing, at)!)).Transaction;
    }

    private static DateTimeOffset At(int month, int day, int hour = 12, int minute = 0, int second = 0) =>
        new(2026, month, day, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public async Task AUserWithoutWalletHistoryHasNoStatements()
    {
        await TopUpAsync("t-other", 1000, At(11, 3), user: "someone-else");

        Assert.Empty(await _source.ListAsync(User));
        Assert.Null(await _source.GetAsync(User, "2026-11"));
        Assert.Null(await _source.GetAsync(User, "2026-12"));
    }

    [Fact]
    public async Task EachCalendarMonthInUtcIsOneStatementAndTheCurrentOneIsOpen()
    {
        Session("s1", "Ada");
        await TopUpAsync("t1", 2000, At(10, 31, 23, 59, 59));
        await ChargeAsync("s1", UsageKinds.Message, 1, 150, At(11, 1, 0, 0, 0));
        await ChargeAsync("s1", UsageKinds.Message, 1, 150, new DateTimeOffset(2026, 11, 30, 20, 0, 0, TimeSpan.FromHours(-5))); // 1 Dec 01:00 UTC

        var list = await _source.ListAsync(User);

        Assert.Equal(["2026-12", "2026-11", "2026-10"], list.Select(s => s.Id));
        Assert.Equal([InvoiceStatuses.Open, InvoiceStatuses.Closed, InvoiceStatuses.Closed], list.Select(s => s.Status));
        Assert.All(list, s => Assert.Equal(InvoiceKinds.Statement, s.Kind));
        Assert.All(list, s => Assert.Equal("USD", s.Currency));
        Assert.Equal([150L, 150L, 0L], list.Select(s => s.Total));
        var november = list[1];
        Assert.Equal(At(11, 1, 0), november.PeriodStart);
        Assert.Equal(At(12, 1, 0), november.PeriodEnd);
        Assert.Equal(november.PeriodEnd, november.IssuedAt);
        Assert.Equal(Now, list[0].IssuedAt);

        var october = await _source.GetAsync(User, "2026-10");
        var novemberDetail = await _source.GetAsync(User, "2026-11");
        var december = await _source.GetAsync(User, "2026-12");
        Assert.Equal(["Top-up"], october!.Lines.Select(l => l.Description));
        Assert.Equal((0L, 2000L), (october.OpeningBalance!.Value, october.ClosingBalance!.Value));
        Assert.Equal((2000L, 1850L), (novemberDetail!.OpeningBalance!.Value, novemberDetail.ClosingBalance!.Value));
        Assert.Equal((1850L, 1700L), (december!.OpeningBalance!.Value, december.ClosingBalance!.Value));
        Assert.Equal(await _ledger.BalanceAsync(LedgerAccounts.Wallet(User)), december.ClosingBalance);
    }

    [Fact]
    public async Task TheCurrentMonthIsListedOnceTheWalletHasAHistoryEvenWithoutActivity()
    {
        await TopUpAsync("t1", 500, At(9, 10));

        var list = await _source.ListAsync(User);
        var december = await _source.GetAsync(User, "2026-12");

        Assert.Equal(["2026-12", "2026-09"], list.Select(s => s.Id));
        Assert.Empty(december!.Lines);
        Assert.Equal((500L, 500L), (december.OpeningBalance!.Value, december.ClosingBalance!.Value));
        Assert.Null(await _source.GetAsync(User, "2026-10")); // a month without activity in between has no statement
    }

    [Fact]
    public async Task ASessionsChargesAreOneLineWithItsMinutesAndMessages()
    {
        Session("s1", "Ada Lovelace");
        Session("s2", "Grace");
        await TopUpAsync("t1", 5000, At(12, 1, 9));
        await ChargeAsync("s1", UsageKinds.Message, 1, 100, At(12, 2, 10, 1));
        await ChargeAsync("s2", UsageKinds.Message, 1, 40, At(12, 2, 10, 2));
        await ChargeAsync("s1", UsageKinds.Message, 1, 100, At(12, 2, 10, 3));
        await ChargeAsync("s1", UsageKinds.Minutes, 3, 90, At(12, 2, 10, 4));
        await ChargeAsync("s2", UsageKinds.Minutes, 1, 30, At(12, 2, 10, 5));

        var statement = await _source.GetAsync(User, "2026-12");

        Assert.Equal(["Top-up", "Session with Ada Lovelace: 3 minutes, 2 messages", "Session with Grace: 1 minute, 1 message"],
            statement!.Lines.Select(l => l.Description));
        Assert.Equal([5000L, -290L, -70L], statement.Lines.Select(l => l.Amount));
        Assert.Equal([null, "s1", "s2"], statement.Lines.Select(l => l.SessionId));
        Assert.Equal([InvoiceLineKinds.TopUp, InvoiceLineKinds.Session, InvoiceLineKinds.Session], statement.Lines.Select(l => l.Kind));
        Assert.Equal(At(12, 2, 10, 1), statement.Lines[1].At);
        Assert.Equal(360, statement.Summary.Total);
        Assert.Equal(5000 - 360, statement.ClosingBalance);
    }

    [Fact]
    public async Task ASessionThatSpansTwoMonthsIsOnEachMonthsStatementWithThatMonthsCharges()
    {
        Session("s1", "Ada");
        await TopUpAsync("t1", 1000, At(11, 30, 23));
        await ChargeAsync("s1", UsageKinds.Message, 1, 100, At(11, 30, 23, 59));
        await ChargeAsync("s1", UsageKinds.Message, 1, 100, At(12, 1, 0, 0, 1));
        await ChargeAsync("s1", UsageKinds.Minutes, 2, 60, At(12, 1, 0, 1));

        var november = await _source.GetAsync(User, "2026-11");
        var december = await _source.GetAsync(User, "2026-12");

        Assert.Equal("Session with Ada: 1 message", november!.Lines[1].Description);
        Assert.Equal(["Session with Ada: 2 minutes, 1 message"], december!.Lines.Select(l => l.Description));
        Assert.Equal(-160, december.Lines[0].Amount);
        Assert.Equal(november.ClosingBalance, december.OpeningBalance);
    }

    [Fact]
    public async Task ARefundIsItsOwnLineAndComesOffTheTotal()
    {
        Session("s1", "Ada");
        await TopUpAsync("t1", 1000, At(12, 1));
        var first = await ChargeAsync("s1", UsageKinds.Message, 1, 200, At(12, 2));
        await ChargeAsync("s1", UsageKinds.Minutes, 4, 120, At(12, 2, 12, 5));
        await _ledger.PostAsync(LedgerPostings.Refund(first, At(12, 3)));

        var statement = await _source.GetAsync(User, "2026-12");
        var listed = (await _source.ListAsync(User)).Single();

        Assert.Equal(["Top-up", "Session with Ada: 4 minutes, 1 message", "Refund of the session with Ada: 1 message"],
            statement!.Lines.Select(l => l.Description));
        Assert.Equal([1000L, -320L, 200L], statement.Lines.Select(l => l.Amount));
        Assert.Equal(InvoiceLineKinds.Refund, statement.Lines[2].Kind);
        Assert.Equal(120, statement.Summary.Total);
        Assert.Equal(120, listed.Total);
        Assert.Equal(880, statement.ClosingBalance);
        Assert.Equal(await _ledger.BalanceAsync(LedgerAccounts.Wallet(User)), statement.ClosingBalance);
    }

    [Fact]
    public async Task AdjustmentsAndUnknownSessionsStillBalance()
    {
        await TopUpAsync("t1", 1000, At(12, 1));
        await _ledger.PostAsync(new LedgerTransaction("adj", "adjust-1", LedgerTransactionTypes.Adjustment, "USD",
            [new(LedgerAccounts.Wallet(User), 50), new(LedgerAccounts.PlatformRevenue, -50)], new Dictionary<string, string>(), At(12, 2)));
        // A charge whose session and usage event the store does not know (say, a future kind of charge): a message by its key.
        await ChargeAsync("gone1234567", UsageKinds.Message, 1, 75, At(12, 3), key: "gone1234567:message:x");
        _usage.Clear();

        var statement = await _source.GetAsync(User, "2026-12");

        Assert.Equal(["Top-up", "Adjustment", "Session with session gone1234: 1 message"], statement!.Lines.Select(l => l.Description));
        Assert.Equal(975, statement.ClosingBalance);
        Assert.Equal(75, statement.Summary.Total);
    }

    [Theory]
    [InlineData("2027-01")] // the future
    [InlineData("2026-13")]
    [InlineData("2026-1")]
    [InlineData("202612")]
    [InlineData("../2026-12")]
    [InlineData("")]
    public async Task AnIdThatIsNotAMonthWithAStatementIsNotFound(string id)
    {
        await TopUpAsync("t1", 1000, At(12, 1));

        Assert.Null(await _source.GetAsync(User, id));
    }

    [Fact]
    public async Task AnotherUsersMonthIsNotMine()
    {
        await TopUpAsync("t1", 1000, At(11, 1), user: "someone-else");
        await TopUpAsync("t2", 300, At(12, 1));

        Assert.Null(await _source.GetAsync(User, "2026-11"));
        var mine = await _source.GetAsync(User, "2026-12");
        Assert.Equal(0, mine!.OpeningBalance);
        Assert.Equal(300, mine.ClosingBalance);
    }

    [Fact]
    public void TheNumberNamesTheMonthAndAShortHashOfTheUser()
    {
        var number = LedgerStatementSource.Number("user-1", At(12, 6));

        Assert.Matches("^ST-2026-12-[0-9A-F]{6}$", number);
        Assert.Equal(number[11..], LedgerStatementSource.Number("user-1", At(3, 1))[11..]);
        Assert.NotEqual(number, LedgerStatementSource.Number("user-2", At(12, 6)));
    }
}
