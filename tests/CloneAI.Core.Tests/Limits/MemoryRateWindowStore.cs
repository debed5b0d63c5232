using CloneAI.Core.Limits;

namespace CloneAI.Core.Tests.Limits;

/// <summary>An <see cref="IRateWindowStore"/> in memory, for the rules of the throttles (the hosts' stores have tests of their own).</summary>
public sealed class MemoryRateWindowStore : IRateWindowStore
{
    private readonly Dictionary<string, List<DateTimeOffset>> _windows = new(StringComparer.Ordinal);

    /// <summary>The keys as stored (hashed).</summary>
    public IReadOnlyCollection<string> StoredKeys
    {
        get { lock (_windows) return [.. _windows.Where(w => w.Value.Count > 0).Select(w => w.Key)]; }
    }

    public Task<RateWindowDecision> TryAcquireAsync(string key, int limit, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_windows)
        {
            var times = Window(key);
            times.RemoveAll(t => now - t >= window);
            var decision = RateWindows.Decide(times, limit, window, now);
            if (decision.Allowed) times.Add(now);
            return Task.FromResult(decision);
        }
    }

    public Task ReleaseAsync(string key, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_windows)
        {
            var times = Window(key);
            var index = times.LastIndexOf(at);
            if (index >= 0) times.RemoveAt(index);
        }
        return Task.CompletedTask;
    }

    public Task ForgetAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_windows) _windows.Remove(RateWindows.StoredKey(key));
        return Task.CompletedTask;
    }

    private List<DateTimeOffset> Window(string key)
    {
        var stored = RateWindows.StoredKey(key);
        if (!_windows.TryGetValue(stored, out var times)) _windows[stored] = times = [];
        return times;
    }
}
