using CloneAI.Core.Billing;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Billing;

/// <summary>
/// The ledger in the local SQLite file: one SQLite transaction per ledger transaction, holding its row, its entries and the
/// balances it moves, so a crash leaves all of it or none. Posts are serialised in the process (and by SQLite's write lock
/// across processes); the idempotency key is unique, so a retry finds the first transaction instead of writing a second.
/// </summary>
public sealed class SqliteLedger(SqliteDatabase db) : ILedger, IDisposable
{
    private readonly SemaphoreSlim _write = new(1, 1);

    public void Dispose() => _write.Dispose();

    public async Task<LedgerPosting> PostAsync(LedgerTransaction transaction, CancellationToken cancellationToken = default)
    {
        var problems = transaction.Problems();
        if (problems.Count > 0) throw new ValidationException("transaction", string.Join(" ", problems));
        await _write.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            await using var tx = connection.BeginTransaction();
            await using (var find = connection.Command("SELECT doc FROM ledger_transactions WHERE idempotency_key = $key", ("$key", transaction.IdempotencyKey)))
            {
                find.Transaction = tx;
                if (await find.ExecuteScalarAsync(cancellationToken) is string doc)
                {
                    var existing = Json.Read<LedgerTransaction>(doc);
                    if (!SameMovement(existing, transaction))
                        throw new ConflictException($"The idempotency key '{transaction.IdempotencyKey}' was used for a different transaction.");
                    return new LedgerPosting(existing, Created: false);
                }
            }

            // Every account's new balance first: a wallet that would go below zero refuses the whole transaction.
            var moves = transaction.Entries.GroupBy(e => e.Account, StringComparer.Ordinal).Select(g => (Account: g.Key, Delta: g.Sum(e => e.Amount))).ToList();
            var balances = new List<(string Account, long Balance)>(moves.Count);
            foreach (var (account, delta) in moves)
            {
                await using var read = connection.Command("SELECT balance FROM ledger_balances WHERE account = $account", ("$account", account));
                read.Transaction = tx;
                var old = await read.ExecuteScalarAsync(cancellationToken) is long b ? b : 0L;
                var updated = checked(old + delta);
                if (LedgerAccounts.IsWallet(account) && updated < 0) throw new InsufficientFundsException(account, -updated);
                balances.Add((account, updated));
            }

            long seq;
            await using (var insert = connection.Command(
                "INSERT INTO ledger_transactions(id, idempotency_key, type, created_at, doc) VALUES ($id, $key, $type, $at, $doc) RETURNING seq",
                ("$id", transaction.Id), ("$key", transaction.IdempotencyKey), ("$type", transaction.Type),
                ("$at", transaction.CreatedAt.ToUnixMs()), ("$doc", Json.Write(transaction))))
            {
                insert.Transaction = tx;
                seq = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
            }
            foreach (var entry in transaction.Entries)
            {
                await using var leg = connection.Command("INSERT INTO ledger_entries(transaction_seq, account, amount) VALUES ($seq, $account, $amount)",
                    ("$seq", seq), ("$account", entry.Account), ("$amount", entry.Amount));
                leg.Transaction = tx;
                await leg.ExecuteNonQueryAsync(cancellationToken);
            }
            foreach (var (account, balance) in balances)
            {
                await using var upsert = connection.Command(
                    "INSERT INTO ledger_balances(account, balance) VALUES ($account, $balance) ON CONFLICT(account) DO UPDATE SET balance = excluded.balance",
                    ("$account", account), ("$balance", balance));
                upsert.Transaction = tx;
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
            await tx.CommitAsync(cancellationToken);
            return new LedgerPosting(transaction, Created: true);
        }
        finally
        {
            _write.Release();
        }
    }

    public async Task<long> BalanceAsync(string account, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var read = connection.Command("SELECT balance FROM ledger_balances WHERE account = $account", ("$account", account));
        return await read.ExecuteScalarAsync(cancellationToken) is long b ? b : 0L;
    }

    public async Task<IReadOnlyList<LedgerTransaction>> TransactionsAsync(string account, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var read = connection.Command(
            """
            SELECT t.doc FROM ledger_transactions t
            WHERE t.seq IN (SELECT transaction_seq FROM ledger_entries WHERE account = $account)
            ORDER BY t.seq DESC LIMIT $limit
            """, ("$account", account), ("$limit", Math.Clamp(limit, 1, 1000)));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        var result = new List<LedgerTransaction>();
        while (await reader.ReadAsync(cancellationToken)) result.Add(Json.Read<LedgerTransaction>(reader.GetString(0)));
        return result;
    }

    /// <summary>A page of an account's transactions, newest first; the continuation is a cursor (the last row's sequence number).</summary>
    public async Task<Page<LedgerTransaction>> TransactionsPageAsync(string account, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        pageSize = Math.Clamp(pageSize, 1, LedgerPaging.MaxPageSize);
        var before = LedgerPaging.DecodeCursor(continuationToken) ?? long.MaxValue;
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var read = connection.Command(
            """
            SELECT t.seq, t.doc FROM ledger_transactions t
            WHERE t.seq IN (SELECT transaction_seq FROM ledger_entries WHERE account = $account AND transaction_seq < $before)
            ORDER BY t.seq DESC LIMIT $limit
            """, ("$account", account), ("$before", before), ("$limit", pageSize + 1));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(long Seq, LedgerTransaction Transaction)>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetInt64(0), Json.Read<LedgerTransaction>(reader.GetString(1))));
        var more = rows.Count > pageSize;
        if (more) rows.RemoveAt(rows.Count - 1);
        return new Page<LedgerTransaction>(rows.Select(r => r.Transaction).ToList(), more ? LedgerPaging.EncodeCursor(rows[^1].Seq) : null);
    }

    public async Task<IReadOnlyList<LedgerTransaction>> TransactionsBetweenAsync(
        string account, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var read = connection.Command(
            """
            SELECT t.doc FROM ledger_transactions t
            WHERE t.seq IN (SELECT transaction_seq FROM ledger_entries WHERE account = $account)
              AND t.created_at >= $from AND t.created_at < $to
            ORDER BY t.created_at, t.seq
            """, ("$account", account), ("$from", from.ToUnixMs()), ("$to", until.ToUnixMs()));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        var result = new List<LedgerTransaction>();
        while (await reader.ReadAsync(cancellationToken)) result.Add(Json.Read<LedgerTransaction>(reader.GetString(0)));
        return result;
    }

    public async Task<long> BalanceAtAsync(string account, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var read = connection.Command(
            """
            SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e JOIN ledger_transactions t ON t.seq = e.transaction_seq
            WHERE e.account = $account AND t.created_at < $at
            """, ("$account", account), ("$at", at.ToUnixMs()));
        return Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Re-sums every entry: each transaction must net to zero, each stored balance must equal its entries' sum.</summary>
    public async Task<LedgerCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        long Scalar(string sql)
        {
            using var c = connection.Command(sql);
            return Convert.ToInt64(c.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        var transactions = Scalar("SELECT COUNT(*) FROM ledger_transactions");
        var unbalanced = Scalar("SELECT COUNT(*) FROM (SELECT transaction_seq FROM ledger_entries GROUP BY transaction_seq HAVING SUM(amount) <> 0)");
        var mismatched = Scalar(
            """
            SELECT COUNT(*) FROM (SELECT account, SUM(amount) AS total FROM ledger_entries GROUP BY account) s
            LEFT JOIN ledger_balances b ON b.account = s.account
            WHERE b.balance IS NULL OR b.balance <> s.total
            """);
        var accounts = Scalar("SELECT COUNT(DISTINCT account) FROM ledger_entries");
        var negative = new List<string>();
        await using (var read = connection.Command("SELECT account FROM (SELECT account, SUM(amount) AS total FROM ledger_entries WHERE account LIKE 'wallet:%' GROUP BY account) WHERE total < 0 ORDER BY account"))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) negative.Add(reader.GetString(0));
        }
        return new LedgerCheck(unbalanced == 0 && mismatched == 0, transactions, accounts, negative);
    }

    /// <summary>Whether two transactions under one key move the same money (a true retry, not a different charge).</summary>
    private static bool SameMovement(LedgerTransaction a, LedgerTransaction b) =>
        a.Type == b.Type && a.Currency == b.Currency
        && a.Entries.OrderBy(e => e.Account, StringComparer.Ordinal).ThenBy(e => e.Amount)
            .SequenceEqual(b.Entries.OrderBy(e => e.Account, StringComparer.Ordinal).ThenBy(e => e.Amount));
}
