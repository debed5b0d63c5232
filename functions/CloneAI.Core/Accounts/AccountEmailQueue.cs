using System.Threading.Channels;
using CloneAI.Core.Auth;
using CloneAI.Core.Users;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Accounts;

/// <summary>
/// Account emails that exist only for some addresses (a password reset, a verification sent again) are looked up, composed and
/// sent off the request path, so the request takes the same time whether or not the address has an account: it stores one small
/// job (<see cref="IAccountEmailJobs"/>) either way. The jobs are stored, so a stop before they were sent loses none:
/// <see cref="AccountEmailWorker"/> sends what is due when the host starts, then each new job as it comes (and, every
/// <see cref="PollInterval"/>, what other instances left or a retry made due). A job is deleted once sent; one whose send fails
/// is tried again later, at most <see cref="MaxAttempts"/> times. Tests call <see cref="RunPendingAsync"/>.
/// </summary>
public sealed class AccountEmailQueue(
    IAccountEmailJobs jobs,
    IUserStore users,
    IAccountStore accounts,
    AccountEmails emails,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<AccountEmailQueue> logger)
{
    /// <summary>How long a claimed job is held for the instance sending it before another may claim it.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>The wait before the next try of a job whose send failed, times the attempts so far.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);

    /// <summary>A job that failed this many times is dropped (and logged).</summary>
    public const int MaxAttempts = 5;

    public const int BatchSize = 20;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Stores a job to send the email of <paramref name="kind"/> (<see cref="AccountEmailKinds"/>) to <paramref name="address"/>, if it applies then.</summary>
    public async Task EnqueueAsync(string kind, string address, CancellationToken cancellationToken = default)
    {
        if (!AccountEmailKinds.IsKnown(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an account email kind.");
        await jobs.AddAsync(new AccountEmailJob(Guid.CreateVersion7().ToString("N"), kind, address, time.GetUtcNow()), cancellationToken);
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Sends what is due, then each new job as it comes, until <paramref name="cancellationToken"/> ends.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await RunPendingAsync(cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "The account email jobs could not be read; trying again in {Interval}", PollInterval);
            }
            using var wait = new CancellationTokenSource(PollInterval, time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wait.Token);
            try
            {
                await _wake.Reader.ReadAsync(either.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Sends every job that is due now, then returns.</summary>
    public async Task RunPendingAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var claimed = await jobs.ClaimAsync(time.GetUtcNow(), Lease, BatchSize, cancellationToken);
            for (var i = 0; i < claimed.Count; i++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    // The host stops: what this instance claimed but did not start is due again at once (after a restart).
                    foreach (var job in claimed.Skip(i)) await jobs.ReleaseAsync(job.Id, time.GetUtcNow(), CancellationToken.None);
                    cancellationToken.ThrowIfCancellationRequested();
                }
                await RunOneAsync(claimed[i], cancellationToken);
            }
            if (claimed.Count < BatchSize) return;
        }
    }

    private async Task RunOneAsync(AccountEmailJob job, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(job, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await jobs.ReleaseAsync(job.Id, time.GetUtcNow(), CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            if (job.Attempts >= MaxAttempts)
            {
                logger.LogError(e, "Sending the {Kind} email of job {JobId} failed {Attempts} times; it is dropped", job.Kind, job.Id, job.Attempts);
                await jobs.DeleteAsync(job.Id, CancellationToken.None);
            }
            else
            {
                logger.LogWarning(e, "Sending the {Kind} email of job {JobId} failed (attempt {Attempts}); it is tried again later", job.Kind, job.Id, job.Attempts);
                await jobs.ReleaseAsync(job.Id, time.GetUtcNow() + RetryDelay * job.Attempts, CancellationToken.None);
            }
            return;
        }
        await jobs.DeleteAsync(job.Id, CancellationToken.None);
    }

    /// <summary>Looks the address up and sends the email if it applies to the account found (nothing for an unknown address).</summary>
    private async Task SendAsync(AccountEmailJob job, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(job.Address, cancellationToken);
        switch (job.Kind)
        {
            case AccountEmailKinds.Verification when user is { EmailVerified: false, DisabledAt: null }:
                var verify = await AccountService.NewTokenAsync(accounts, time, user.Id, TokenKinds.Verify,
                    TimeSpan.FromHours(options.Value.VerificationTokenHours), null, cancellationToken);
                await emails.SendVerificationAsync(user, verify, cancellationToken);
                break;
            case AccountEmailKinds.PasswordReset when user is { DisabledAt: null }:
                var reset = await AccountService.NewTokenAsync(accounts, time, user.Id, TokenKinds.Reset,
                    TimeSpan.FromMinutes(options.Value.ResetTokenMinutes), null, cancellationToken);
                await emails.SendResetAsync(user, reset, cancellationToken);
                break;
            case AccountEmailKinds.Verification or AccountEmailKinds.PasswordReset:
                break; // no account, or none this email is for: nothing is sent
            default:
                logger.LogError("Account email job {JobId} has the unknown kind {Kind}; it is dropped", job.Id, job.Kind);
                break;
        }
    }
}

/// <summary>Runs the <see cref="AccountEmailQueue"/> in a running host: what is due at start (jobs a stop left), then as jobs come.</summary>
public sealed class AccountEmailWorker(AccountEmailQueue queue) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // the host's start does not wait for the first sends (SQLite calls complete synchronously)
        try { await queue.RunAsync(stoppingToken); }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
