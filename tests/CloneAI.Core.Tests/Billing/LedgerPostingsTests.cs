using CloneAI.Core.Billing;
using CloneAI.Core.Chat;

namespace CloneAI.Core.Tests.Billing;

/// <summary>The ledger transactions the product posts: keys, legs that sum to zero, the creator's share and refunds.</summary>
public sealed class LedgerPostingsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);

    private static UsageEvent Usage(long amount, string id = "s1:minute:1") => new()
    {
        Id = id, SessionId = "s1", UserId = "u1", CloneId = "c1", OwnerId = "o1", Kind = UsageKinds.Minutes, Quantity = 1, Amount = amount, Currency = "USD", CreatedAt = At,
    };

    [Theory]
    [InlineData(100, 20, 80, 20)]
    [InlineData(99, 20, 79, 20)] // 79.2 rounds down: the platform keeps the odd cent
    [InlineData(1, 20, 0, 1)]
    [InlineData(7, 0, 7, 0)]
    [InlineData(7, 100, 0, 7)]
    [InlineData(333, 12.5, 291, 42)] // 291.375 → 291
    public void TheCreatorsShareIsRoundedDownAndThePlatformKeepsTheRest(long amount, double feePercent, long creator, long platform)
    {
        var billing = new BillingOptions { PlatformFeePercent = (decimal)feePercent };
        Assert.Equal((creator, platform), billing.Split(amount));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(99)]
    [InlineData(1_000_001)]
    public void AChargesLegsSumToZeroWalletPaysCreatorEarnsPlatformKeeps(long amount)
    {
        var billing = new BillingOptions();
        var charge = UsageCharges.Charge(Usage(amount), billing, At)!;

        Assert.Empty(charge.Problems());
        Assert.Equal(0, charge.Entries.Sum(e => e.Amount));
        Assert.Equal("s1:minute:1", charge.IdempotencyKey); // keyed by its usage event
        Assert.Equal(LedgerTransactionTypes.SessionCharge, charge.Type);
        Assert.Equal(-amount, charge.Entries.Single(e => e.Account == LedgerAccounts.Wallet("u1")).Amount);
        var (creator, platform) = billing.Split(amount);
        Assert.Equal(creator, charge.Entries.Where(e => e.Account == LedgerAccounts.Earnings("o1")).Sum(e => e.Amount));
        Assert.Equal(platform, charge.Entries.Where(e => e.Account == LedgerAccounts.PlatformRevenue).Sum(e => e.Amount));
        Assert.DoesNotContain(charge.Entries, e => e.Amount == 0); // a zero share is left out, not posted as a zero leg
        Assert.Equal("s1", charge.References[LedgerPostings.References.Session]);
        Assert.Equal("s1:minute:1", charge.References[LedgerPostings.References.UsageEvent]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void AnEventThatCostsNothingPostsNothing(long amount) =>
        Assert.Null(UsageCharges.Charge(Usage(amount), new BillingOptions(), At));

    [Fact]
    public void ARefundNegatesEveryLegOfTheChargeUnderItsOwnKey()
    {
        var charge = UsageCharges.Charge(Usage(99, "s1:message:k1"), new BillingOptions(), At)!;
        var refund = LedgerPostings.Refund(charge, At.AddHours(1));

        Assert.Empty(refund.Problems());
        Assert.Equal("refund:s1:message:k1", refund.IdempotencyKey);
        Assert.Equal(LedgerTransactionTypes.Refund, refund.Type);
        Assert.Equal(charge.Entries.Select(e => (e.Account, -e.Amount)), refund.Entries.Select(e => (e.Account, e.Amount)));
        Assert.Equal(0, refund.Entries.Sum(e => e.Amount));
        Assert.Equal(charge.Id, refund.References[LedgerPostings.References.Reverses]);
        Assert.NotEqual(charge.Id, refund.Id);
    }

    [Fact]
    public void TopUpAndPayoutMoveMoneyInAndOutThroughTheClearingAccounts()
    {
        var topUp = LedgerPostings.TopUp("t1", "u1", 500, "USD", At);
        Assert.Equal("top-up:t1", topUp.IdempotencyKey);
        Assert.Empty(topUp.Problems());
        Assert.Equal(500, topUp.Entries.Single(e => e.Account == LedgerAccounts.Wallet("u1")).Amount);
        Assert.Equal(-500, topUp.Entries.Single(e => e.Account == LedgerAccounts.PaymentsClearing).Amount);

        var payout = LedgerPostings.Payout("p1", "o1", 1200, "USD", At);
        Assert.Equal("payout:p1", payout.IdempotencyKey);
        Assert.Empty(payout.Problems());
        Assert.Equal(-1200, payout.Entries.Single(e => e.Account == LedgerAccounts.Earnings("o1")).Amount);
        Assert.Equal(1200, payout.Entries.Single(e => e.Account == LedgerAccounts.PayoutsClearing).Amount);
    }
}
