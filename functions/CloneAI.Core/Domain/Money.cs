using System.Globalization;

namespace CloneAI.Core.Domain;

/// <summary>An amount in minor units (cents) of a currency.</summary>
public sealed record Money(long Amount, string Currency)
{
    /// <summary>For people: "12.50 USD", or whole yen ("300 JPY").</summary>
    public string Format() =>
        Currency == "JPY" ? $"{Amount} JPY" : string.Create(CultureInfo.InvariantCulture, $"{Amount / 100m:F2} {Currency}");
}
