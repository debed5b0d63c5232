using System.Security.Cryptography;
using System.Text;

namespace CloneAI.Core.Limits;

/// <summary>A store's answer to one acquire: allowed (and counted), or refused with the time until a slot frees up.</summary>
public readonly record struct RateWindowDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static RateWindowDecision Allow { get; } = new(true, TimeSpan.Zero);
}

/// <summary>
/// Sliding-window request counts shared by every instance of a host and kept across restarts: the throttles
/// (<see cref="UserRateLimiter"/>, the account routes' <c>AuthThrottle</c>, the report throttle) count here. A key's window
/// holds the times of its counted requests; a time <c>t</c> leaves it once <c>now - t &gt;= window</c>. An acquire is atomic
/// per key (of N concurrent acquires with limit L exactly L are allowed) and a refused acquire counts nothing. Stores keep only
/// <see cref="StoredKey"/> of a key (a SHA-256), so no key (an email address, a user id) is readable in the data; entries
/// older than their window are pruned. SQLite: table <c>rate_events</c>; Cosmos: one document per key in the <c>limits</c>
/// container, with a TTL.
/// </summary>
public interface IRateWindowStore
{
    /// <summary>
    /// Counts one request under <paramref name="key"/> at <paramref name="now"/> if fewer than <paramref name="limit"/> are in the
    /// window; otherwise counts nothing and answers the wait until the oldest counted request that keeps it full leaves the window.
    /// </summary>
    Task<RateWindowDecision> TryAcquireAsync(string key, int limit, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Gives back one request counted under <paramref name="key"/> at <paramref name="at"/> (a request refused by a later check).</summary>
    Task ReleaseAsync(string key, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Forgets everything counted under <paramref name="key"/> (its owner's data, on account deletion).</summary>
    Task ForgetAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>What the stores share: how a key is stored, and the sliding-window arithmetic.</summary>
public static class RateWindows
{
    /// <summary>The key as stored: the lower-case hex SHA-256 of its UTF-8 bytes.</summary>
    public static string StoredKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>
    /// The decision for a window holding <paramref name="times"/> (ascending, all still inside the window): allowed under the
    /// limit, else the wait until <c>times[count - limit]</c> leaves it (the oldest, when the window holds exactly the limit).
    /// </summary>
    public static RateWindowDecision Decide(IReadOnlyList<DateTimeOffset> times, int limit, TimeSpan window, DateTimeOffset now) =>
        times.Count < limit ? RateWindowDecision.Allow : new RateWindowDecision(false, times[times.Count - limit] + window - now);

    /// <summary>Whole seconds to tell a client (at least 1).</summary>
    public static int Seconds(TimeSpan span) => Math.Max(1, (int)Math.Ceiling(span.TotalSeconds));
}
