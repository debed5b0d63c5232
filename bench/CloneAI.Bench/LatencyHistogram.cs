namespace CloneAI.Bench;

/// <summary>
/// A log-linear latency histogram in microseconds (HdrHistogram-style, 128 sub-buckets per power of two: under 0.8 %
/// relative error). Not thread-safe: each load worker records into its own and the phase merges them at the end.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;          // 128
    private const int LinearLimit = SubBuckets * 2;             // values below 256 µs are exact
    private const int MaxExponent = 40;

    private readonly long[] _counts = new long[LinearLimit + MaxExponent * SubBuckets];

    public long Count { get; private set; }
    public long MinMicros { get; private set; } = long.MaxValue;
    public long MaxMicros { get; private set; }
    public double SumMicros { get; private set; }

    public double MeanMicros => Count == 0 ? 0 : SumMicros / Count;

    public void Record(long micros)
    {
        if (micros < 0) micros = 0;
        _counts[IndexOf(micros)]++;
        Count++;
        SumMicros += micros;
        if (micros < MinMicros) MinMicros = micros;
        if (micros > MaxMicros) MaxMicros = micros;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        SumMicros += other.SumMicros;
        MinMicros = Math.Min(MinMicros, other.MinMicros);
        MaxMicros = Math.Max(MaxMicros, other.MaxMicros);
    }

    /// <summary>The value at <paramref name="percentile"/> (0-100): the upper edge of the bucket holding that rank, capped at the max.</summary>
    public long Percentile(double percentile)
    {
        if (Count == 0) return 0;
        var rank = (long)Math.Ceiling(percentile / 100.0 * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Min(UpperEdge(i), MaxMicros);
        }
        return MaxMicros;
    }

    private static int IndexOf(long micros)
    {
        if (micros < LinearLimit) return (int)micros;
        var exponent = 63 - (int)long.LeadingZeroCount(micros) - SubBucketBits; // >= 1 here
        if (exponent > MaxExponent) return LinearLimit + MaxExponent * SubBuckets - 1;
        var sub = (int)(micros >> exponent) - SubBuckets;                  // 0..127
        return LinearLimit + (exponent - 1) * SubBuckets + sub;
    }

    private static long UpperEdge(int index)
    {
        if (index < LinearLimit) return index;
        var exponent = (index - LinearLimit) / SubBuckets + 1;
        var sub = (index - LinearLimit) % SubBuckets + SubBuckets;
        return ((long)(sub + 1) << exponent) - 1;
    }
}
