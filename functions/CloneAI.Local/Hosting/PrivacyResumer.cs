using CloneAI.Core.Privacy;
using CloneAI.Functions.Privacy;
using Microsoft.DurableTask.Client;

namespace CloneAI.Local.Hosting;

/// <summary>
/// At start: an account deletion a crash cut short is finished before the host serves requests (its user's tokens must not work
/// in between), and every export that was being built, or not yet emailed, gets its ExportUserData again (the in-process
/// Durable backend forgot it). The timer (PrivacyTimer) does the same every minute.
/// </summary>
public sealed class PrivacyResumer(AccountDeletion deletion, DataExports exports, DurableTaskClient client, IHostApplicationLifetime lifetime,
    ILogger<PrivacyResumer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var finished = await deletion.FinishPendingAsync(TimeSpan.Zero, cancellationToken);
        if (finished > 0) logger.LogWarning("Finished {Count} account deletions a restart cut short", finished);
        var unfinished = await exports.UnfinishedAsync(cancellationToken);
        if (unfinished.Count == 0) return;
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
        {
            try
            {
                logger.LogWarning("Resuming {Count} unfinished data exports", unfinished.Count);
                foreach (var export in unfinished) await ExportStarter.StartAsync(client, export, logger, lifetime.ApplicationStopping);
            }
            catch (OperationCanceledException)
            {
            }
        }));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
