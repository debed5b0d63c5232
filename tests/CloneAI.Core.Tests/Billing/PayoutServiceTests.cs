using CloneAI.Core.Billing;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Tests.Billing;

/// <summary>
/// The payout rules over ports: the races another process can win (which the local end-to-end tests cannot provoke) and what
/// each decision posts to the ledger.
/// </summary>
public sealed class PayoutServiceTests
{
    private static readonly Caller Creator = new("c1", "c1@example.com", "Cleo", IsAdmin: false, IsCreator: true);
    private static readonly Caller Admin = new("a1", "a1@example.com", "Ada", IsAdmin: true, IsCreator: false);

    private readonly Mock<ILedger> _ledger = new(MockBehavior.Strict);
    private readonly Mock<IPayoutStore> _store = new(MockBehavior.Strict);
    private readonly Mock<IPayoutProvider> _provider = new(MockBehavior.Strict);
    private readonly List<LedgerTransaction> _posted = [];
    private readonly Queue<long> _balances = new();

    public PayoutServiceTests()
    {
        _ledger.Setup(l => l.PostAsync(It.IsAny<LedgerTransaction>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((LedgerTransaction t, CancellationToken _) =>
            {
                _posted.Add(t);
                return new LedgerPosting(t, true);
            });
        _ledger.Setup(l => l.BalanceAsync(LedgerAccounts.Earnings("c1"), It.IsAny<CancellationToken>())).ReturnsAsync(() => _balances.Dequeue());
    }

    private PayoutService Service() => new(_ledger.Object, _store.Object, _provider.Object, Options.Create(new BillingOptions { MinPayout = 1_000 }),
        TimeProvider.System, NullLogger<PayoutService>.Instance);

    private static Payout Requested(long amount = 2_000) => new()
    {
        Id = "p1", CreatorId = "c1", Amount = amount, Currency = "USD", IdempotencyKey = "k1", CreatedAt = DateTimeOffset.UnixEpoch, ETag = "e1",
    };

    [Fact]
    public async Task ARequestThatFindsTheEarningsBelowZeroAfterPostingGivesTheMoneyBackAndIsAConflict()
    {
        _balances.Enqueue(3_000); // read before posting
        _balances.Enqueue(-1_000); // another process took 2,000 meanwhile
        using var service = Service();

        await Assert.ThrowsAsync<ConflictException>(() => service.RequestAsync(Creator, 2_000, null));

        Assert.Equal([LedgerTransactionTypes.Payout, LedgerTransactionTypes.Adjustment], _posted.Select(t => t.Type));
        var payoutId = _posted[0].References[LedgerPostings.References.Payout];
        Assert.Equal(PayoutPostings.VoidedKey(payoutId), _posted[1].IdempotencyKey);
        Assert.Equal(2_000, _posted[1].Entries.Single(e => e.Account == LedgerAccounts.Earnings("c1")).Amount);
        Assert.Empty(_posted.SelectMany(t => t.Problems()));
        _store.Verify(s => s.CreateAsync(It.IsAny<Payout>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ARequestThatLosesTheRaceForItsKeyGivesItsMoneyBackAndReturnsTheFirstPayout()
    {
        _balances.Enqueue(5_000);
        _balances.Enqueue(3_000);
        var first = Requested() with { IdempotencyKey = "same" };
        _store.SetupSequence(s => s.FindByKeyAsync("c1", "same", It.IsAny<CancellationToken>())).ReturnsAsync((Payout?)null).ReturnsAsync(first);
        _store.Setup(s => s.CreateAsync(It.IsAny<Payout>(), It.IsAny<CancellationToken>())).ThrowsAsync(new ConflictException("exists"));
        using var service = Service();

        var (payout, created) = await service.RequestAsync(Creator, 2_000, "same");

        Assert.False(created);
        Assert.Same(first, payout);
        Assert.Equal([LedgerTransactionTypes.Payout, LedgerTransactionTypes.Adjustment], _posted.Select(t => t.Type));
        Assert.StartsWith("payout-voided:", _posted[1].IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedPaymentRecordsTheErrorOnThePayoutAndMovesNoMoney()
    {
        _store.Setup(s => s.GetAsync("p1", It.IsAny<CancellationToken>())).ReturnsAsync(Requested());
        _store.Setup(s => s.GetAccountAsync("c1", It.IsAny<CancellationToken>())).ReturnsAsync(new PayoutAccount("c1", "acct_1", DateTimeOffset.UnixEpoch));
        _provider.Setup(p => p.NeedsReference).Returns(false);
        _provider.Setup(p => p.Name).Returns(PayoutProviders.StripeConnect);
        _provider.Setup(p => p.PayAsync(It.IsAny<Payout>(), It.IsAny<PayoutAccount?>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PayoutFailedException("Stripe refused the transfer: no funds."));
        Payout? stored = null;
        _store.Setup(s => s.ReplaceAsync(It.IsAny<Payout>(), It.IsAny<CancellationToken>())).Callback((Payout p, CancellationToken _) => stored = p).ReturnsAsync((Payout p, CancellationToken _) => p);
        using var service = Service();

        await Assert.ThrowsAsync<PayoutFailedException>(() => service.ApproveAsync(Admin, "p1", null));

        Assert.Equal((PayoutStatus.Requested, "Stripe refused the transfer: no funds."), (stored!.Status, stored.LastError));
        Assert.Empty(_posted);
    }

    [Fact]
    public async Task ARejectionStoredFirstThenReturnsTheMoneyUnderItsKey()
    {
        _store.Setup(s => s.GetAsync("p1", It.IsAny<CancellationToken>())).ReturnsAsync(Requested());
        _store.Setup(s => s.ReplaceAsync(It.Is<Payout>(p => p.Status == PayoutStatus.Rejected), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Payout p, CancellationToken _) => p with { ETag = "e2" });
        using var service = Service();

        var rejected = await service.RejectAsync(Admin, "p1", " Wrong bank ");

        Assert.Equal(("Wrong bank", "a1"), (rejected.RejectionReason, rejected.DecidedBy));
        var back = Assert.Single(_posted);
        Assert.Equal(PayoutPostings.RejectedKey("p1"), back.IdempotencyKey);
        Assert.Equal([new LedgerEntry(LedgerAccounts.PayoutsClearing, -2_000), new LedgerEntry(LedgerAccounts.Earnings("c1"), 2_000)], back.Entries);
    }

    [Fact]
    public async Task RejectingARejectedPayoutFinishesAnInterruptedRejectionAndStillAnswersConflict()
    {
        _store.Setup(s => s.GetAsync("p1", It.IsAny<CancellationToken>())).ReturnsAsync(Requested() with { Status = PayoutStatus.Rejected });
        using var service = Service();

        await Assert.ThrowsAsync<ConflictException>(() => service.RejectAsync(Admin, "p1", "again"));

        Assert.Equal(PayoutPostings.RejectedKey("p1"), Assert.Single(_posted).IdempotencyKey); // idempotent: the ledger keeps one
    }

    [Fact]
    public async Task TwoDecisionsAtOnceLeaveOneAndTheOtherIsAConflict()
    {
        _store.Setup(s => s.GetAsync("p1", It.IsAny<CancellationToken>())).ReturnsAsync(Requested());
        _store.Setup(s => s.ReplaceAsync(It.IsAny<Payout>(), It.IsAny<CancellationToken>())).ThrowsAsync(new ConflictException("changed"));
        using var service = Service();

        var e = await Assert.ThrowsAsync<ConflictException>(() => service.RejectAsync(Admin, "p1", "late"));

        Assert.Contains("decided by another request", e.Message, StringComparison.Ordinal);
        Assert.Empty(_posted); // the money moves only for the decision that was stored
    }
}
