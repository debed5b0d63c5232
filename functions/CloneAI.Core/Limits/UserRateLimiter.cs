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

    /// <summary>Sessions one user may start per minute (each one used to count towards a clone's popularity).</summary>
    [Range(0, 100_000)]
    public int SessionsPerMinute { get; set; } = 10;

    /// <summary>Clones one user may create per hour.</summary>
    [Range(0, 100_000)]
    public int ClonesPerHour { get; set; } = 20;

    /// <summary>
    /// Characters of document text one user's clones may send to the embedding model per UTC day, uploads and re-indexing
    /// together (<c>Knowledge.EmbeddingBudget</c>); kept in the database, so it holds across restarts and instances.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long EmbeddingCharactersPerDay { get; set; } = 20_000_000;

    /// <summary>Minutes before the same document may be re-indexed again (and never while it is being processed).</summary>
    [Range(0, 10_080)]
    public int ReindexCooldownMinutes { get; set; } = 10;
}

public static class RatePolicies
{
    public const string Chat = "chat";
    public const string Upload = "upload";
    public const string Session = "session";
    public const string CloneCreation = "clone-creation";
}

/// <summary>
/// A sliding window per (policy, user) in the <see cref="IRateWindowStore"/>: shared by every instance of a scaled-out host and
/// kept across restarts. Questions, uploads and sessions are counted per minute, clone creation per hour.
/// </summary>
public sealed class UserRateLimiter(IRateWindowStore store, IOptions<RateLimitOptions> options, TimeProvider time)
{
    private static readonly string[] Policies = [RatePolicies.Chat, RatePolicies.Upload, RatePolicies.Session, RatePolicies.CloneCreation];

    /// <summary>Counts one request, or throws <see cref="TooManyRequestsException"/> (counting nothing) when the user is over the limit.</summary>
    public async Task AcquireAsync(string policy, string userId, CancellationToken cancellationToken = default)
    {
        var (limit, window, what, per) = policy switch
        {
            RatePolicies.Chat => (options.Value.ChatMessagesPerMinute, TimeSpan.FromMinutes(1), "questions", "a minute"),
            RatePolicies.Upload => (options.Value.UploadsPerMinute, TimeSpan.FromMinutes(1), "uploads", "a minute"),
            RatePolicies.Session => (options.Value.SessionsPerMinute, TimeSpan.FromMinutes(1), "new sessions", "a minute"),
            RatePolicies.CloneCreation => (options.Value.ClonesPerHour, TimeSpan.FromHours(1), "new clones", "an hour"),
            _ => throw new ArgumentException($"Unknown rate policy '{policy}'.", nameof(policy)),
        };
        if (limit <= 0) return;
        var decision = await store.TryAcquireAsync(Key(policy, userId), limit, window, time.GetUtcNow(), cancellationToken);
        if (!decision.Allowed)
            throw new TooManyRequestsException(
                $"Slow down: at most {limit} {what} {per}. Try again in {RateWindows.Seconds(decision.RetryAfter)} s.",
                decision.RetryAfter);
    }

    /// <summary>Forgets the user's counts under every policy (account deletion).</summary>
    public async Task ForgetAsync(string userId, CancellationToken cancellationToken = default)
    {
        foreach (var policy in Policies) await store.ForgetAsync(Key(policy, userId), cancellationToken);
    }

    private static string Key(string policy, string userId) => $"user|{policy}|{userId}";
}

/// <summary>Account deletion: the user's request counts (<see cref="UserRateLimiter"/>) go.</summary>
public sealed class UserRateLimitEraser(UserRateLimiter limiter) : UserData.IUserDataEraser
{
    public string Name => "request counts";

    public Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default) =>
        limiter.ForgetAsync(userId, cancellationToken);
}
