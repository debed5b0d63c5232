using CloneAI.Core.Domain;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Billing;

/// <summary>What a creator earned from one clone: their share of its charges, less what was refunded.</summary>
public sealed record CloneEarnings(string CloneId, long Earned, long Refunded)
{
    public long Net => Earned - Refunded;
}

/// <summary>
/// A creator's earnings: <see cref="Available"/> is the balance of <c>earnings:{creatorId}</c> (what they can ask to be paid),
/// <see cref="Pending"/> their payouts waiting for an admin, <see cref="PaidOut"/> their paid payouts.
/// </summary>
public sealed record EarningsSummary(string Currency, long Available, long Pending, long PaidOut, IReadOnlyList<CloneEarnings> ByClone);

/// <summary>One transaction that moved a creator's earnings, and by how much.</summary>
public sealed record EarningsTransaction(
    string Id, string Type, long Amount, string Currency, DateTimeOffset CreatedAt, string? CloneId, string? SessionId, string? PayoutId);

/// <summary>A creator's earnings, read from the ledger (balance and history) and the payout store (pending and paid).</summary>
public sealed class EarningsService(ILedger ledger, IPayoutStore payouts, IOptions<BillingOptions> billing)
{
    private const int ScanPage = LedgerPaging.MaxPageSize;

    public async Task<EarningsSummary> GetAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var account = LedgerAccounts.Earnings(caller.UserId);
        var available = await ledger.BalanceAsync(account, cancellationToken);
        var pending = await payouts.SumAsync(caller.UserId, PayoutStatus.Requested, cancellationToken);
        var paid = await payouts.SumAsync(caller.UserId, PayoutStatus.Paid, cancellationToken);

        // Earnings by clone: every charge and refund that moved this creator's earnings, summed per clone.
        var byClone = new Dictionary<string, (long Earned, long Refunded)>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await ledger.TransactionsPageAsync(account, ScanPage, token, cancellationToken);
            foreach (var t in page.Items)
            {
                if (t.Type is not (LedgerTransactionTypes.SessionCharge or LedgerTransactionTypes.Refund)) continue;
                if (!t.References.TryGetValue(LedgerPostings.References.Clone, out var cloneId)) continue;
                var moved = AmountFor(t, account);
                var (earned, refunded) = byClone.GetValueOrDefault(cloneId);
                byClone[cloneId] = t.Type == LedgerTransactionTypes.SessionCharge ? (earned + moved, refunded) : (earned, refunded - moved);
            }
            token = page.ContinuationToken;
        }
        while (token is not null);

        var clones = byClone.Select(c => new CloneEarnings(c.Key, c.Value.Earned, c.Value.Refunded))
            .OrderByDescending(c => c.Net).ThenBy(c => c.CloneId, StringComparer.Ordinal).ToList();
        return new EarningsSummary(billing.Value.Currency, available, pending, paid, clones);
    }

    /// <summary>The transactions that moved the caller's earnings, newest first, each with what it added (negative: took).</summary>
    public async Task<Page<EarningsTransaction>> TransactionsAsync(Caller caller, int? pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var account = LedgerAccounts.Earnings(caller.UserId);
        var page = await ledger.TransactionsPageAsync(account, Math.Clamp(pageSize ?? 20, 1, 50), continuationToken, cancellationToken);
        return new Page<EarningsTransaction>(page.Items.Select(t => new EarningsTransaction(
            t.Id, t.Type, AmountFor(t, account), t.Currency, t.CreatedAt,
            t.References.GetValueOrDefault(LedgerPostings.References.Clone),
            t.References.GetValueOrDefault(LedgerPostings.References.Session),
            t.References.GetValueOrDefault(LedgerPostings.References.Payout))).ToList(), page.ContinuationToken);
    }

    private static long AmountFor(LedgerTransaction t, string account) => t.Entries.Where(e => e.Account == account).Sum(e => e.Amount);
}
