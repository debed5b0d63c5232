using CloneAI.Core.Errors;
using CloneAI.Core.Insights;

namespace CloneAI.Core.Tests.Insights;

public sealed class DashboardPeriodTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    [Fact]
    public void TheDefaultIsTheLast30DaysEndingToday()
    {
        var period = DashboardPeriod.Parse(null, null, Today);
        Assert.Equal(new DateOnly(2026, 11, 7), period.From);
        Assert.Equal(Today, period.To);
        Assert.Equal(30, period.Days);
        Assert.Equal(DateTimeOffset.Parse("2026-11-07T00:00:00Z"), period.Start);
        Assert.Equal(DateTimeOffset.Parse("2026-12-07T00:00:00Z"), period.End);
    }

    [Fact]
    public void AGivenEndGetsThe30DaysBeforeIt()
    {
        var period = DashboardPeriod.Parse(null, "2026-02-28", Today);
        Assert.Equal(new DateOnly(2026, 1, 30), period.From);
    }

    [Theory]
    [InlineData("2026-13-01", null, "from")]
    [InlineData("yesterday", null, "from")]
    [InlineData(null, "06/12/2026", "to")]
    [InlineData("2026-12-06", "2026-12-05", "to")]
    [InlineData("2025-01-01", "2026-12-06", "from")]
    public void ABadPeriodIsAnErrorOnItsField(string? from, string? to, string field)
    {
        var e = Assert.Throws<ValidationException>(() => DashboardPeriod.Parse(from, to, Today));
        Assert.Equal([field], e.Errors.Keys);
    }

    [Fact]
    public void OneDayAndAYearAndADayAreAllowed()
    {
        Assert.Equal(1, DashboardPeriod.Parse("2026-12-06", "2026-12-06", Today).Days);
        Assert.Equal(366, DashboardPeriod.Parse("2025-12-06", "2026-12-06", Today).Days);
    }
}
