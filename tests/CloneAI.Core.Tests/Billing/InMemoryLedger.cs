using CloneAI.Core.Billing;

namespace CloneAI.Core.Tests.Billing;

/// <summary>
/// A ledger in a list, with only the four members every adapter must write: the statement tests also prove
/// <see cref="ILedger"/>'s default <c>TransactionsBetweenAsync</c> and <c>BalanceAtAsync</c>.
/// </summary>
internal sealed class InMemoryLedger : ILedger
{
    private readonly List<LedgerTransaction> _transactions = [];
    private readonly Lock _gate = new();

    public Task<LedgerPosting> PostAsync(LedgerTransaction transaction, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Assert.Empty(transaction.Problems());
            if (_transactions.FirstOrDefault(t => t.IdempotencyKey == transaction.IdempotencyKey) is { } existing)
                return Task.FromResult(new LedgerPosting(existing, false));
            foreach (var wallet in transaction.Entries.Where(e => LedgerAccounts.IsWallet(e.Account)).GroupBy(e => e.Account))
            {
                var after = Balance(wallet.Key) + wallet.Sum(e => e.Amount);
                if (after < 0) throw new InsufficientFundsException(wallet.Key, -after);
            }
            _transactions.Add(transaction);
            return Task.FromResult(new LedgerPosting(transaction, true));
        }
    }

    public Task<long> BalanceAsync(string account, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(Balance(account));
    }

    public Task<IReadOnlyList<LedgerTransaction>> TransactionsAsync(string account, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<LedgerTransaction> moved = [.. _transactions.Where(t => t.Entries.Any(e => e.Account == account)).Reverse().Take(limit)];
            return Task.FromResult(moved);
        }
    }

    public Task<LedgerCheck> CheckAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    private long Balance(string account) => _transactions.SelectMany(t => t.Entries).Where(e => e.Account == account).Sum(e => e.Amount);
}
