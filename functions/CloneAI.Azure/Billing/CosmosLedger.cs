using System.Net;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Billing;
using CloneAI.Core.Errors;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloneAI.Azure.Billing;

/// <summary>
/// The ledger in the Cosmos container <c>ledger</c>, partitioned by <c>/account</c>. A transaction is written in two steps:
/// <list type="number">
/// <item>The payer's batch, one transactional batch in the payer's partition: the transaction document (id from the key, so a
/// second post of the key is a 409 in the batch, read back and compared), the payer's entry, an outbox marker when other
/// accounts remain, and for a wallet its balance document replaced with its ETag (a stale ETag is a 412: re-read and retry).
/// The payer is the account the transaction takes from: the wallet it debits if any, else the first account it debits.</item>
/// <item>The other legs, each under the same key in its own partition: an entry (id from the key, so a repeat is a 409), and
/// for a wallet its balance with its ETag in the same batch. Then the marker is deleted.</item>
/// </list>
/// Once the payer's batch is in, the transaction is posted (a failure of the other legs is logged, not thrown): a crash
/// before its other legs leaves the marker, and <see cref="CompletePendingAsync"/> (the <c>CompletePendingLedgerLegs</c>
/// timer, every minute) posts what is missing, once.
/// Only wallets keep a balance document: they alone have a floor to guard, and the other accounts include the hot ones
/// (<c>platform:revenue</c> takes a leg of every charge, <c>payments:clearing</c> gives every top-up), whose writes would all
/// queue on one document's ETag. Their balance is the sum of their entries, one single-partition aggregate query on read.
/// A transaction takes from one wallet at most (the floor of a second one could not be guarded in the first batch).
/// The key is unique per payer: every key the product posts (a top-up's, a usage event's, a refund's, a payout's) always has
/// the same payer, so a retry always meets its first post; a key reused with another payer is not refused, and
/// <see cref="CheckAsync"/> reports the ledger unbalanced.
/// </summary>
public sealed class CosmosLedger(Container container, TimeProvider time, ILogger<CosmosLedger>? logger = null) : ILedger, ILedgerSweep
{
    /// <summary>How long a transaction may wait for its other legs before <see cref="CheckAsync"/> calls the ledger unbalanced.</summary>
    public static readonly TimeSpan CheckGrace = TimeSpan.FromMinutes(5);

    /// <summary>How often a post retries its batch after another write moved the wallet first (a 412 on the ETag).</summary>
    private const int MaxAttempts = 1000;

    private static long s_lastSeq;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task<LedgerPosting> PostAsync(LedgerTransaction transaction, CancellationToken cancellationToken = default)
    {
        var problems = transaction.Problems().ToList();
        var legs = Legs(transaction);
        if (legs.Count(l => LedgerAccounts.IsWallet(l.Account) && l.Amount < 0) > 1)
            problems.Add("A transaction takes from one wallet at most.");
        if (problems.Count > 0) throw new ValidationException("transaction", string.Join(" ", problems));

        var payer = Payer(legs);
        var hash = LedgerDocuments.KeyHash(transaction.IdempotencyKey);
        var now = time.GetUtcNow();
        var record = new LedgerTransactionDocument
        {
            Id = LedgerDocuments.TransactionId(hash), Account = payer.Account, Transaction = transaction,
            Legs = [payer, .. legs.Where(l => l.Account != payer.Account)], PostedAt = now,
        };
        var partition = new PartitionKey(payer.Account);
        var wallet = LedgerAccounts.IsWallet(payer.Account);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var batch = container.CreateTransactionalBatch(partition)
                .CreateItem(record)
                .CreateItem(Entry(record, payer, hash));
            if (record.Legs.Count > 1)
                batch.CreateItem(new LedgerPendingDocument { Id = LedgerDocuments.PendingId(hash), Account = payer.Account, IdempotencyKey = transaction.IdempotencyKey, PostedAt = now });
            if (wallet)
            {
                var balance = await ReadBalanceAsync(payer.Account, cancellationToken);
                var updated = checked((balance?.Balance ?? 0) + payer.Amount);
                if (updated < 0)
                {
                    // A retry of a posted charge may meet a wallet it already emptied: the first post answers it.
                    if (await ReadTransactionAsync(payer.Account, hash, cancellationToken) is { } posted) return await ExistingAsync(posted, transaction, cancellationToken);
                    throw new InsufficientFundsException(payer.Account, -updated);
                }
                AddBalance(batch, balance, payer.Account, updated);
            }
            using var response = await batch.ExecuteAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                await TryCompleteAsync(record, cancellationToken);
                return new LedgerPosting(transaction, Created: true);
            }
            var (index, status) = FirstFailure(response);
            if (index == 0 && status == HttpStatusCode.Conflict)
            {
                var posted = await ReadTransactionAsync(payer.Account, hash, cancellationToken);
                if (posted is not null) return await ExistingAsync(posted, transaction, cancellationToken);
                continue; // written and gone cannot happen (nothing deletes a transaction); read again
            }
            if (status is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
            {
                await BackOffAsync(attempt, cancellationToken);
                continue;
            }
            throw Failure(response, status);
        }
        throw new ConflictException($"The account '{payer.Account}' is too busy to post '{transaction.IdempotencyKey}'. Try again.");
    }

    public async Task<long> BalanceAsync(string account, CancellationToken cancellationToken = default)
    {
        if (LedgerAccounts.IsWallet(account)) return (await ReadBalanceAsync(account, cancellationToken))?.Balance ?? 0;
        var query = new QueryDefinition("SELECT VALUE SUM(c.amount) FROM c WHERE c.kind = @kind").WithParameter("@kind", LedgerDocuments.EntryKind);
        var sums = await CosmosPaging.ReadAllAsync<long?>(container, query, new PartitionKey(account), cancellationToken);
        return sums.Sum(s => s ?? 0);
    }

    public async Task<IReadOnlyList<LedgerTransaction>> TransactionsAsync(string account, int limit, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition("SELECT TOP @limit * FROM c WHERE c.kind = @kind ORDER BY c.seq DESC")
            .WithParameter("@limit", Math.Clamp(limit, 1, 1000)).WithParameter("@kind", LedgerDocuments.EntryKind);
        var entries = await CosmosPaging.ReadAllAsync<LedgerEntryDocument>(container, query, new PartitionKey(account), cancellationToken);
        return entries.Select(e => e.Transaction).ToList();
    }

    /// <summary>A page of an account's transactions, newest first; the continuation is the last entry's sequence number (keyset paging, any depth).</summary>
    public async Task<CloneAI.Core.Domain.Page<LedgerTransaction>> TransactionsPageAsync(string account, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        pageSize = Math.Clamp(pageSize, 1, LedgerPaging.MaxPageSize);
        var before = LedgerPaging.DecodeCursor(continuationToken) ?? long.MaxValue;
        var entries = await EntriesBeforeAsync(account, before, pageSize + 1, cancellationToken);
        var more = entries.Count > pageSize;
        if (more) entries.RemoveAt(entries.Count - 1);
        return new CloneAI.Core.Domain.Page<LedgerTransaction>(entries.Select(e => e.Transaction).ToList(), more ? LedgerPaging.EncodeCursor(entries[^1].Seq) : null);
    }

    /// <summary>The account's transactions created in [from, until), oldest first: read newest first in pages until before <paramref name="from"/>.</summary>
    public async Task<IReadOnlyList<LedgerTransaction>> TransactionsBetweenAsync(
        string account, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        var found = new List<LedgerTransaction>();
        var before = long.MaxValue;
        while (true)
        {
            var entries = await EntriesBeforeAsync(account, before, 1000, cancellationToken);
            foreach (var e in entries)
                if (e.Transaction.CreatedAt >= from && e.Transaction.CreatedAt < until) found.Add(e.Transaction);
            // Entries are in posting order, and a transaction's time is when it was posted: older pages are all before 'from'.
            if (entries.Count < 1000 || entries[^1].Transaction.CreatedAt < from) break;
            before = entries[^1].Seq;
        }
        return [.. found.OrderBy(t => t.CreatedAt)];
    }

    private async Task<List<LedgerEntryDocument>> EntriesBeforeAsync(string account, long before, int count, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @limit * FROM c WHERE c.kind = @kind AND c.seq < @before ORDER BY c.seq DESC")
            .WithParameter("@limit", count).WithParameter("@kind", LedgerDocuments.EntryKind).WithParameter("@before", before);
        return [.. await CosmosPaging.ReadAllAsync<LedgerEntryDocument>(container, query, new PartitionKey(account), cancellationToken)];
    }

    /// <summary>
    /// Re-sums the whole ledger (cross-partition): every transaction's entries are all there (or it is younger than
    /// <see cref="CheckGrace"/>), each matches its transaction and they net to zero, no entry lacks its transaction, no key
    /// has two transactions, and every wallet's balance document equals its entries' sum.
    /// </summary>
    public async Task<LedgerCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        var transactions = await AllAsync<LedgerTransactionDocument>(LedgerDocuments.TransactionKind, cancellationToken);
        var entries = await AllAsync<LedgerEntryDocument>(LedgerDocuments.EntryKind, cancellationToken);
        var balances = await AllAsync<LedgerBalanceDocument>(LedgerDocuments.BalanceKind, cancellationToken);

        var balanced = true;
        var byTransaction = entries.ToLookup(e => (e.TransactionId, e.IdempotencyKey));
        var cutoff = time.GetUtcNow() - CheckGrace;
        foreach (var tx in transactions)
        {
            var legs = byTransaction[(tx.Transaction.Id, tx.Transaction.IdempotencyKey)].ToDictionary(e => e.Account, e => e.Amount, StringComparer.Ordinal);
            if (legs.Count < tx.Legs.Count)
            {
                if (tx.PostedAt < cutoff) balanced = false; // still pending past the grace: the sweep is not running
                continue;
            }
            if (legs.Count != tx.Legs.Count || tx.Legs.Any(l => !legs.TryGetValue(l.Account, out var amount) || amount != l.Amount) || legs.Values.Sum() != 0)
                balanced = false;
        }
        // One transaction per key: a key reused with another payer (which its partition could not refuse) shows here.
        if (transactions.GroupBy(t => t.Transaction.IdempotencyKey, StringComparer.Ordinal).Any(g => g.Count() > 1)) balanced = false;
        var known = transactions.Select(t => (t.Transaction.Id, t.Transaction.IdempotencyKey)).ToHashSet();
        if (entries.Any(e => !known.Contains((e.TransactionId, e.IdempotencyKey)))) balanced = false;

        var sums = entries.GroupBy(e => e.Account, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(e => e.Amount), StringComparer.Ordinal);
        foreach (var balance in balances)
            if (balance.Balance != sums.GetValueOrDefault(balance.Account)) balanced = false;
        if (sums.Any(s => LedgerAccounts.IsWallet(s.Key) && s.Value != 0 && !balances.Any(b => b.Account == s.Key))) balanced = false;
        var negative = sums.Where(s => LedgerAccounts.IsWallet(s.Key) && s.Value < 0).Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
        return new LedgerCheck(balanced, transactions.Count, sums.Count, negative);
    }

    /// <summary>Posts the missing legs of every transaction whose outbox marker is older than <paramref name="olderThan"/>.</summary>
    public async Task<int> CompletePendingAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - olderThan;
        var pending = await AllAsync<LedgerPendingDocument>(LedgerDocuments.PendingKind, cancellationToken);
        var completed = 0;
        foreach (var marker in pending.Where(p => p.PostedAt <= cutoff))
        {
            var record = await ReadTransactionAsync(marker.Account, LedgerDocuments.KeyHash(marker.IdempotencyKey), cancellationToken);
            if (record is null) continue; // a marker is only ever written with its transaction
            await CompleteAsync(record, cancellationToken);
            completed++;
        }
        return completed;
    }

    /// <summary>
    /// The other legs, after the payer's batch: that batch is the commit, so a failure here does not fail the post. The
    /// marker stays, and the sweep (or a retry of the post) finishes the legs.
    /// </summary>
    private async Task TryCompleteAsync(LedgerTransactionDocument record, CancellationToken cancellationToken)
    {
        try
        {
            await CompleteAsync(record, cancellationToken);
        }
        catch (Exception e) when (e is CosmosException or HttpRequestException or OperationCanceledException or TimeoutException)
        {
            _logger.LogWarning(e, "Ledger transaction {Key} is posted; its other legs are left to the sweep", record.Transaction.IdempotencyKey);
        }
    }

    /// <summary>Posts the other legs of a transaction whose payer's batch is in (each at most once), then deletes its marker.</summary>
    private async Task CompleteAsync(LedgerTransactionDocument record, CancellationToken cancellationToken)
    {
        if (record.Legs.Count < 2) return;
        var hash = LedgerDocuments.KeyHash(record.Transaction.IdempotencyKey);
        // Each leg is its own partition: they go out together, and the marker goes only once every one of them is in.
        await Task.WhenAll(record.Legs.Skip(1).Select(leg => PostLegAsync(record, leg, hash, cancellationToken)));
        try
        {
            await container.DeleteItemAsync<LedgerPendingDocument>(LedgerDocuments.PendingId(hash), new PartitionKey(record.Account), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Another post or sweep finished it first.
        }
    }

    private async Task PostLegAsync(LedgerTransactionDocument record, LedgerLeg leg, string hash, CancellationToken cancellationToken)
    {
        var entry = Entry(record, leg, hash);
        if (!LedgerAccounts.IsWallet(leg.Account))
        {
            try
            {
                await container.CreateItemAsync(entry, new PartitionKey(leg.Account), cancellationToken: cancellationToken);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // Posted before: the key's entry is already there.
            }
            return;
        }
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var balance = await ReadBalanceAsync(leg.Account, cancellationToken);
            var updated = checked((balance?.Balance ?? 0) + leg.Amount);
            if (updated < 0) throw new InvalidOperationException($"The leg of '{record.Transaction.IdempotencyKey}' would take '{leg.Account}' below zero.");
            var batch = container.CreateTransactionalBatch(new PartitionKey(leg.Account)).CreateItem(entry);
            AddBalance(batch, balance, leg.Account, updated);
            using var response = await batch.ExecuteAsync(cancellationToken);
            if (response.IsSuccessStatusCode) return;
            var (index, status) = FirstFailure(response);
            if (index == 0 && status == HttpStatusCode.Conflict) return; // posted before
            if (status is not (HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)) throw Failure(response, status);
            await BackOffAsync(attempt, cancellationToken);
        }
        throw new InvalidOperationException($"The wallet '{leg.Account}' stayed too busy to post a leg of '{record.Transaction.IdempotencyKey}'.");
    }

    private async Task<LedgerPosting> ExistingAsync(LedgerTransactionDocument posted, LedgerTransaction transaction, CancellationToken cancellationToken)
    {
        if (!SameMovement(posted.Transaction, transaction))
            throw new ConflictException($"The idempotency key '{transaction.IdempotencyKey}' was used for a different transaction.");
        // Finish what a crashed first post may have left: its marker is still there.
        if (await IsPendingAsync(posted, cancellationToken)) await TryCompleteAsync(posted, cancellationToken);
        return new LedgerPosting(posted.Transaction, Created: false);
    }

    private async Task<bool> IsPendingAsync(LedgerTransactionDocument record, CancellationToken cancellationToken)
    {
        if (record.Legs.Count < 2) return false;
        try
        {
            await container.ReadItemAsync<LedgerPendingDocument>(LedgerDocuments.PendingId(LedgerDocuments.KeyHash(record.Transaction.IdempotencyKey)),
                new PartitionKey(record.Account), cancellationToken: cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static void AddBalance(TransactionalBatch batch, LedgerBalanceDocument? current, string account, long updated)
    {
        var next = new LedgerBalanceDocument { Account = account, Balance = updated };
        if (current is null) batch.CreateItem(next);
        else batch.ReplaceItem(LedgerDocuments.BalanceId, next, new TransactionalBatchItemRequestOptions { IfMatchEtag = current.ETag });
    }

    private async Task<LedgerBalanceDocument?> ReadBalanceAsync(string account, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReadItemAsync<LedgerBalanceDocument>(LedgerDocuments.BalanceId, new PartitionKey(account), cancellationToken: cancellationToken);
            return response.Resource with { ETag = response.ETag ?? response.Resource.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<LedgerTransactionDocument?> ReadTransactionAsync(string payer, string hash, CancellationToken cancellationToken)
    {
        try
        {
            return (await container.ReadItemAsync<LedgerTransactionDocument>(LedgerDocuments.TransactionId(hash), new PartitionKey(payer), cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private Task<List<T>> AllAsync<T>(string kind, CancellationToken cancellationToken) =>
        CosmosPaging.ReadAllAsync<T>(container, new QueryDefinition("SELECT * FROM c WHERE c.kind = @kind").WithParameter("@kind", kind), partitionKey: null, cancellationToken);

    private LedgerEntryDocument Entry(LedgerTransactionDocument record, LedgerLeg leg, string hash) => new()
    {
        Id = LedgerDocuments.EntryId(hash), Account = leg.Account, Amount = leg.Amount, TransactionId = record.Transaction.Id,
        IdempotencyKey = record.Transaction.IdempotencyKey, Seq = NextSeq(), Transaction = record.Transaction,
    };

    /// <summary>Each account's net movement, in the order the accounts first appear.</summary>
    private static List<LedgerLeg> Legs(LedgerTransaction transaction) =>
        (transaction.Entries ?? []).GroupBy(e => e.Account, StringComparer.Ordinal)
            .Select(g => new LedgerLeg(g.Key, g.Aggregate(0L, (sum, e) => unchecked(sum + e.Amount)))).ToList();

    /// <summary>The wallet the transaction takes from if any, else the first account it takes from.</summary>
    internal static LedgerLeg Payer(IReadOnlyList<LedgerLeg> legs) =>
        legs.FirstOrDefault(l => LedgerAccounts.IsWallet(l.Account) && l.Amount < 0) ?? legs.FirstOrDefault(l => l.Amount < 0) ?? legs[0];

    private static (int Index, HttpStatusCode Status) FirstFailure(TransactionalBatchResponse response)
    {
        for (var i = 0; i < response.Count; i++)
        {
            var status = response[i].StatusCode;
            if (!response[i].IsSuccessStatusCode && status != HttpStatusCode.FailedDependency) return (i, status);
        }
        return (-1, response.StatusCode);
    }

    private static CosmosException Failure(TransactionalBatchResponse response, HttpStatusCode status) =>
        new($"The ledger batch failed: {response.ErrorMessage}", status, 0, response.ActivityId, response.RequestCharge);

    private static Task BackOffAsync(int attempt, CancellationToken cancellationToken) =>
        attempt < 3 ? Task.CompletedTask : Task.Delay(Random.Shared.Next(1, Math.Min(20, attempt) + 1), cancellationToken);

    /// <summary>
    /// Microseconds since 1970, made unique in the process. Cosmos keeps numbers as doubles: this stays below 2^53 (exact)
    /// for two more centuries, where ticks would not.
    /// </summary>
    private long NextSeq()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        while (true)
        {
            var last = Interlocked.Read(ref s_lastSeq);
            var next = Math.Max(last + 1, now);
            if (Interlocked.CompareExchange(ref s_lastSeq, next, last) == last) return next;
        }
    }

    /// <summary>Whether two transactions under one key move the same money (a true retry, not a different charge).</summary>
    private static bool SameMovement(LedgerTransaction a, LedgerTransaction b) =>
        a.Type == b.Type && a.Currency == b.Currency
        && a.Entries.OrderBy(e => e.Account, StringComparer.Ordinal).ThenBy(e => e.Amount)
            .SequenceEqual(b.Entries.OrderBy(e => e.Account, StringComparer.Ordinal).ThenBy(e => e.Amount));
}
