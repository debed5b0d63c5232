namespace CloneAI.Core.Accounts;

/// <summary>The account emails that are looked up, composed and sent off the request path (<see cref="AccountEmailQueue"/>).</summary>
public static class AccountEmailKinds
{
    /// <summary>The verification link again, if the address has an unverified, enabled account.</summary>
    public const string Verification = "verification";

    /// <summary>A password reset link, if the address has an enabled account.</summary>
    public const string PasswordReset = "password-reset";

    public static bool IsKnown(string kind) => kind is Verification or PasswordReset;
}

/// <summary>
/// One queued account email: what to send and to which address, nothing more (the account is looked up when it is sent).
/// <see cref="Attempts"/> counts the claims so far, this one included.
/// </summary>
public sealed record AccountEmailJob(string Id, string Kind, string Address, DateTimeOffset CreatedAt)
{
    public int Attempts { get; init; }
}

/// <summary>
/// Queued account emails, stored so that they survive a stop: a request adds one small job (the same work whether or not the
/// address has an account), a worker claims due jobs for a while (a lease, so that two instances never send one job at the
/// same time), sends them and deletes them. A job is never kept after it was sent or given up.
/// </summary>
public interface IAccountEmailJobs
{
    Task AddAsync(AccountEmailJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="limit"/> jobs that are due at <paramref name="now"/> (oldest first), in one atomic step: each is
    /// counted as an attempt and is not due again until <paramref name="now"/> + <paramref name="lease"/>, so no other claim gets it
    /// meanwhile. Returns them with their new attempt count.
    /// </summary>
    Task<IReadOnlyList<AccountEmailJob>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default);

    /// <summary>Hands a claimed job back, due again at <paramref name="dueAt"/> (a retry later, or at once when the host stops).</summary>
    Task ReleaseAsync(string id, DateTimeOffset dueAt, CancellationToken cancellationToken = default);

    /// <summary>Deletes the job (sent, or given up); deleting one that is gone does nothing.</summary>
    Task DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes every job for <paramref name="address"/> (a normalized email address), for account deletion; how many went.</summary>
    Task<int> DeleteByAddressAsync(string address, CancellationToken cancellationToken = default);
}
