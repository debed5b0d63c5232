using System.Text.RegularExpressions;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Billing;

/// <summary>
/// The ledger's accounts. A user's <see cref="Wallet"/> holds what they can spend; a creator's <see cref="Earnings"/> what they
/// earned; <see cref="PlatformRevenue"/> the platform's fee; <see cref="PaymentsClearing"/> is where money paid in comes from and
/// <see cref="PayoutsClearing"/> where paid-out money goes.
/// </summary>
public static class LedgerAccounts
{
    public const string PlatformRevenue = "platform:revenue";
    public const string PaymentsClearing = "payments:clearing";
    public const string PayoutsClearing = "payouts:clearing";
    private const string WalletPrefix = "wallet:";
    private const string EarningsPrefix = "earnings:";

    public static string Wallet(string userId) => WalletPrefix + userId;

    public static string Earnings(string creatorId) => EarningsPrefix + creatorId;

    /// <summary>A wallet never goes below zero; every other account may (the clearing accounts mirror money outside).</summary>
    public static bool IsWallet(string account) => account.StartsWith(WalletPrefix, StringComparison.Ordinal);

    public static bool IsValid(string account) =>
        account is PlatformRevenue or PaymentsClearing or PayoutsClearing
        || (account.StartsWith(WalletPrefix, StringComparison.Ordinal) && account.Length > WalletPrefix.Length)
        || (account.StartsWith(EarningsPrefix, StringComparison.Ordinal) && account.Length > EarningsPrefix.Length);
}

/// <summary>What a ledger transaction records.</summary>
public static class LedgerTransactionTypes
{
    public const string TopUp = "top-up";
    public const string SessionCharge = "session-charge";
    public const string Refund = "refund";
    public const string Payout = "payout";
    public const string Adjustment = "adjustment";
    public static readonly IReadOnlyList<string> All = [TopUp, SessionCharge, Refund, Payout, Adjustment];
}

/// <summary>One leg of a transaction: <see cref="Amount"/> minor units added to <see cref="Account"/> (negative: taken from it).</summary>
public sealed record LedgerEntry(string Account, long Amount);

/// <summary>
/// An immutable double-entry transaction: two or more entries that sum to zero, in one currency's minor units, under a unique
/// <see cref="IdempotencyKey"/> (posting the same key again returns the first transaction and changes nothing). References name
/// what it is about (session, usage event, top-up, payout).
/// </summary>
public sealed partial record LedgerTransaction(
    string Id,
    string IdempotencyKey,
    string Type,
    string Currency,
    IReadOnlyList<LedgerEntry> Entries,
    IReadOnlyDictionary<string, string> References,
    DateTimeOffset CreatedAt)
{
    /// <summary>Why the transaction cannot be posted, or none.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Id)) problems.Add("A transaction needs an id.");
        if (string.IsNullOrWhiteSpace(IdempotencyKey) || IdempotencyKey.Length > 200) problems.Add("A transaction needs an idempotency key of 1 to 200 characters.");
        if (!LedgerTransactionTypes.All.Contains(Type)) problems.Add($"Unknown transaction type '{Type}'.");
        if (!CurrencyCode().IsMatch(Currency ?? "")) problems.Add("The currency is a three-letter ISO 4217 code.");
        if (Entries is null || Entries.Count < 2) problems.Add("A transaction has two entries or more.");
        else
        {
            if (Entries.Any(e => e.Amount == 0)) problems.Add("No entry is zero.");
            if (Entries.Any(e => !LedgerAccounts.IsValid(e.Account))) problems.Add("Every entry names a known kind of account.");
            long sum = 0;
            try
            {
                foreach (var e in Entries) sum = checked(sum + e.Amount);
            }
            catch (OverflowException)
            {
                sum = long.MaxValue;
            }
            if (sum != 0) problems.Add("The entries sum to zero.");
        }
        return problems;
    }

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}

/// <summary>The transaction the ledger holds for a key, and whether this call created it.</summary>
public sealed record LedgerPosting(LedgerTransaction Transaction, bool Created);

/// <summary>The whole ledger re-summed: every transaction balanced, and no wallet below zero.</summary>
public sealed record LedgerCheck(bool Balanced, long Transactions, long Accounts, IReadOnlyList<string> NegativeWallets);

/// <summary>
/// A wallet would go below zero; <see cref="Missing"/> is how many minor units it lacks, of <see cref="Currency"/> when the thrower
/// names it (a session's start does; the problem response then carries it).
/// </summary>
public sealed class InsufficientFundsException(string account, long missing, string? currency = null)
    : AppException($"The wallet lacks {missing} minor units for this.")
{
    public string Account { get; } = account;
    public long Missing { get; } = missing;
    public string? Currency { get; } = currency;
    public override int Status => 402;
    public override string Title => "Insufficient funds";
}

/// <summary>
/// The double-entry ledger. <see cref="PostAsync"/> writes a transaction atomically with the balances it moves, once per
/// idempotency key; a key already used for a different transaction is a conflict; a wallet that would go below zero refuses the
/// whole transaction (<see cref="InsufficientFundsException"/>).
/// </summary>
public interface ILedger
{
    Task<LedgerPosting> PostAsync(LedgerTransaction transaction, CancellationToken cancellationToken = default);

    /// <summary>An account's balance (0 for an account with no entries).</summary>
    Task<long> BalanceAsync(string account, CancellationToken cancellationToken = default);

    /// <summary>The transactions that moved an account, newest first.</summary>
    Task<IReadOnlyList<LedgerTransaction>> TransactionsAsync(string account, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of the transactions that moved an account, newest first: up to <paramref name="pageSize"/> (1 to 100), after the
    /// ones the page that returned <paramref name="continuationToken"/> ended with; the token is opaque and null on the last
    /// page. A token this ledger did not issue is a <see cref="ValidationException"/> on <c>continuationToken</c>. The
    /// default reads <see cref="TransactionsAsync"/> with an offset (at most <see cref="LedgerPaging.MaxOffset"/> deep);
    /// adapters override it with a cursor.
    /// </summary>
    async Task<Domain.Page<LedgerTransaction>> TransactionsPageAsync(string account, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        pageSize = Math.Clamp(pageSize, 1, LedgerPaging.MaxPageSize);
        var offset = LedgerPaging.DecodeOffset(continuationToken);
        var rows = await TransactionsAsync(account, offset + pageSize + 1, cancellationToken);
        var page = rows.Skip(offset).Take(pageSize).ToList();
        return new Domain.Page<LedgerTransaction>(page, rows.Count > offset + pageSize ? LedgerPaging.EncodeOffset(offset + pageSize) : null);
    }

    Task<LedgerCheck> CheckAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The transactions that moved an account with <see cref="LedgerTransaction.CreatedAt"/> in [<paramref name="from"/>,
    /// <paramref name="until"/>), oldest first (what a monthly statement lists). The default reads the account's transactions through
    /// <see cref="TransactionsAsync"/> without a limit and filters them; an adapter overrides it with a query by time.
    /// </summary>
    async Task<IReadOnlyList<LedgerTransaction>> TransactionsBetweenAsync(
        string account, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        var all = await TransactionsAsync(account, int.MaxValue, cancellationToken);
        return [.. all.Where(t => t.CreatedAt >= from && t.CreatedAt < until).OrderBy(t => t.CreatedAt)];
    }

    /// <summary>
    /// An account's balance from the transactions created before <paramref name="at"/> (a statement's opening balance). The
    /// default takes the current balance less what moved the account since.
    /// </summary>
    async Task<long> BalanceAtAsync(string account, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var balance = await BalanceAsync(account, cancellationToken);
        var since = await TransactionsBetweenAsync(account, at, DateTimeOffset.MaxValue, cancellationToken);
        return balance - since.Sum(t => t.Entries.Where(e => e.Account == account).Sum(e => e.Amount));
    }
}
