using CloneAI.Core.Chat;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Chat;

/// <summary>
/// Every minute: end the sessions whose idle timeout or maximum length has passed (reads end them too, lazily), and post the
/// charges of usage events a crash left unsettled.
/// </summary>
public sealed class SessionTimer(SessionService sessions, ILogger<SessionTimer> logger)
{
    public const string Schedule = "0 */1 * * * *";

    [Function(nameof(EndExpiredSessions))]
    public async Task EndExpiredSessions([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var ended = await sessions.EndExpiredAsync(cancellationToken);
        if (ended > 0) logger.LogInformation("Ended {Count} expired sessions", ended);
        var settled = await sessions.SettleUsageAsync(cancellationToken: cancellationToken);
        if (settled > 0) logger.LogInformation("Posted {Count} unsettled session charges", settled);
    }
}
