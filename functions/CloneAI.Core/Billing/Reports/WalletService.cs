using CloneAI.Core.Billing;
using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Billing.Reports;

/// <summary>A wallet as its user sees it: the balance, and whether it is below <see cref="BillingOptions.LowBalance"/>.</summary>
public sealed record WalletView(long Balance, string Currency, bool LowBalance);

/// <summary>
/// One ledger transaction as a wallet's line: <see cref="Amount"/> is what it moved in this wallet (positive: in), with a
/// description for people and what it refers to.
/// </summary>
public sealed record WalletTransaction(
    string Id, string Type, long Amount, string Currency, DateTimeOffset CreatedAt, string Description, string? SessionId, string? TopUpId);

/// <summary>The signed-in user's wallet: its balance and its transactions, newest first, paged, described for people.</summary>
public sealed class WalletService(ILedger ledger, ISessionStore sessions, IOptions<BillingOptions> billing)
{
    public async Task<WalletView> GetAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var balance = await ledger.BalanceAsync(LedgerAccounts.Wallet(caller.UserId), cancellationToken);
        return new WalletView(balance, billing.Value.Currency, balance < billing.Value.LowBalance);
    }

    public async Task<Page<WalletTransaction>> TransactionsAsync(Caller caller, int? pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var account = LedgerAccounts.Wallet(caller.UserId);
        var page = await ledger.TransactionsPageAsync(account, Math.Clamp(pageSize ?? 20, 1, 50), continuationToken, cancellationToken);

        // What the charges were for: each session's clone and usage, read once per session on the page.
        var sessionIds = page.Items.Select(t => t.References.GetValueOrDefault(LedgerPostings.References.Session)).OfType<string>().Distinct(StringComparer.Ordinal);
        var context = new Dictionary<string, (ChatSession? Session, IReadOnlyList<UsageEvent> Usage)>(StringComparer.Ordinal);
        foreach (var id in sessionIds)
        {
            var session = await sessions.GetAsync(id, cancellationToken);
            context[id] = (session, session is null ? [] : await sessions.GetUsageAsync(id, cancellationToken));
        }
        var items = page.Items.Select(t =>
        {
            var sessionId = t.References.GetValueOrDefault(LedgerPostings.References.Session);
            var (session, usage) = sessionId is not null && context.TryGetValue(sessionId, out var c) ? c : (null, []);
            return new WalletTransaction(t.Id, t.Type, t.Entries.Where(e => e.Account == account).Sum(e => e.Amount), t.Currency, t.CreatedAt,
                Describe(t, session, usage), sessionId, t.References.GetValueOrDefault(LedgerPostings.References.TopUp));
        }).ToList();
        return new Page<WalletTransaction>(items, page.ContinuationToken);
    }

    /// <summary>"Top-up", "Session with Ada: 3 minutes", "Refund: session with Ada: 1 message"…</summary>
    public static string Describe(LedgerTransaction transaction, ChatSession? session, IReadOnlyList<UsageEvent> usage)
    {
        var sessionText = SessionText(transaction, session, usage);
        return transaction.Type switch
        {
            LedgerTransactionTypes.TopUp => "Top-up",
            LedgerTransactionTypes.SessionCharge => sessionText ?? "Session",
            LedgerTransactionTypes.Refund => sessionText is null ? "Refund" : "Refund: " + char.ToLowerInvariant(sessionText[0]) + sessionText[1..],
            LedgerTransactionTypes.Payout => "Payout",
            _ => "Adjustment",
        };
    }

    private static string? SessionText(LedgerTransaction transaction, ChatSession? session, IReadOnlyList<UsageEvent> usage)
    {
        if (session is null) return null;
        var text = "Session with " + session.CloneName;
        var eventId = transaction.References.GetValueOrDefault(LedgerPostings.References.UsageEvent);
        var used = eventId is null ? null : usage.FirstOrDefault(u => u.Id == eventId);
        if (used is null || used.Quantity <= 0) return text;
        var unit = used.Kind == UsageKinds.Minutes ? "minute" : "message";
        return $"{text}: {used.Quantity} {unit}{(used.Quantity == 1 ? "" : "s")}";
    }
}
