using CloneAI.Core.Billing;
using CloneAI.Core.Errors;
using CloneAI.Local.Billing;
using CloneAI.Local.Sqlite;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloneAI.Local.Tests.Billing;

/// <summary>The ledger on a real SQLite file: exact balances under concurrency, one transaction per key, no negative wallet.</summary>
public sealed class SqliteLedgerTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cloneai-ledger-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private SqliteLedger NewLedger(string name = "cloneai.db") =>
        new(new SqliteDatabase(Path.Combine(_dir, name), NullLogger<SqliteDatabase>.Instance));

    private static LedgerTransaction TopUp(string key, string user, long amount) =>
        new(Guid.NewGuid().ToString("N"), key, LedgerTransactionTypes.TopUp, "USD",
            [new(LedgerAccounts.Wallet(user), amount), new(LedgerAccounts.PaymentsClearing, -amount)],
            new Dictionary<string, string> { ["topUp"] = key }, At);

    /// <summary>A session charge: the wallet pays, the creator earns 80 %, the platform keeps the rest.</summary>
    private static LedgerTransaction Charge(string key, string user, string creator, long amount)
    {
        var share = amount * 80 / 100;
        // No entry is zero: a charge of 1 cent leaves the creator's 80 % at 0, so it all goes to the platform (as LedgerPostings.Charge does).
        List<LedgerEntry> entries = [new(LedgerAccounts.Wallet(user), -amount)];
        if (share != 0) entries.Add(new(LedgerAccounts.Earnings(creator), share));
        if (amount - share != 0) entries.Add(new(LedgerAccounts.PlatformRevenue, amount - share));
        return new(Guid.NewGuid().ToString("N"), key, LedgerTransactionTypes.SessionCharge, "USD", entries,
            new Dictionary<string, string> { ["usageEvent"] = key }, At);
    }

    [Fact]
    public async Task ATopUpAndAChargeMoveExactlyTheirAmountsAndTheLedgerBalances()
    {
        using var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 1_000));
        var posted = await ledger.PostAsync(Charge("c1", "u1", "k1", 250));

        Assert.True(posted.Created);
        Assert.Equal(750, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
        Assert.Equal(200, await ledger.BalanceAsync(LedgerAccounts.Earnings("k1")));
        Assert.Equal(50, await ledger.BalanceAsync(LedgerAccounts.PlatformRevenue));
        Assert.Equal(-1_000, await ledger.BalanceAsync(LedgerAccounts.PaymentsClearing));
        Assert.Equal(["c1", "t1"], (await ledger.TransactionsAsync(LedgerAccounts.Wallet("u1"), 10)).Select(t => t.IdempotencyKey));
        var check = await ledger.CheckAsync();
        Assert.True(check.Balanced);
        Assert.Equal(2, check.Transactions);
        Assert.Empty(check.NegativeWallets);
    }

    [Fact]
    public async Task TwoHundredConcurrentChargesWithDistinctKeysLeaveTheBalanceExactToTheCent()
    {
        using var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 100_000));

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => ledger.PostAsync(Charge($"c{i}", "u1", "k1", 7 + i % 5)))));

        var spent = Enumerable.Range(0, 200).Sum(i => 7L + i % 5);
        Assert.Equal(100_000 - spent, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
        var earned = Enumerable.Range(0, 200).Sum(i => (7L + i % 5) * 80 / 100);
        Assert.Equal(earned, await ledger.BalanceAsync(LedgerAccounts.Earnings("k1")));
        Assert.Equal(spent - earned, await ledger.BalanceAsync(LedgerAccounts.PlatformRevenue));
        Assert.True((await ledger.CheckAsync()).Balanced);
    }

    [Fact]
    public async Task TheSameKeyTwentyTimesAtOnceIsChargedOnce()
    {
        using var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 1_000));

        var postings = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => ledger.PostAsync(Charge("usage:s1:m1", "u1", "k1", 100)))));

        Assert.Single(postings, p => p.Created);
        Assert.Single(postings.Select(p => p.Transaction.Id).Distinct());
        Assert.Equal(900, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
        Assert.Equal(2, (await ledger.CheckAsync()).Transactions);
    }

    [Fact]
    public async Task AKeyUsedForADifferentTransactionIsAConflictAndChangesNothing()
    {
        using var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 1_000));
        await ledger.PostAsync(Charge("c1", "u1", "k1", 100));

        await Assert.ThrowsAsync<ConflictException>(() => ledger.PostAsync(Charge("c1", "u1", "k1", 300)));

        Assert.Equal(900, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
    }

    [Fact]
    public async Task AWalletNeverGoesBelowZeroAndARefusedChargeWritesNothing()
    {
        using var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 120));

        var refused = await Assert.ThrowsAsync<InsufficientFundsException>(() => ledger.PostAsync(Charge("c1", "u1", "k1", 200)));

        Assert.Equal(80, refused.Missing);
        Assert.Equal(402, refused.Status);
        Assert.Equal(120, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
        Assert.Equal(0, await ledger.BalanceAsync(LedgerAccounts.Earnings("k1")));
        Assert.Equal(1, (await ledger.CheckAsync()).Transactions);
        // The key was not used: the same charge, once it can be paid, goes through.
        await ledger.PostAsync(TopUp("t2", "u1", 100));
        Assert.True((await ledger.PostAsync(Charge("c1", "u1", "k1", 200))).Created);
    }

    [Theory]
    [InlineData(new long[] { 100, -90 })] // does not sum to zero
    [InlineData(new long[] { 100 })] // one leg
    [InlineData(new long[] { 0, 0 })] // zero legs
    public async Task AnUnbalancedTransactionIsRefusedAndWritesNothing(long[] amounts)
    {
        using var ledger = NewLedger();
        var accounts = new[] { LedgerAccounts.Wallet("u1"), LedgerAccounts.PaymentsClearing };
        var bad = new LedgerTransaction("x", "bad", LedgerTransactionTypes.Adjustment, "USD",
            amounts.Select((a, i) => new LedgerEntry(accounts[i], a)).ToList(), new Dictionary<string, string>(), At);

        await Assert.ThrowsAsync<ValidationException>(() => ledger.PostAsync(bad));

        Assert.Equal(0, (await ledger.CheckAsync()).Transactions);
    }

    [Fact]
    public void TransactionsNameKnownAccountsTypesAndCurrencies()
    {
        var good = TopUp("t1", "u1", 5);
        Assert.Empty(good.Problems());
        Assert.NotEmpty((good with { Type = "gift" }).Problems());
        Assert.NotEmpty((good with { Currency = "usd" }).Problems());
        Assert.NotEmpty((good with { Entries = [new("bank:1", 5), new(LedgerAccounts.PaymentsClearing, -5)] }).Problems());
        Assert.NotEmpty((good with { Entries = [new(LedgerAccounts.Wallet("u"), long.MaxValue), new(LedgerAccounts.Wallet("v"), long.MaxValue), new(LedgerAccounts.PaymentsClearing, 2)] }).Problems());
    }

    /// <summary>One step of a random history: 0 top-up, 1 charge, 2 refund of an earlier charge, 3 payout.</summary>
    private sealed record Step(int Kind, int User, int Creator, long Amount, int Pick);

    [Fact]
    public void AnyHistoryOfTopUpsChargesRefundsAndPayoutsKeepsTheBooks()
    {
        var step = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 1], Gen.Long[1, 3_000], Gen.Int[0, 1_000], (k, u, c, a, p) => new Step(k, u, c, a, p));
        // CsCheck runs samples on several threads: each gets a database of its own.
        step.Array[1, 30].Sample(steps => RunHistory(steps, Guid.NewGuid().ToString("N")).GetAwaiter().GetResult(), iter: 25);
    }

    private async Task RunHistory(Step[] steps, string sample)
    {
        using var ledger = NewLedger($"history-{sample}.db");
        var wallets = new long[3];
        var earnings = new long[2];
        var charges = new List<(int User, int Creator, long Amount, bool Refunded)>();
        for (var i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            var key = $"k{i}";
            switch (s.Kind)
            {
                case 0:
                    await ledger.PostAsync(TopUp(key, $"u{s.User}", s.Amount));
                    wallets[s.User] += s.Amount;
                    break;
                case 1 when wallets[s.User] < s.Amount:
                    await Assert.ThrowsAsync<InsufficientFundsException>(() => ledger.PostAsync(Charge(key, $"u{s.User}", $"c{s.Creator}", s.Amount)));
                    break;
                case 1:
                    await ledger.PostAsync(Charge(key, $"u{s.User}", $"c{s.Creator}", s.Amount));
                    wallets[s.User] -= s.Amount;
                    earnings[s.Creator] += s.Amount * 80 / 100;
                    charges.Add((s.User, s.Creator, s.Amount, false));
                    break;
                case 2 when charges.Count > 0 && !charges[s.Pick % charges.Count].Refunded:
                {
                    // A refund reverses every leg of the charge.
                    var index = s.Pick % charges.Count;
                    var (user, creator, amount, _) = charges[index];
                    var reversed = Charge("r", $"u{user}", $"c{creator}", amount).Entries.Select(e => e with { Amount = -e.Amount }).ToList();
                    await ledger.PostAsync(new LedgerTransaction(Guid.NewGuid().ToString("N"), key, LedgerTransactionTypes.Refund, "USD", reversed,
                        new Dictionary<string, string> { ["charge"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture) }, At));
                    wallets[user] += amount;
                    earnings[creator] -= amount * 80 / 100;
                    charges[index] = (user, creator, amount, true);
                    break;
                }
                case 3 when earnings[s.Creator] >= s.Amount:
                    await ledger.PostAsync(new LedgerTransaction(Guid.NewGuid().ToString("N"), key, LedgerTransactionTypes.Payout, "USD",
                        [new(LedgerAccounts.Earnings($"c{s.Creator}"), -s.Amount), new(LedgerAccounts.PayoutsClearing, s.Amount)],
                        new Dictionary<string, string>(), At));
                    earnings[s.Creator] -= s.Amount;
                    break;
            }
        }
        var check = await ledger.CheckAsync();
        Assert.True(check.Balanced, "every transaction sums to zero and every balance equals its entries");
        Assert.Empty(check.NegativeWallets);
        for (var u = 0; u < 3; u++) Assert.Equal(wallets[u], await ledger.BalanceAsync(LedgerAccounts.Wallet($"u{u}")));
        // Earnings: the creator's share of the charges, minus refunds and payouts.
        for (var c = 0; c < 2; c++) Assert.Equal(earnings[c], await ledger.BalanceAsync(LedgerAccounts.Earnings($"c{c}")));
    }
}
