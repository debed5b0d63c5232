using CloneAI.Core.Chat;
using CloneAI.Core.Domain;

namespace CloneAI.Core.Tests.Chat;

public sealed class SessionBillingTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-01-01T10:00:00Z");

    private static ChatSession Session(Pricing pricing) => new()
    {
        Id = "s", UserId = "u", CloneId = "c", CloneName = "C", OwnerId = "o", Pricing = pricing, StartedAt = Start, ClockStartedAt = Start, LastActivityAt = Start,
    };

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(60, 1)]
    [InlineData(61, 2)]
    [InlineData(3600 * 5, 120)] // capped at the maximum length
    public void TimeIsBilledPerStartedMinuteUpToTheMaximum(int seconds, long minutes)
    {
        var s = Session(new Pricing { PerMinute = 50 });
        Assert.Equal(minutes, SessionBilling.BilledMinutes(s, Start.AddSeconds(seconds), maxMinutes: 120));
        Assert.Equal(minutes * 50, SessionBilling.Total(s, Start.AddSeconds(seconds), 120).Amount);
    }

    [Fact]
    public void TheClockStopsAtTheEnd()
    {
        var s = Session(new Pricing { PerMinute = 50 }) with { EndedAt = Start.AddSeconds(90) };
        Assert.Equal(100, SessionBilling.Total(s, Start.AddHours(3), 120).Amount);
        Assert.Equal(90, SessionBilling.ElapsedSeconds(s, Start.AddHours(3), 120));
    }

    [Fact]
    public void FreeMessagesComeFirstThenEachMessageHasItsPrice()
    {
        var s = Session(new Pricing { PerMessage = 25, FreeMessages = 2, Currency = "EUR" });
        Assert.Equal([0L, 0L, 25L, 25L], Enumerable.Range(1, 4).Select(n => SessionBilling.MessagePrice(s, n)));
        Assert.Equal(new Money(75, "EUR"), SessionBilling.Total(s with { MessageCost = 75 }, Start.AddMinutes(30), 120));
        Assert.Equal(0, SessionBilling.BilledMinutes(s, Start.AddMinutes(30), 120)); // no per-minute price: the clock costs nothing
    }
}

/// <summary>Sessions drawing from the wallet: the clock starts at the first question, free messages come first.</summary>
public sealed class WalletBillingTests
{
    private static readonly DateTimeOffset Opened = DateTimeOffset.Parse("2026-01-01T10:00:00Z");

    private static ChatSession Session(Pricing pricing, bool preview = false) => new()
    {
        Id = "s", UserId = "u", CloneId = "c", CloneName = "C", OwnerId = "o", Pricing = pricing, StartedAt = Opened, LastActivityAt = Opened, Preview = preview,
    };

    [Fact]
    public void BeforeTheFirstQuestionTheClockHasNotStartedAndASessionEndedThenCostsNothing()
    {
        var s = Session(new Pricing { PerMinute = 10, FreeMessages = 5 });
        Assert.Equal(0, SessionBilling.ElapsedSeconds(s, Opened.AddMinutes(3), 120));
        Assert.Equal(0, SessionBilling.BilledMinutes(s, Opened.AddMinutes(3), 120));
        var ended = s with { Status = SessionStatus.Ended, EndedAt = Opened.AddSeconds(2) };
        Assert.Equal(0, SessionBilling.Total(ended, Opened.AddHours(1), 120).Amount);
    }

    [Fact]
    public void TheClockCountsFromTheFirstQuestionNotFromWhenTheSessionWasOpened()
    {
        var s = Session(new Pricing { PerMinute = 10 }) with { ClockStartedAt = Opened.AddMinutes(4) };
        Assert.Equal(90, SessionBilling.ElapsedSeconds(s, Opened.AddMinutes(4).AddSeconds(90), 120));
        Assert.Equal(2, SessionBilling.BilledMinutes(s, Opened.AddMinutes(4).AddSeconds(90), 120));
        Assert.Equal(20, SessionBilling.Total(s, Opened.AddMinutes(4).AddSeconds(90), 120).Amount);
    }

    [Fact]
    public void AQuestionPaysTheMinuteItStartsAndEveryStartedMinuteNotPaidYet()
    {
        var s = Session(new Pricing { PerMinute = 10 });
        var asked = s with { ClockStartedAt = Opened };
        Assert.Equal(1, SessionBilling.MinutesDueAt(asked, Opened, 120)); // the first minute, at once
        Assert.Equal(3, SessionBilling.MinutesDueAt(asked, Opened.AddSeconds(121), 120));
        Assert.Equal(5, SessionBilling.MinutesDueAt(asked with { MinutesRecorded = 5 }, Opened.AddSeconds(121), 120)); // never fewer than paid
        Assert.Equal(120, SessionBilling.MinutesDueAt(asked, Opened.AddHours(5), 120)); // capped at the maximum length
        Assert.Equal(0, SessionBilling.MinutesDueAt(Session(new Pricing { PerMessage = 5 }) with { ClockStartedAt = Opened }, Opened.AddMinutes(9), 120));
        Assert.Equal(0, SessionBilling.MinutesDueAt(Session(new Pricing { PerMinute = 10 }, preview: true) with { ClockStartedAt = Opened }, Opened.AddMinutes(9), 120));
        // What was paid is what the clock shows, even at the very instant it started.
        Assert.Equal(10, SessionBilling.Total(asked with { MinutesRecorded = 1 }, Opened, 120).Amount);
    }

    [Theory]
    [InlineData(10, 5, 5, 10)] // free messages: the first message is free, the first minute is not
    [InlineData(10, 5, 1, 10)]
    [InlineData(0, 25, 0, 25)] // per message only, no free message
    [InlineData(0, 25, 2, 0)] // per message with free ones: nothing needed to start
    [InlineData(20, 5, 0, 25)]
    public void StartingNeedsTheFirstMinuteAndTheFirstMessageFreeMessagesFirst(long perMinute, long perMessage, int free, long needed)
    {
        var s = Session(new Pricing { PerMinute = perMinute == 0 ? null : perMinute, PerMessage = perMessage, FreeMessages = free });
        Assert.Equal(needed, SessionCharges.NeededToStart(s));
    }

    [Fact]
    public void APreviewNeedsNothingAndFreeMessagesComeBeforePaidOnes()
    {
        Assert.Equal(0, SessionCharges.NeededToStart(Session(new Pricing { PerMinute = 50, PerMessage = 10 }, preview: true)));
        var s = Session(new Pricing { PerMessage = 10, FreeMessages = 3 });
        Assert.Equal([0L, 0L, 0L, 10L, 10L], Enumerable.Range(1, 5).Select(n => SessionBilling.MessagePrice(s, n)));
    }

    [Fact]
    public void MinuteEventsAreKeyedByTheSessionAndTheMinutesNumber()
    {
        var s = Session(new Pricing { PerMinute = 15 });
        var minutes = SessionCharges.Minutes(s, 2, 4, Opened);
        Assert.Equal(["s:minute:2", "s:minute:3", "s:minute:4"], minutes.Select(m => m.Id));
        Assert.All(minutes, m => Assert.Equal((UsageKinds.Minutes, 1L, 15L), (m.Kind, m.Quantity, m.Amount)));
        Assert.Empty(SessionCharges.Minutes(s, 3, 2, Opened));
    }

    [Fact]
    public void RevenueIsInThePlatformCurrencyOnlyAndCountsWhatWalletsPaid()
    {
        UsageEvent U(long amount, string currency, long? charged = null) => new()
        {
            Id = Guid.NewGuid().ToString("N"), SessionId = "s", UserId = "u", CloneId = "c", OwnerId = "o", Kind = UsageKinds.Message,
            Amount = amount, Currency = currency, Charged = charged,
        };
        var stats = CloneSessionStats.Of([Session(new Pricing { PerMinute = 10 })], [U(100, "USD"), U(5000, "JPY"), U(50, "USD", charged: 20)], "USD");
        Assert.Equal(120, stats.Revenue);
        Assert.Equal("USD", stats.Currency);
    }
}
