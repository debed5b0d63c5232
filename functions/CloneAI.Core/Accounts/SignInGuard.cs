using CloneAI.Core.Errors;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Accounts;

/// <summary>
/// The throttles of the account routes: request counts per client and per target address (<see cref="AuthThrottle"/>), and the
/// progressive slow-down of failed sign-ins per account and client, and per client, counted in the account store. The slow-down
/// is keyed by the address typed, whether or not it has an account, so a refusal tells nothing; and by the client, so a stranger
/// guessing from elsewhere slows only themselves down: the owner signing in from their own client still gets in.
/// </summary>
public sealed class SignInGuard(IAccountStore accounts, AuthThrottle throttle, IOptions<AuthThrottleOptions> options, TimeProvider time)
{
    public const string RefusedMessage = "Too many sign-in attempts. Wait a moment and try again, or reset your password.";

    private AuthThrottleOptions O => options.Value;

    public Task AcquireAsync(AuthAction action, string client, string? address, CancellationToken cancellationToken = default) =>
        throttle.AcquireAsync(action, client, address, cancellationToken);

    /// <summary>Counts a sign-in attempt of <paramref name="email"/> from <paramref name="client"/>, or throws 429 with the wait.</summary>
    public async Task BeginLoginAsync(string email, string client, CancellationToken cancellationToken)
    {
        await throttle.AcquireAsync(AuthAction.Login, client, null, cancellationToken);
        var now = time.GetUtcNow();
        var account = await accounts.BeginLoginAttemptAsync(AccountKey(email, client), Policy(O.LoginFailuresBeforeSlowDown), now, cancellationToken);
        if (!account.Allowed) throw new TooManyRequestsException(RefusedMessage, account.RetryAfter);
        if (O.ClientLoginFailuresBeforeSlowDown <= 0) return;
        var fromClient = await accounts.BeginLoginAttemptAsync(ClientKey(client), Policy(O.ClientLoginFailuresBeforeSlowDown), now, cancellationToken);
        if (!fromClient.Allowed)
        {
            await accounts.ForgiveLoginAttemptAsync(AccountKey(email, client), cancellationToken);
            throw new TooManyRequestsException(RefusedMessage, fromClient.RetryAfter);
        }
    }

    /// <summary>The password was right: the account's failures from this client are forgotten, and the client's attempt taken back.</summary>
    public async Task SucceededAsync(string email, string client, CancellationToken cancellationToken)
    {
        await accounts.ClearLoginFailuresAsync(AccountKey(email, client), cancellationToken);
        if (O.ClientLoginFailuresBeforeSlowDown > 0) await accounts.ForgiveLoginAttemptAsync(ClientKey(client), cancellationToken);
    }

    /// <summary>Forgets the failed sign-ins to <paramref name="email"/> from every client (a password reset, or account deletion).</summary>
    public Task ClearAccountAsync(string email, CancellationToken cancellationToken) =>
        accounts.ClearLoginFailuresAsync(AccountPrefix(email), cancellationToken);

    /// <summary>The address is stored only as a hash: a failed sign-in to a deleted (or unknown) address leaves no address behind.</summary>
    public static string AccountPrefix(string email) =>
        $"acct:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email)))}|";

    private static string AccountKey(string email, string client) => AccountPrefix(email) + client;

    private static string ClientKey(string client) => "client:" + client;

    private SlowDownPolicy Policy(int free) => new(free, TimeSpan.FromSeconds(O.SlowDownBaseSeconds),
        TimeSpan.FromSeconds(Math.Max(O.SlowDownBaseSeconds, O.SlowDownMaxSeconds)), TimeSpan.FromMinutes(O.FailureWindowMinutes));
}
