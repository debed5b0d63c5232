using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Limits;

/// <summary>Per-user limits on the expensive routes. Section <c>RateLimits</c>; 0 turns a limit off.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Questions one user may ask per minute, across their sessions.</summary>
    [Range(0, 100_000)]
    public int ChatMessagesPerMinute { get; set; } = 20;

    /// <summary>Upload and import requests one user may make per minute.</summary>
    [Range(0, 100_000)]
    public int UploadsPerMinute { get; set; } = 30;
}

public static class RatePolicies
{
    public const string Chat = "chat";
    public const string Upload = "upload";
}

/// <summary>
/// A sliding one-minute window per (policy, user), in this process: each instance of a scaled-out host counts on its own, so
/// in Azure the effective limit is per instance (a shared counter is not worth a round trip per message here).
/// </summary>
public sealed class UserRateLimiter(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Policy, string User), Queue<DateTimeOffset>> _windows = new();

    /// <summary>Counts one request, or throws <see cref="TooManyRequestsException"/> (counting nothing) when the user is over the limit.</summary>
    public void Acquire(string policy, string userId)
    {
        var limit = policy switch
        {
            RatePolicies.Chat => options.Value.ChatMessagesPerMinute,
            RatePolicies.Upload => options.Value.UploadsPerMinute,
            _ => throw new ArgumentException($"Unknown rate policy '{policy}'.", nameof(policy)),
        };
        if (limit <= 0) return;
        var now = time.GetUtcNow();
        var window = _windows.GetOrAdd((policy, userId), _ => new Queue<DateTimeOffset>());
        lock (window)
        {
            while (window.Count > 0 && now - window.Peek() >= Window) window.Dequeue();
            if (window.Count >= limit)
            {
                var retryAfter = window.Peek() + Window - now;
                throw new TooManyRequestsException(
                    $"Slow down: at most {limit} {(policy == RatePolicies.Chat ? "questions" : "uploads")} a minute. Try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s.",
                    retryAfter);
            }
            window.Enqueue(now);
        }
        if (_windows.Count > 10_000) Sweep(now);
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, window) in _windows)
        {
            lock (window)
            {
                if (window.Count == 0 || now - window.Last() >= Window) _windows.TryRemove(key, out _);
            }
        }
    }
}
