using CloneAI.Core.Errors;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Accounts;

/// <summary>What an account request is, for <see cref="AuthThrottle"/>.</summary>
public enum AuthAction
{
    SignUp,
    ResendVerification,
    ForgotPassword,
    Login,
}

/// <summary>
/// Request counts on the account routes, per client (IP address) per minute and per target email address per hour, in sliding
/// windows kept in this process: each instance of a scaled-out host counts on its own. A refused request counts nothing.
/// </summary>
public sealed class AuthThrottle(IOptions<AuthThrottleOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Counts one request of <paramref name="client"/> (and for <paramref name="address"/>), or throws <see cref="TooManyRequestsException"/>.</summary>
    public void Acquire(AuthAction action, string client, string? address)
    {
        var o = options.Value;
        var clientLimit = action == AuthAction.Login ? o.LoginRequestsPerClientPerMinute : o.ClientRequestsPerMinute;
        var clientKey = $"{action}|{client}";
        var addressKey = address is null || action == AuthAction.Login ? null : "to|" + address;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_windows.Count > 20_000) Sweep(now);
            var wait = TimeSpan.Zero;
            if (clientLimit > 0) wait = Max(wait, WaitFor(clientKey, clientLimit, Minute, now));
            if (addressKey is not null && o.EmailsPerAddressPerHour > 0) wait = Max(wait, WaitFor(addressKey, o.EmailsPerAddressPerHour, Hour, now));
            if (wait > TimeSpan.Zero)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                throw new TooManyRequestsException($"Too many requests. Try again in {seconds} s.", wait);
            }
            if (clientLimit > 0) Window(clientKey).Enqueue(now);
            if (addressKey is not null && o.EmailsPerAddressPerHour > 0) Window(addressKey).Enqueue(now);
        }
    }

    /// <summary>Forgets what is counted for <paramref name="address"/> (its owner's data, on account deletion).</summary>
    public void Forget(string address)
    {
        lock (_lock) _windows.Remove("to|" + address);
    }

    private TimeSpan WaitFor(string key, int limit, TimeSpan span, DateTimeOffset now)
    {
        var window = Window(key);
        while (window.Count > 0 && now - window.Peek() >= span) window.Dequeue();
        return window.Count < limit ? TimeSpan.Zero : window.Peek() + span - now;
    }

    private Queue<DateTimeOffset> Window(string key)
    {
        if (!_windows.TryGetValue(key, out var window)) _windows[key] = window = new Queue<DateTimeOffset>();
        return window;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, window) in _windows.ToList())
            if (window.Count == 0 || now - window.Last() >= Hour) _windows.Remove(key);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
