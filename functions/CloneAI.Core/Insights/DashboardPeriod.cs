using System.Globalization;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Insights;

/// <summary>Whole UTC days from <see cref="From"/> to <see cref="To"/>, both included.</summary>
public sealed record DashboardPeriod(DateOnly From, DateOnly To)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    public DateTimeOffset Start => new(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The instant after the period (the start of the day after <see cref="To"/>).</summary>
    public DateTimeOffset End => new(To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public int Days => To.DayNumber - From.DayNumber + 1;

    public IEnumerable<DateOnly> Dates => Enumerable.Range(0, Days).Select(From.AddDays);

    /// <summary>
    /// The period asked for: <paramref name="from"/> and <paramref name="to"/> as <c>yyyy-MM-dd</c>, <c>to</c> by default
    /// <paramref name="today"/>, <c>from</c> by default the 30 days ending at <c>to</c>. Errors per field.
    /// </summary>
    public static DashboardPeriod Parse(string? from, string? to, DateOnly today)
    {
        var v = new Validator();
        var end = Read(v, "to", to) ?? today;
        var start = Read(v, "from", from);
        v.ThrowIfInvalid();
        start ??= end.AddDays(-(DefaultDays - 1));
        if (start.Value > end) v.Add("to", "Must not be before from.");
        else if (end.DayNumber - start.Value.DayNumber + 1 > MaxDays) v.Add("from", $"The period is at most {MaxDays} days.");
        v.ThrowIfInvalid();
        return new DashboardPeriod(start.Value, end);
    }

    private static DateOnly? Read(Validator v, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        v.Add(field, "Use a date as yyyy-MM-dd.");
        return null;
    }

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
