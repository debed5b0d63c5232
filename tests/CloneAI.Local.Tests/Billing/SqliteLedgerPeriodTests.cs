using CloneAI.Core.Billing.Reports;
using CloneAI.Core.Billing;
using CloneAI.Core.Chat;
using CloneAI.Local.Billing;
using CloneAI.Local.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Local.Tests.Billing;

/// <summary>The ledger read by time, as statements read it: a period's transactions and the balance when it began.</summary>
public sealed class SqliteLedgerPeriodTests : IDisposable
{
    private static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cloneai-ledger-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteLedger _ledger;

    public SqliteLedgerPeriodTests() => _ledger = new(new SqliteDatabase(Path.Combine(_dir, "cloneai.db"), NullLogger<SqliteDatabase>.Instance));

    public void Dispose()
    {
        _ledger.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>Only the members every ledger writes, so <see cref="ILedger"/>'s default implementations answer.</summary>
    private sealed class Defaults(ILedger inner) : ILedger
    {
        public Task<LedgerPosting> PostAsync(LedgerTransaction transaction, CancellationToken cancellationToken = default) => inner.PostAsync(transaction, cancellationToken);
        public Task<long> BalanceAsync(string account, CancellationToken cancellationToken = default) => inner.BalanceAsync(account, cancellationToken);
        public Task<IReadOnlyList<LedgerTransaction>> TransactionsAsync(string account, int limit, CancellationToken cancellationToken = default) =>
            inner.TransactionsAsync(account, limit, cancellationToken);
        public Task<LedgerCheck> CheckAsync(CancellationToken cancellationToken = default) => inner.CheckAsync(cancellationToken);
    }

    private Task<LedgerPosting> TopUpAsync(string id, string user, long amount, DateTimeOffset at) =>
        _ledger.PostAsync(LedgerPostings.TopUp(id, user, amount, "USD", at));

    private Task<LedgerPosting> ChargeAsync(string key, string user, long amount, DateTimeOffset at) =>
        _ledger.PostAsync(UsageCharges.Charge(new UsageEvent
        {
            Id = key, SessionId = key.Split(':')[0], UserId = user, CloneId = "c1", OwnerId = "k1", Kind = UsageKinds.Message, Quantity = 1, Amount = amount,
        }, new BillingOptions(), at)!);

    private async Task PostHistoryAsync()
    {
        await TopUpAsync("t1", "u1", 1_000, December.AddDays(-3));
        await TopUpAsync("t2", "u2", 5_000, December.AddDays(-2)); // another wallet
        await ChargeAsync("s1:message:a", "u1", 100, December.AddMilliseconds(-1));
        await ChargeAsync("s1:message:b", "u1", 200, December);
        // Posted late with an earlier time: read by time, it comes first.
        await TopUpAsync("t3", "u1", 300, December.AddHours(1));
        await ChargeAsync("s1:message:c", "u1", 50, December.AddMinutes(30));
        await ChargeAsync("s2:message:a", "u1", 10, December.AddMonths(1));
    }

    [Fact]
    public async Task APeriodsTransactionsAreThoseOfTheAccountFromItsStartUntilItsEndOldestFirst()
    {
        await PostHistoryAsync();

        var december = await _ledger.TransactionsBetweenAsync(LedgerAccounts.Wallet("u1"), December, December.AddMonths(1));
        var november = await _ledger.TransactionsBetweenAsync(LedgerAccounts.Wallet("u1"), December.AddMonths(-1), December);

        Assert.Equal(["s1:message:b", "s1:message:c", "top-up:t3"], december.Select(t => t.IdempotencyKey));
        Assert.Equal(["top-up:t1", "s1:message:a"], november.Select(t => t.IdempotencyKey));
        Assert.Equal(7, (await _ledger.TransactionsBetweenAsync(LedgerAccounts.PaymentsClearing, DateTimeOffset.MinValue, DateTimeOffset.MaxValue)).Count
            + (await _ledger.TransactionsBetweenAsync(LedgerAccounts.PlatformRevenue, DateTimeOffset.MinValue, DateTimeOffset.MaxValue)).Count);
    }

    [Fact]
    public async Task TheBalanceAtAnInstantCountsOnlyWhatCameBefore()
    {
        await PostHistoryAsync();
        var wallet = LedgerAccounts.Wallet("u1");

        Assert.Equal(0, await _ledger.BalanceAtAsync(wallet, December.AddDays(-3)));
        Assert.Equal(1_000, await _ledger.BalanceAtAsync(wallet, December.AddDays(-3).AddMilliseconds(1)));
        Assert.Equal(900, await _ledger.BalanceAtAsync(wallet, December));
        Assert.Equal(950, await _ledger.BalanceAtAsync(wallet, December.AddMonths(1)));
        Assert.Equal(await _ledger.BalanceAsync(wallet), await _ledger.BalanceAtAsync(wallet, DateTimeOffset.MaxValue));
        Assert.Equal(5_000, await _ledger.BalanceAtAsync(LedgerAccounts.Wallet("u2"), December));
    }

    [Fact]
    public async Task TheSqliteQueriesAnswerAsTheInterfacesDefaultImplementationsDo()
    {
        await PostHistoryAsync();
        ILedger defaults = new Defaults(_ledger);
        var instants = new[] { DateTimeOffset.MinValue, December.AddDays(-3), December.AddMilliseconds(-1), December, December.AddMinutes(30), December.AddMonths(1), DateTimeOffset.MaxValue };

        foreach (var account in new[] { LedgerAccounts.Wallet("u1"), LedgerAccounts.Wallet("u2"), LedgerAccounts.PlatformRevenue, LedgerAccounts.Earnings("k1") })
        {
            foreach (var from in instants)
            {
                Assert.Equal(await defaults.BalanceAtAsync(account, from), await _ledger.BalanceAtAsync(account, from));
                foreach (var until in instants.Where(i => i > from))
                {
                    Assert.Equal((await defaults.TransactionsBetweenAsync(account, from, until)).Select(t => t.Id),
                        (await _ledger.TransactionsBetweenAsync(account, from, until)).Select(t => t.Id));
                }
            }
        }
    }

    [Fact]
    public async Task AStatementFromTheSqliteLedgerBalancesWithIt()
    {
        await PostHistoryAsync();
        var sessions = new Mock<ISessionStore>();
        sessions.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new ChatSession { Id = id, UserId = "u1", CloneId = "c1", CloneName = "Ada", OwnerId = "k1" });
        sessions.Setup(s => s.GetUsageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var source = new LedgerStatementSource(_ledger, sessions.Object, Options.Create(new BillingOptions()), new FakeTimeProvider(December.AddMonths(1).AddDays(2)));

        var list = await source.ListAsync("u1");
        var december = await source.GetAsync("u1", "2026-12");

        Assert.Equal(["2027-01", "2026-12", "2026-11"], list.Select(s => s.Id));
        Assert.Equal(["Session with Ada: 2 messages", "Top-up"], december!.Lines.Select(l => l.Description));
        Assert.Equal([-250L, 300L], december.Lines.Select(l => l.Amount));
        Assert.Equal(900, december.OpeningBalance);
        Assert.Equal(await _ledger.BalanceAtAsync(LedgerAccounts.Wallet("u1"), December.AddMonths(1)), december.ClosingBalance);
        Assert.Equal(250, december.Summary.Total);
    }
}
