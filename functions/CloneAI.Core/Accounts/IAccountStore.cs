namespace CloneAI.Core.Accounts;

/// <summary>Credentials and one-time tokens of built-in accounts (local mode only).</summary>
public interface IAccountStore
{
    Task CreateCredentialAsync(Credential credential, CancellationToken cancellationToken = default);
    Task<Credential?> GetCredentialAsync(string userId, CancellationToken cancellationToken = default);
    Task UpdateCredentialAsync(Credential credential, CancellationToken cancellationToken = default);
    Task AddTokenAsync(OneTimeToken token, CancellationToken cancellationToken = default);
    /// <summary>Atomically marks the token used when it exists, is of <paramref name="kind"/>, unused and unexpired.</summary>
    Task<ConsumeResult> ConsumeTokenAsync(string hash, string kind, DateTimeOffset now, CancellationToken cancellationToken = default);
    Task RevokeFamilyAsync(string family, DateTimeOffset now, CancellationToken cancellationToken = default);
    Task RevokeAllAsync(string userId, string kind, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts one sign-in attempt against <paramref name="key"/> before its password is checked, in one atomic step, unless the
    /// key is slowed down: then nothing is counted and the result says how long to wait. Counting first means that concurrent
    /// attempts can never check more passwords than <see cref="SlowDownPolicy.FreeFailures"/> allows.
    /// </summary>
    Task<LoginGate> BeginLoginAttemptAsync(string key, SlowDownPolicy policy, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Takes back the attempt counted against <paramref name="key"/> (it succeeded), without lifting a current wait.</summary>
    Task ForgiveLoginAttemptAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Forgets every failure counted against keys starting with <paramref name="keyPrefix"/>.</summary>
    Task ClearLoginFailuresAsync(string keyPrefix, CancellationToken cancellationToken = default);
}

/// <summary>
/// Progressive slow-down: the first <see cref="FreeFailures"/> attempts within <see cref="Window"/> of each other go through;
/// from then on each further attempt must wait <see cref="BaseDelay"/>, doubled per attempt, at most <see cref="MaxDelay"/>.
/// </summary>
public sealed record SlowDownPolicy(int FreeFailures, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan Window)
{
    /// <summary>The wait after the <paramref name="attempt"/>th counted attempt (1-based).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        if (attempt < FreeFailures) return TimeSpan.Zero;
        var doublings = Math.Min(attempt - FreeFailures, 30);
        var ms = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, doublings));
        return TimeSpan.FromMilliseconds(ms);
    }
}

/// <summary>Whether a sign-in attempt may check its password; if not, when to try again.</summary>
public sealed record LoginGate(bool Allowed, TimeSpan RetryAfter);
