using CloneAI.Core.Billing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Billing;

/// <summary>
/// Every minute: completes the ledger transactions a crash left part-posted (the Cosmos ledger writes the payer's legs
/// first, the others after). Only markers older than <see cref="Grace"/> are taken, so posts still in flight finish their
/// own legs. Hosts whose ledger writes each transaction at once (the local SQLite one) register no <see cref="ILedgerSweep"/>,
/// and the timer does nothing there.
/// </summary>
public sealed class LedgerSweepTimer(IEnumerable<ILedgerSweep> sweeps, ILogger<LedgerSweepTimer> logger)
{
    public const string Schedule = "0 */1 * * * *";
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    [Function(nameof(CompletePendingLedgerLegs))]
    public async Task CompletePendingLedgerLegs([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        foreach (var sweep in sweeps)
        {
            var completed = await sweep.CompletePendingAsync(Grace, cancellationToken);
            if (completed > 0) logger.LogWarning("Completed {Count} part-posted ledger transactions", completed);
        }
    }
}
