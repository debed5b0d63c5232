using CloneAI.Core.Billing;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CloneAI.Core.Chat;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Billing.Reports;

/// <summary>
/// Monthly statements of a user's wallet, made from the local ledger (the invoices of <see cref="BillingOptions.Provider"/>
/// <c>test</c>): one per calendar month (UTC) in which the wallet moved, and the current month once the wallet has a history.
/// A statement's id is its month (<c>yyyy-MM</c>; statements are only ever read for the signed-in user), its number
/// <c>ST-yyyy-MM-XXXXXX</c> (a short hash of the user). Its lines are the month's top-ups, one line per session (the session's
/// charges together: "Session with Ada: 3 minutes, 2 messages"), refunds and adjustments, each with what it moved into (+) or out
/// of (−) the wallet, between the opening and the closing balance. Its total is what the month's sessions cost, less refunds.
/// The current month is <c>open</c>; past months are <c>closed</c>.
/// </summary>
public sealed class LedgerStatementSource(ILedger ledger, ISessionStore sessions, IOptions<BillingOptions> billing, TimeProvider clock) : IInvoiceSource
{
    private const string IdFormat = "yyyy-MM";

    public async Task<IReadOnlyList<InvoiceSummary>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        var account = LedgerAccounts.Wallet(userId);
        var history = await ledger.TransactionsBetweenAsync(account, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, cancellationToken);
        if (history.Count == 0) return [];
        var now = clock.GetUtcNow();
        var byMonth = history.GroupBy(t => MonthOf(t.CreatedAt)).ToDictionary(g => g.Key, g => (IReadOnlyList<LedgerTransaction>)[.. g]);
        byMonth.TryAdd(MonthOf(now), []);
        return [.. byMonth.Where(m => m.Key <= MonthOf(now)).OrderByDescending(m => m.Key).Select(m => Summary(userId, m.Key, m.Value, account, now))];
    }

    public async Task<InvoiceDetail?> GetAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        if (!TryParseMonth(id, out var start)) return null;
        var now = clock.GetUtcNow();
        var current = MonthOf(now);
        if (start > current) return null;
        var account = LedgerAccounts.Wallet(userId);
        var transactions = await ledger.TransactionsBetweenAsync(account, start, start.AddMonths(1), cancellationToken);
        if (transactions.Count == 0 && (start != current || (await ledger.TransactionsAsync(account, 1, cancellationToken)).Count == 0)) return null;

        var opening = await ledger.BalanceAtAsync(account, start, cancellationToken);
        var lines = await LinesAsync(transactions, account, cancellationToken);
        return new InvoiceDetail(Summary(userId, start, transactions, account, now), lines)
        {
            OpeningBalance = opening,
            ClosingBalance = opening + lines.Sum(l => l.Amount),
        };
    }

    /// <summary>The statement number: <c>ST-yyyy-MM-</c> and six hex digits of the user's id hashed (the same for every month).</summary>
    public static string Number(string userId, DateTimeOffset month) =>
        $"ST-{month.ToString(IdFormat, CultureInfo.InvariantCulture)}-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(userId)))[..6]}";

    /// <summary>The first instant (UTC) of the month <paramref name="at"/> falls in.</summary>
    public static DateTimeOffset MonthOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    private static bool TryParseMonth(string id, out DateTimeOffset start)
    {
        start = default;
        if (id is not { Length: 7 } || !DateTime.TryParseExact(id, IdFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)) return false;
        start = new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return true;
    }

    private InvoiceSummary Summary(string userId, DateTimeOffset start, IReadOnlyList<LedgerTransaction> transactions, string account, DateTimeOffset now)
    {
        var end = start.AddMonths(1);
        var open = now < end;
        // What the sessions cost, less what was refunded: the money the wallet spent in the month.
        var spent = -transactions.Where(t => t.Type is LedgerTransactionTypes.SessionCharge or LedgerTransactionTypes.Refund).Sum(t => Movement(t, account));
        return new InvoiceSummary(start.ToString(IdFormat, CultureInfo.InvariantCulture), Number(userId, start), InvoiceKinds.Statement,
            start, end, open ? now : end, spent, billing.Value.Currency, open ? InvoiceStatuses.Open : InvoiceStatuses.Closed);
    }

    private async Task<IReadOnlyList<InvoiceLine>> LinesAsync(IReadOnlyList<LedgerTransaction> transactions, string account, CancellationToken cancellationToken)
    {
        var lines = new List<InvoiceLine>();
        // A session's charges (and its refunds) become one line each, placed where the session's first charge (refund) was.
        var sessionLines = new Dictionary<(string Kind, string Session), int>();
        var sessionCharges = new Dictionary<(string Kind, string Session), List<LedgerTransaction>>();
        foreach (var t in transactions)
        {
            var amount = Movement(t, account);
            if (amount == 0) continue;
            var kind = t.Type switch
            {
                LedgerTransactionTypes.SessionCharge => InvoiceLineKinds.Session,
                LedgerTransactionTypes.Refund => InvoiceLineKinds.Refund,
                LedgerTransactionTypes.TopUp => InvoiceLineKinds.TopUp,
                _ => InvoiceLineKinds.Adjustment,
            };
            if (kind is InvoiceLineKinds.Session or InvoiceLineKinds.Refund && t.References.TryGetValue(LedgerPostings.References.Session, out var session))
            {
                if (!sessionLines.ContainsKey((kind, session)))
                {
                    sessionLines[(kind, session)] = lines.Count;
                    sessionCharges[(kind, session)] = [];
                    lines.Add(null!);
                }
                sessionCharges[(kind, session)].Add(t);
                continue;
            }
            lines.Add(new InvoiceLine(kind switch
            {
                InvoiceLineKinds.TopUp => "Top-up",
                InvoiceLineKinds.Refund => "Refund",
                InvoiceLineKinds.Session => "Session charge",
                _ => "Adjustment",
            }, null, 1, amount, t.CreatedAt) { Kind = kind });
        }

        var names = new Dictionary<string, (string Name, IReadOnlyList<UsageEvent> Usage)>(StringComparer.Ordinal);
        foreach (var ((kind, session), index) in sessionLines)
        {
            if (!names.TryGetValue(session, out var known))
            {
                var stored = await sessions.GetAsync(session, cancellationToken);
                names[session] = known = stored is null
                    ? ($"session {session[..Math.Min(8, session.Length)]}", [])
                    : (stored.CloneName, await sessions.GetUsageAsync(session, cancellationToken));
            }
            var charges = sessionCharges[(kind, session)];
            var (minutes, messages) = Quantities(charges, known.Usage);
            var what = Describe(minutes, messages);
            var description = kind == InvoiceLineKinds.Session
                ? $"Session with {known.Name}{(what.Length > 0 ? ": " + what : "")}"
                : $"Refund of the session with {known.Name}{(what.Length > 0 ? ": " + what : "")}";
            lines[index] = new InvoiceLine(description, session, 1, charges.Sum(c => Movement(c, account)), charges[0].CreatedAt) { Kind = kind };
        }
        return lines;
    }

    /// <summary>
    /// The minutes and messages that <paramref name="charges"/> paid for, from the session's usage events (the charges' keys);
    /// a charge whose event is not found counts one message or one minute, by its key.
    /// </summary>
    private static (long Minutes, long Messages) Quantities(IReadOnlyList<LedgerTransaction> charges, IReadOnlyList<UsageEvent> usage)
    {
        var events = usage.GroupBy(u => u.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        long minutes = 0, messages = 0;
        foreach (var charge in charges)
        {
            var key = charge.References.TryGetValue(LedgerPostings.References.UsageEvent, out var k) ? k : charge.IdempotencyKey;
            if (events.TryGetValue(key, out var e))
            {
                if (e.Kind == UsageKinds.Minutes) minutes += e.Quantity;
                else if (e.Kind == UsageKinds.Message) messages += e.Quantity;
            }
            else if (key.Contains(":message", StringComparison.Ordinal)) messages++;
            else if (key.Contains(":minute", StringComparison.Ordinal)) minutes++;
        }
        return (minutes, messages);
    }

    private static string Describe(long minutes, long messages)
    {
        var parts = new List<string>();
        if (minutes > 0) parts.Add(minutes == 1 ? "1 minute" : $"{minutes} minutes");
        if (messages > 0) parts.Add(messages == 1 ? "1 message" : $"{messages} messages");
        return string.Join(", ", parts);
    }

    /// <summary>What a transaction moved into (+) or out of (−) <paramref name="account"/>.</summary>
    private static long Movement(LedgerTransaction transaction, string account) =>
        transaction.Entries.Where(e => e.Account == account).Sum(e => e.Amount);
}
