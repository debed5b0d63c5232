using System.Text.Json.Nodes;
using CloneAI.Azure.Billing;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Billing;
using CloneAI.Core.Errors;
using CsCheck;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Azure.Tests.Cosmos;

/// <summary>
/// The Cosmos ledger on an <see cref="InMemoryContainer"/> with Cosmos's semantics (ETags, 409 on an existing id, 412 on a
/// stale If-Match, all-or-nothing batches): exact balances under concurrency, one transaction per key, no negative wallet,
/// and a crash between the payer's batch and the other legs that the sweep repairs without losing or doubling a cent.
/// </summary>
public sealed class CosmosLedgerTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(At);
    private readonly InMemoryContainer _container = NewContainer();

    private static InMemoryContainer NewContainer() => new("account",
        typeof(LedgerTransactionDocument), typeof(LedgerEntryDocument), typeof(LedgerPendingDocument), typeof(LedgerBalanceDocument), typeof(long?));

    private CosmosLedger NewLedger(InMemoryContainer? container = null) => new((container ?? _container).Object, _time);

    private static LedgerTransaction TopUp(string key, string user, long amount) =>
        new(Guid.NewGuid().ToString("N"), key, LedgerTransactionTypes.TopUp, "USD",
            [new(LedgerAccounts.Wallet(user), amount), new(LedgerAccounts.PaymentsClearing, -amount)],
            new Dictionary<string, string> { ["topUp"] = key }, At);

    /// <summary>A session charge: the wallet pays, the creator earns 80 %, the platform keeps the rest.</summary>
    private static LedgerTransaction Charge(string key, string user, string creator, long amount)
    {
        var share = amount * 80 / 100;
        List<LedgerEntry> entries = [new(LedgerAccounts.Wallet(user), -amount), new(LedgerAccounts.Earnings(creator), share)];
        if (amount - share != 0) entries.Add(new(LedgerAccounts.PlatformRevenue, amount - share));
        return new(Guid.NewGuid().ToString("N"), key, LedgerTransactionTypes.SessionCharge, "USD", entries,
            new Dictionary<string, string> { ["usageEvent"] = key }, At);
    }

    [Fact]
    public async Task AnAccountsTransactionsArePagedNewestFirstToAnyDepthAndReadByPeriod()
    {
        var ledger = NewLedger();
        const int count = 1_050; // deeper than one query's TOP 1000
        for (var i = 0; i < count; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            await ledger.PostAsync(TopUp($"deep-{i}", "u1", 1) with { CreatedAt = _time.GetUtcNow() });
        }

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await ((ILedger)ledger).TransactionsPageAsync(LedgerAccounts.Wallet("u1"), 100, token);
            seen.AddRange(page.Items.Select(t => t.IdempotencyKey));
            token = page.ContinuationToken;
        } while (token is not null);
        Assert.Equal(Enumerable.Range(0, count).Reverse().Select(i => $"deep-{i}").ToList(), seen);

        // The first ten minutes' top-ups, oldest first, found under a thousand newer ones.
        var first = await ((ILedger)ledger).TransactionsBetweenAsync(LedgerAccounts.Wallet("u1"), At, At.AddMinutes(10).AddSeconds(1));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"deep-{i}").ToList(), first.Select(t => t.IdempotencyKey).ToList());
        Assert.Equal(10, await ((ILedger)ledger).BalanceAtAsync(LedgerAccounts.Wallet("u1"), At.AddMinutes(10).AddSeconds(1)));
    }

    [Fact]
    public async Task ATopUpAndAChargeMoveExactlyTheirAmountsAndTheLedgerBalances()
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 1_000));
        var posted = await ledger.PostAsync(Charge("c1", "u1", "k1", 250));

        Assert.True(posted.Created);
        Assert.Equal(750, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
        Assert.Equal(200, await ledger.BalanceAsync(LedgerAccounts.Earnings("k1")));
        Assert.Equal(50, await ledger.BalanceAsync(LedgerAccounts.PlatformRevenue));
        Assert.Equal(-1_000, await ledger.BalanceAsync(LedgerAccounts.PaymentsClearing));
        Assert.Equal(0, await ledger.BalanceAsync(LedgerAccounts.PayoutsClearing));
        Assert.Equal(["c1", "t1"], (await ledger.TransactionsAsync(LedgerAccounts.Wallet("u1"), 10)).Select(t => t.IdempotencyKey));
        Assert.Equal(["c1"], (await ledger.TransactionsAsync(LedgerAccounts.Wallet("u1"), 1)).Select(t => t.IdempotencyKey));
        Assert.Equal(["t1"], (await ledger.TransactionsAsync(LedgerAccounts.PaymentsClearing, 10)).Select(t => t.IdempotencyKey));
        var check = await ledger.CheckAsync();
        Assert.True(check.Balanced);
        Assert.Equal(2, check.Transactions);
        Assert.Equal(4, check.Accounts); // payouts:clearing has no entry yet
        Assert.Empty(check.NegativeWallets);
        Assert.Empty(_container.Documents(LedgerDocuments.PendingKind)); // every leg posted, every marker cleared
    }

    [Fact]
    public async Task TheChargeIsOneBatchInTheWalletsPartitionGuardedByTheBalancesETagAndTheOtherLegsGoToTheirOwnPartitions()
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 1_000));
        var before = _container.Batches.Count;

        await ledger.PostAsync(Charge("c1", "u1", "k1", 250));

        var hash = LedgerDocuments.KeyHash("c1");
        var payer = _container.Batches[before];
        Assert.Equal(InMemoryContainer.Partition(LedgerAccounts.Wallet("u1")), payer.Partition);
        Assert.True(payer.Committed);
        Assert.Equal([$"create:tx:{hash}", $"create:entry:{hash}", $"create:pending:{hash}", "replace:balance:if-match"], payer.Operations);
        Assert.Single(_container.Batches.Skip(before)); // earnings and revenue are no wallets: plain creates, no balance document
        Assert.Equal([LedgerAccounts.Wallet("u1")], _container.Documents(LedgerDocuments.BalanceKind).Select(d => (string)d["account"]!));
        var entries = _container.Documents(LedgerDocuments.EntryKind).Where(e => (string)e["idempotencyKey"]! == "c1").ToList();
        Assert.Equal(
            [(LedgerAccounts.Earnings("k1"), 200L), (LedgerAccounts.PlatformRevenue, 50L), (LedgerAccounts.Wallet("u1"), -250L)],
            entries.Select(e => ((string)e["account"]!, (long)e["amount"]!)).Order());
        Assert.Equal(["tx:" + hash], _container.Documents(LedgerDocuments.TransactionKind)
            .Where(d => (string)d["account"]! == LedgerAccounts.Wallet("u1")).Select(d => (string)d["id"]!));
    }

    [Fact]
    public async Task ABalanceMovedByAnotherWriterIsA412AndTheChargeIsRetriedOnTheNewBalance()
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 1_000));
        var wallet = InMemoryContainer.Partition(LedgerAccounts.Wallet("u1"));
        var touched = false;
        _container.Fault = (operation, partition) =>
        {
            if (operation == "batch" && partition == wallet && !touched)
            {
                touched = true;
                _container.Touch(wallet, LedgerDocuments.BalanceId); // another writer got there between the read and the batch
            }
            return null;
        };

        await ledger.PostAsync(Charge("c1", "u1", "k1", 100));

        var tries = _container.Batches.Where(b => b.Partition == wallet && b.Operations.Contains($"create:tx:{LedgerDocuments.KeyHash("c1")}")).ToList();
        Assert.Equal([false, true], tries.Select(b => b.Committed));
        Assert.Equal(900, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
        Assert.True((await ledger.CheckAsync()).Balanced);
    }

    [Fact]
    public async Task TwoHundredConcurrentChargesWithDistinctKeysLeaveTheBalanceExactToTheCent()
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 100_000));

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => ledger.PostAsync(Charge($"c{i}", "u1", "k1", 7 + i % 5)))));

        var spent = Enumerable.Range(0, 200).Sum(i => 7L + i % 5);
        Assert.Equal(100_000 - spent, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
        var earned = Enumerable.Range(0, 200).Sum(i => (7L + i % 5) * 80 / 100);
        Assert.Equal(earned, await ledger.BalanceAsync(LedgerAccounts.Earnings("k1")));
        Assert.Equal(spent - earned, await ledger.BalanceAsync(LedgerAccounts.PlatformRevenue));
        var check = await ledger.CheckAsync();
        Assert.True(check.Balanced);
        Assert.Equal(201, check.Transactions);
    }

    [Fact]
    public async Task TheSameKeyTwentyTimesAtOnceIsChargedOnce()
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 1_000));

        var postings = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => ledger.PostAsync(Charge("usage:s1:m1", "u1", "k1", 100)))));

        Assert.Single(postings, p => p.Created);
        Assert.Single(postings.Select(p => p.Transaction.Id).Distinct());
        Assert.Equal(900, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
        Assert.Equal(80, await ledger.BalanceAsync(LedgerAccounts.Earnings("k1")));
        Assert.Equal(20, await ledger.BalanceAsync(LedgerAccounts.PlatformRevenue));
        var check = await ledger.CheckAsync();
        Assert.Equal(2, check.Transactions);
        Assert.True(check.Balanced);
    }

    [Fact]
    public async Task ARetryAfterTheChargeEmptiedTheWalletGetsTheFirstPostNotInsufficientFunds()
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 100));
        var first = await ledger.PostAsync(Charge("c1", "u1", "k1", 100));

        var again = await ledger.PostAsync(Charge("c1", "u1", "k1", 100));

        Assert.False(again.Created);
        Assert.Equal(first.Transaction.Id, again.Transaction.Id);
        Assert.Equal(0, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
    }

    [Fact]
    public async Task AKeyUsedForADifferentTransactionIsAConflictAndChangesNothing()
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 1_000));
        await ledger.PostAsync(Charge("c1", "u1", "k1", 100));

        await Assert.ThrowsAsync<ConflictException>(() => ledger.PostAsync(Charge("c1", "u1", "k1", 300)));

        Assert.Equal(900, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
        Assert.Equal(80, await ledger.BalanceAsync(LedgerAccounts.Earnings("k1")));
    }

    [Fact]
    public async Task AWalletNeverGoesBelowZeroAndARefusedChargeWritesNothing()
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 120));
        var documents = _container.Documents().Select(d => d.ToJsonString()).Order().ToList();

        var refused = await Assert.ThrowsAsync<InsufficientFundsException>(() => ledger.PostAsync(Charge("c1", "u1", "k1", 200)));

        Assert.Equal(80, refused.Missing);
        Assert.Equal(LedgerAccounts.Wallet("u1"), refused.Account);
        Assert.Equal(402, refused.Status);
        Assert.Equal(documents, _container.Documents().Select(d => d.ToJsonString()).Order());
        Assert.Equal(120, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
        Assert.Equal(0, await ledger.BalanceAsync(LedgerAccounts.Earnings("k1")));
        Assert.Equal(1, (await ledger.CheckAsync()).Transactions);
        // The key was not used: the same charge, once it can be paid, goes through.
        await ledger.PostAsync(TopUp("t2", "u1", 100));
        Assert.True((await ledger.PostAsync(Charge("c1", "u1", "k1", 200))).Created);
        Assert.Equal(20, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
    }

    [Theory]
    [InlineData(new long[] { 100, -90 })] // does not sum to zero
    [InlineData(new long[] { 100 })] // one leg
    [InlineData(new long[] { 0, 0 })] // zero legs
    public async Task AnUnbalancedTransactionIsRefusedAndWritesNothing(long[] amounts)
    {
        var ledger = NewLedger();
        var accounts = new[] { LedgerAccounts.Wallet("u1"), LedgerAccounts.PaymentsClearing };
        var bad = new LedgerTransaction("x", "bad", LedgerTransactionTypes.Adjustment, "USD",
            amounts.Select((a, i) => new LedgerEntry(accounts[i], a)).ToList(), new Dictionary<string, string>(), At);

        await Assert.ThrowsAsync<ValidationException>(() => ledger.PostAsync(bad));

        Assert.Empty(_container.Documents());
        Assert.Equal(0, (await ledger.CheckAsync()).Transactions);
    }

    [Fact]
    public async Task ATransactionTakingFromTwoWalletsIsRefused()
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 100));
        await ledger.PostAsync(TopUp("t2", "u2", 100));
        var twoWallets = new LedgerTransaction("x", "adj", LedgerTransactionTypes.Adjustment, "USD",
            [new(LedgerAccounts.Wallet("u1"), -10), new(LedgerAccounts.Wallet("u2"), -10), new(LedgerAccounts.PlatformRevenue, 20)],
            new Dictionary<string, string>(), At);

        var e = await Assert.ThrowsAsync<ValidationException>(() => ledger.PostAsync(twoWallets));

        Assert.Contains("one wallet", e.Errors["transaction"].Single(), StringComparison.Ordinal);
        Assert.Equal(100, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
    }

    [Theory]
    [InlineData("charge", "earnings")] // the crash comes before any other leg
    [InlineData("charge", "revenue")] // after the creator's leg, before the platform's
    [InlineData("charge", "marker")] // every leg in, the marker not yet cleared
    [InlineData("top-up", "wallet")] // a top-up: payments:clearing pays, the wallet's credit is the other leg
    public async Task ACrashBetweenThePayersBatchAndTheOtherLegsLosesAndDoublesNothingOnceSwept(string kind, string crashAt)
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t0", "u1", 1_000));
        var transaction = kind == "charge" ? Charge("c1", "u1", "k1", 250) : TopUp("t1", "u1", 500);
        var payer = InMemoryContainer.Partition(kind == "charge" ? LedgerAccounts.Wallet("u1") : LedgerAccounts.PaymentsClearing);
        var (operation, partition) = crashAt switch
        {
            "earnings" => ("create", InMemoryContainer.Partition(LedgerAccounts.Earnings("k1"))),
            "revenue" => ("create", InMemoryContainer.Partition(LedgerAccounts.PlatformRevenue)),
            "marker" => ("delete", payer),
            _ => ("batch", InMemoryContainer.Partition(LedgerAccounts.Wallet("u1"))),
        };
        _container.Fault = (op, p) => op == operation && p == partition ? new HttpRequestException("the process died here") : null;

        // The payer's batch is the commit: the post succeeds, and what failed after it is left to the sweep (as after a crash).
        Assert.True((await ledger.PostAsync(transaction)).Created);

        // The transaction is posted and pending; the check tolerates it during the grace.
        _container.Fault = null;
        Assert.Single(_container.Documents(LedgerDocuments.PendingKind));
        Assert.True((await ledger.CheckAsync()).Balanced);
        _time.Advance(CosmosLedger.CheckGrace + TimeSpan.FromSeconds(1));
        if (crashAt != "marker") Assert.False((await ledger.CheckAsync()).Balanced);

        // Another process sweeps: it completes the transaction once; a second sweep and a retry of the post change nothing.
        var restarted = NewLedger();
        Assert.Equal(1, await restarted.CompletePendingAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await restarted.CompletePendingAsync(TimeSpan.Zero));
        Assert.False((await restarted.PostAsync(transaction)).Created);

        Assert.Empty(_container.Documents(LedgerDocuments.PendingKind));
        var check = await restarted.CheckAsync();
        Assert.True(check.Balanced);
        Assert.Equal(2, check.Transactions);
        if (kind == "charge")
        {
            Assert.Equal(750, await restarted.BalanceAsync(LedgerAccounts.Wallet("u1")));
            Assert.Equal(200, await restarted.BalanceAsync(LedgerAccounts.Earnings("k1")));
            Assert.Equal(50, await restarted.BalanceAsync(LedgerAccounts.PlatformRevenue));
        }
        else
        {
            Assert.Equal(1_500, await restarted.BalanceAsync(LedgerAccounts.Wallet("u1")));
            Assert.Equal(-1_500, await restarted.BalanceAsync(LedgerAccounts.PaymentsClearing));
        }
        Assert.Equal(kind == "charge" ? 4 : 2, check.Accounts);
        Assert.All(_container.Documents(LedgerDocuments.EntryKind).GroupBy(e => (string)e["idempotencyKey"]!),
            g => Assert.Equal(g.Count(), g.Select(e => (string)e["account"]!).Distinct().Count()));
    }

    [Fact]
    public async Task TheSweepLeavesAFreshMarkerToThePostStillWritingIt()
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t0", "u1", 1_000));
        _container.Fault = (op, p) => op == "create" && p == InMemoryContainer.Partition(LedgerAccounts.PlatformRevenue) ? new HttpRequestException("crash") : null;
        await ledger.PostAsync(Charge("c1", "u1", "k1", 250));
        _container.Fault = null;

        Assert.Equal(0, await ledger.CompletePendingAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await ledger.BalanceAsync(LedgerAccounts.PlatformRevenue));

        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await ledger.CompletePendingAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(50, await ledger.BalanceAsync(LedgerAccounts.PlatformRevenue));
    }

    [Fact]
    public async Task TheTimerFunctionSweepsWhatACrashLeftOnceItIsOlderThanItsGrace()
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t0", "u1", 1_000));
        _container.Fault = (op, p) => op == "create" && p == InMemoryContainer.Partition(LedgerAccounts.Earnings("k1")) ? new HttpRequestException("crash") : null;
        await ledger.PostAsync(Charge("c1", "u1", "k1", 250));
        _container.Fault = null;
        var timer = new CloneAI.Functions.Billing.LedgerSweepTimer([NewLedger()], Microsoft.Extensions.Logging.Abstractions.NullLogger<CloneAI.Functions.Billing.LedgerSweepTimer>.Instance);

        await timer.CompletePendingLedgerLegs(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);
        Assert.Equal(0, await ledger.BalanceAsync(LedgerAccounts.Earnings("k1")));

        _time.Advance(CloneAI.Functions.Billing.LedgerSweepTimer.Grace);
        await timer.CompletePendingLedgerLegs(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);
        await timer.CompletePendingLedgerLegs(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);

        Assert.Equal(200, await ledger.BalanceAsync(LedgerAccounts.Earnings("k1")));
        Assert.Equal(50, await ledger.BalanceAsync(LedgerAccounts.PlatformRevenue));
        Assert.Empty(_container.Documents(LedgerDocuments.PendingKind));
    }

    [Fact]
    public async Task ARetryOfACompletedPostReadsItsMarkerAndWritesNothing()
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t0", "u1", 1_000));
        await ledger.PostAsync(Charge("c1", "u1", "k1", 250));
        var writes = 0;
        _container.Fault = (_, _) => { writes++; return null; };

        Assert.False((await ledger.PostAsync(Charge("c1", "u1", "k1", 250))).Created);

        Assert.Equal(1, writes); // the payer's batch, refused with a 409 on the transaction; no leg re-posted, no marker deleted
    }

    [Fact]
    public async Task AKeyReusedWithAnotherPayerIsNotRefusedButTheCheckReportsIt()
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 1_000));
        await ledger.PostAsync(TopUp("t2", "u2", 1_000));
        await ledger.PostAsync(Charge("same", "u1", "k1", 100));
        Assert.True((await ledger.CheckAsync()).Balanced);

        // Another wallet pays under the same key: its partition holds no transaction of that key.
        Assert.True((await ledger.PostAsync(Charge("same", "u2", "k1", 100))).Created);

        Assert.False((await ledger.CheckAsync()).Balanced);
    }

    [Fact]
    public async Task TheCheckFindsAWalletWhoseBalanceDisagreesWithItsEntries()
    {
        var ledger = NewLedger();
        await ledger.PostAsync(TopUp("t1", "u1", 1_000));
        Assert.True((await ledger.CheckAsync()).Balanced);

        // A balance document written past the ledger.
        await _container.Object.CreateItemAsync(new LedgerBalanceDocument { Account = LedgerAccounts.Wallet("u9"), Balance = 5 });

        Assert.False((await ledger.CheckAsync()).Balanced);
    }

    /// <summary>One step of a random history: 0 top-up, 1 charge, 2 refund of an earlier charge, 3 payout.</summary>
    private sealed record Step(int Kind, int User, int Creator, long Amount, int Pick);

    [Fact]
    public void AnyHistoryOfTopUpsChargesRefundsAndPayoutsKeepsTheBooks()
    {
        var step = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 1], Gen.Long[1, 3_000], Gen.Int[0, 1_000], (k, u, c, a, p) => new Step(k, u, c, a, p));
        step.Array[1, 30].Sample(steps => RunHistory(steps).GetAwaiter().GetResult(), iter: 25);
    }

    private async Task RunHistory(Step[] steps)
    {
        var container = NewContainer();
        var ledger = NewLedger(container);
        var wallets = new long[3];
        var earnings = new long[2];
        var charges = new List<(LedgerTransaction Charge, int User, int Creator, long Amount, bool Refunded)>();
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
                {
                    var charge = Charge(key, $"u{s.User}", $"c{s.Creator}", s.Amount);
                    await ledger.PostAsync(charge);
                    wallets[s.User] -= s.Amount;
                    earnings[s.Creator] += s.Amount * 80 / 100;
                    charges.Add((charge, s.User, s.Creator, s.Amount, false));
                    break;
                }
                case 2 when charges.Count > 0 && !charges[s.Pick % charges.Count].Refunded:
                {
                    // A refund reverses every leg of the charge: the creator's earnings pay it back.
                    var index = s.Pick % charges.Count;
                    var (charge, user, creator, amount, _) = charges[index];
                    await ledger.PostAsync(LedgerPostings.Refund(charge, At));
                    wallets[user] += amount;
                    earnings[creator] -= amount * 80 / 100;
                    charges[index] = (charge, user, creator, amount, true);
                    break;
                }
                case 3 when earnings[s.Creator] >= s.Amount:
                    await ledger.PostAsync(LedgerPostings.Payout(key, $"c{s.Creator}", s.Amount, "USD", At));
                    earnings[s.Creator] -= s.Amount;
                    break;
            }
        }
        var check = await ledger.CheckAsync();
        Assert.True(check.Balanced, "every transaction's legs are posted, match it and sum to zero; every wallet balance equals its entries");
        Assert.Empty(check.NegativeWallets);
        Assert.Empty(container.Documents(LedgerDocuments.PendingKind));
        // Every transaction sums to zero, counted here from the stored entries too.
        Assert.All(container.Documents(LedgerDocuments.EntryKind).GroupBy(e => (string)e["idempotencyKey"]!),
            g => Assert.Equal(0, g.Sum(e => (long)e["amount"]!)));
        for (var u = 0; u < 3; u++)
        {
            Assert.Equal(wallets[u], await ledger.BalanceAsync(LedgerAccounts.Wallet($"u{u}")));
            Assert.True(wallets[u] >= 0);
        }
        // Earnings: the creator's share of the charges, minus refunds and payouts.
        for (var c = 0; c < 2; c++) Assert.Equal(earnings[c], await ledger.BalanceAsync(LedgerAccounts.Earnings($"c{c}")));
    }
}

/// <summary>
/// The Cosmos ledger on the real <see cref="CosmosClient"/> the Functions host builds, talking HTTP to a
/// <see cref="FakeCosmosGateway"/>: the point reads, and the payer's batch as the SDK sends it (one atomic batch request in the
/// payer's partition carrying the balance's ETag), with the failures Cosmos answers it with.
/// </summary>
public sealed class CosmosLedgerSdkTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeCosmosGateway _gateway = new();
    private readonly List<CosmosClient> _clients = [];

    public void Dispose()
    {
        foreach (var client in _clients) client.Dispose();
        _gateway.Dispose();
    }

    private CosmosLedger Connect()
    {
        var options = new CosmosOptions { ConnectionString = FakeCosmosGateway.ConnectionString };
        var client = DependencyInjection.CreateCosmosClient(options, new Mock<global::Azure.Core.TokenCredential>(MockBehavior.Strict).Object,
            () => new HttpClient(_gateway, disposeHandler: false));
        _clients.Add(client);
        return new CosmosLedger(new CosmosContainers(client, Microsoft.Extensions.Options.Options.Create(options)).Ledger, new FakeTimeProvider(At));
    }

    private static JsonObject Json<T>(T record) =>
        System.Text.Json.JsonSerializer.SerializeToNode(record, CosmosSystemTextJsonSerializer.CreateOptions())!.AsObject();

    private static LedgerTransaction Charge(string key) =>
        new("charge-1", key, LedgerTransactionTypes.SessionCharge, "USD",
            [new(LedgerAccounts.Wallet("u1"), -100), new(LedgerAccounts.Earnings("k1"), 80), new(LedgerAccounts.PlatformRevenue, 20)],
            new Dictionary<string, string>(), At);

    private static bool IsBatch(RecordedRequest r) =>
        r.Method == HttpMethod.Post && string.Equals(r.Header("x-ms-cosmos-is-batch-request"), "True", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public async Task AStaleBalanceIsA412OnTheBatchAndAKeyAlreadyPostedA409ThatIsReadBackAsTheFirstPost()
    {
        var ledger = Connect();
        var charge = Charge("usage-1");
        var hash = LedgerDocuments.KeyHash("usage-1");
        var stored = Json(new LedgerTransactionDocument
        {
            Id = LedgerDocuments.TransactionId(hash), Account = LedgerAccounts.Wallet("u1"), Transaction = charge with { Id = "first" },
            Legs = [new(LedgerAccounts.Wallet("u1"), -100), new(LedgerAccounts.Earnings("k1"), 80), new(LedgerAccounts.PlatformRevenue, 20)], PostedAt = At,
        });
        var balanceReads = 0;
        var batches = 0;
        _gateway.OnDocuments = r =>
        {
            if (IsBatch(r))
            {
                return ++batches == 1
                    ? FakeCosmosGateway.Respond.Error(System.Net.HttpStatusCode.PreconditionFailed, "One of the specified pre-condition is not met.")
                    : FakeCosmosGateway.Respond.Error(System.Net.HttpStatusCode.Conflict, "Entity with the specified id already exists in the system.");
            }
            if (r.Method == HttpMethod.Get && r.DocumentId == LedgerDocuments.BalanceId)
            {
                return FakeCosmosGateway.Respond.Item(System.Net.HttpStatusCode.OK,
                    Json(new LedgerBalanceDocument { Account = LedgerAccounts.Wallet("u1"), Balance = 1_000 }), $"\"v{++balanceReads}\"");
            }
            if (r.Method == HttpMethod.Get && r.DocumentId == LedgerDocuments.TransactionId(hash))
                return FakeCosmosGateway.Respond.Item(System.Net.HttpStatusCode.OK, stored.DeepClone().AsObject(), "\"t1\"");
            return FakeCosmosGateway.Respond.Error(System.Net.HttpStatusCode.NotFound, "Resource Not Found");
        };

        var posting = await ledger.PostAsync(charge);

        Assert.False(posting.Created);
        Assert.Equal("first", posting.Transaction.Id);
        var requests = _gateway.DocumentRequests;
        Assert.Equal(
            ["GET balance", "BATCH", "GET balance", "BATCH", $"GET tx:{hash}", $"GET pending:{hash}"],
            requests.Select(r => IsBatch(r) ? "BATCH" : $"{r.Method} {r.DocumentId}"));
        Assert.All(requests, r => Assert.Equal($"[\"{LedgerAccounts.Wallet("u1")}\"]", r.PartitionKey)); // all in the payer's partition
        var sent = requests.Where(IsBatch).ToList();
        Assert.All(sent, b => Assert.Equal("True", b.Header("x-ms-cosmos-batch-atomic"), StringComparer.OrdinalIgnoreCase));
        // Each batch carries the transaction, the payer's entry and the marker, and the ETag of the balance it read.
        Assert.All(sent, b => Assert.Contains($"tx:{hash}", b.Body, StringComparison.Ordinal));
        Assert.All(sent, b => Assert.Contains($"entry:{hash}", b.Body, StringComparison.Ordinal));
        Assert.All(sent, b => Assert.Contains($"pending:{hash}", b.Body, StringComparison.Ordinal));
        Assert.Contains("\"v1\"", sent[0].Body, StringComparison.Ordinal);
        Assert.Contains("\"v2\"", sent[1].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"v1\"", sent[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChargeTheWalletCannotPaySendsNoWrite()
    {
        var ledger = Connect();
        _gateway.OnDocuments = r => r.Method == HttpMethod.Get && r.DocumentId == LedgerDocuments.BalanceId
            ? FakeCosmosGateway.Respond.Item(System.Net.HttpStatusCode.OK, Json(new LedgerBalanceDocument { Account = LedgerAccounts.Wallet("u1"), Balance = 30 }), "\"v1\"")
            : FakeCosmosGateway.Respond.Error(System.Net.HttpStatusCode.NotFound, "Resource Not Found");

        var refused = await Assert.ThrowsAsync<InsufficientFundsException>(() => ledger.PostAsync(Charge("usage-2")));

        Assert.Equal(70, refused.Missing);
        Assert.All(_gateway.DocumentRequests, r => Assert.Equal(HttpMethod.Get, r.Method));
        Assert.Equal(30, await ledger.BalanceAsync(LedgerAccounts.Wallet("u1")));
    }
}
