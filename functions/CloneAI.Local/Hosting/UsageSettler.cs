using CloneAI.Core.Chat;

namespace CloneAI.Local.Hosting;

/// <summary>
/// A process that died between storing a usage event and posting its charge left it unsettled. Once the host has started, every
/// unsettled event is charged (once, by its key); after that the session timer's sweep does this every minute.
/// </summary>
public sealed class UsageSettler(SessionService sessions, IHostApplicationLifetime lifetime, ILogger<UsageSettler> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(SettleAsync));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SettleAsync()
    {
        try
        {
            // Nothing is in flight before the first request: every unsettled event is the last process's.
            var settled = await sessions.SettleUsageAsync(TimeSpan.Zero, lifetime.ApplicationStopping);
            if (settled > 0) logger.LogWarning("Posted {Count} session charges the last process left unsettled", settled);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not post the unsettled session charges; the session timer tries again");
        }
    }
}
