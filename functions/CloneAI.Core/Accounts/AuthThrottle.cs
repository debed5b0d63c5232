using CloneAI.Core.Errors;
using CloneAI.Core.Limits;
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
/// windows in the <see cref="IRateWindowStore"/>: shared by every instance of a scaled-out host and kept across restarts (the
/// store keeps only a hash of each key, so no address is readable in it). A refused request counts nothing: when the address's
/// window refuses, the client's count just taken is given back.
/// </summary>
public sealed class AuthThrottle(IRateWindowStore store, IOptions<AuthThrottleOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>Counts one request of <paramref name="client"/> (and for <paramref name="address"/>), or throws <see cref="TooManyRequestsException"/>.</summary>
    public async Task AcquireAsync(AuthAction action, string client, string? address, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var clientLimit = action == AuthAction.Login ? o.LoginRequestsPerClientPerMinute : o.ClientRequestsPerMinute;
        var clientKey = $"auth|{action}|{client}";
        var addressKey = address is null || action == AuthAction.Login || o.EmailsPerAddressPerHour <= 0 ? null : AddressKey(address);
        var now = time.GetUtcNow();
        if (clientLimit > 0)
        {
            var decision = await store.TryAcquireAsync(clientKey, clientLimit, Minute, now, cancellationToken);
            if (!decision.Allowed) throw Refused(decision.RetryAfter);
        }
        if (addressKey is null) return;
        var forAddress = await store.TryAcquireAsync(addressKey, o.EmailsPerAddressPerHour, Hour, now, cancellationToken);
        if (forAddress.Allowed) return;
        if (clientLimit > 0) await store.ReleaseAsync(clientKey, now, cancellationToken);
        throw Refused(forAddress.RetryAfter);
    }

    /// <summary>Forgets what is counted for <paramref name="address"/> (its owner's data, on account deletion).</summary>
    public Task ForgetAsync(string address, CancellationToken cancellationToken = default) => store.ForgetAsync(AddressKey(address), cancellationToken);

    private static string AddressKey(string address) => "auth|to|" + address;

    private static TooManyRequestsException Refused(TimeSpan wait) =>
        new($"Too many requests. Try again in {RateWindows.Seconds(wait)} s.", wait);
}
