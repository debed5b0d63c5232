using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Billing.Lago;

/// <summary>
/// The outbox's sender in a running host: a pass at start (so what a previous process left unsent goes out), then one whenever
/// usage is enqueued, and at least every <see cref="LagoOutboxOptions.PollInterval"/> (for retries that came due).
/// </summary>
public sealed class LagoOutboxWorker(LagoEventDispatcher dispatcher, BillingOutboxSignal signal, IOptions<LagoOutboxOptions> options, ILogger<LagoOutboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.DispatchDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "A pass of the Lago usage outbox failed");
            }
            try
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
