namespace CloneAI.Core.Billing;

/// <summary>
/// A ledger that writes a transaction's legs in more than one step (the Cosmos ledger: the payer's legs first, then the
/// others) and can therefore be left with a transaction part-posted by a crash. <see cref="CompletePendingAsync"/> posts the
/// missing legs of every such transaction, idempotently by its key; the <c>CompletePendingLedgerLegs</c> timer runs it.
/// The SQLite ledger writes each transaction at once and registers none.
/// </summary>
public interface ILedgerSweep
{
    /// <summary>Completes the transactions left part-posted for longer than <paramref name="olderThan"/>; returns how many.</summary>
    Task<int> CompletePendingAsync(TimeSpan olderThan, CancellationToken cancellationToken = default);
}
