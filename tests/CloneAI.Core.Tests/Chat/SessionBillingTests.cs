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
