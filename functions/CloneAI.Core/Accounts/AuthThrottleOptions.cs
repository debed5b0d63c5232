using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Accounts;

/// <summary>
/// Throttles on the built-in account routes (section <c>AuthThrottle</c>; 0 turns a limit off). Request counts are kept in the
/// <see cref="Limits.IRateWindowStore"/>, like <see cref="Limits.UserRateLimiter"/>'s, and failed sign-ins in the account store:
/// both are shared by every instance and hold across concurrent requests and restarts.
/// </summary>
public sealed class AuthThrottleOptions
{
    public const string Section = "AuthThrottle";

    /// <summary>Sign-up, resend-verification and forgot-password requests one client (IP address) may make per minute, each.</summary>
    [Range(0, 100_000)]
    public int ClientRequestsPerMinute { get; set; } = 10;

    /// <summary>Sign-in requests one client may make per minute.</summary>
    [Range(0, 100_000)]
    public int LoginRequestsPerClientPerMinute { get; set; } = 60;

    /// <summary>Sign-up, resend and forgot-password requests for one email address per hour (each may send it an email).</summary>
    [Range(0, 100_000)]
    public int EmailsPerAddressPerHour { get; set; } = 5;

    /// <summary>Failed sign-ins to one account from one client before each further attempt must wait.</summary>
    [Range(1, 1000)]
    public int LoginFailuresBeforeSlowDown { get; set; } = 5;

    /// <summary>Failed sign-ins from one client, to any accounts, before each further attempt from it must wait (0: off).</summary>
    [Range(0, 100_000)]
    public int ClientLoginFailuresBeforeSlowDown { get; set; } = 20;

    /// <summary>The first wait once slowed down; it doubles with every further failure.</summary>
    [Range(1, 3600)]
    public int SlowDownBaseSeconds { get; set; } = 2;

    /// <summary>The longest wait between attempts.</summary>
    [Range(1, 86_400)]
    public int SlowDownMaxSeconds { get; set; } = 900;

    /// <summary>Failures older than this (since the last one) are forgotten.</summary>
    [Range(1, 10_080)]
    public int FailureWindowMinutes { get; set; } = 60;

    /// <summary>
    /// The host is behind a trusted reverse proxy: the client is the first address in <c>X-Forwarded-For</c>, not the connection's
    /// remote address. Only turn it on when the proxy sets that header itself (a client could otherwise pick its own address).
    /// </summary>
    public bool TrustForwardedFor { get; set; }
}
