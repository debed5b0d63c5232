using System.Security.Cryptography;
using System.Text;
using CloneAI.Core.Billing;

namespace CloneAI.Azure.Billing;

/// <summary>
/// The documents of the <c>ledger</c> container (partition key <c>/account</c>, so every document lives in the partition of
/// the account it is about). A transaction's ids derive from its idempotency key (<see cref="KeyHash"/>), so writing the same
/// transaction twice in one partition is a 409 from Cosmos, never a second copy.
/// </summary>
public static class LedgerDocuments
{
    public const string TransactionKind = "transaction";
    public const string EntryKind = "entry";
    public const string PendingKind = "pending";
    public const string BalanceKind = "balance";

    /// <summary>A wallet's one balance document.</summary>
    public const string BalanceId = "balance";

    /// <summary>The key as an id Cosmos accepts (keys may hold '/', '#' or '?'): its SHA-256, hex.</summary>
    public static string KeyHash(string idempotencyKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));

    public static string TransactionId(string keyHash) => "tx:" + keyHash;

    public static string EntryId(string keyHash) => "entry:" + keyHash;

    public static string PendingId(string keyHash) => "pending:" + keyHash;
}

/// <summary>
/// The transaction, in its payer's partition: written in the payer's batch, so its id (from the key) makes a second post of
/// the key a 409 there. <see cref="Legs"/> are the accounts it moves (the payer's first), each with one
/// <see cref="LedgerEntryDocument"/>.
/// </summary>
public sealed record LedgerTransactionDocument
{
    public required string Id { get; init; }
    /// <summary>The payer: the partition the document lives in.</summary>
    public required string Account { get; init; }
    public string Kind { get; init; } = LedgerDocuments.TransactionKind;
    public required LedgerTransaction Transaction { get; init; }
    public required IReadOnlyList<LedgerLeg> Legs { get; init; }
    public required DateTimeOffset PostedAt { get; init; }
}

/// <summary>An account's net movement in one transaction.</summary>
public sealed record LedgerLeg(string Account, long Amount);

/// <summary>
/// One account's leg of one transaction, in that account's partition (id <c>entry:{keyHash}</c>: one per transaction and
/// account). It carries the whole transaction, so an account's history is one single-partition query.
/// </summary>
public sealed record LedgerEntryDocument
{
    public required string Id { get; init; }
    public required string Account { get; init; }
    public string Kind { get; init; } = LedgerDocuments.EntryKind;
    public required long Amount { get; init; }
    public required string TransactionId { get; init; }
    public required string IdempotencyKey { get; init; }
    /// <summary>Orders an account's entries, newest last (microseconds since 1970 when it was posted, unique in the process).</summary>
    public required long Seq { get; init; }
    public required LedgerTransaction Transaction { get; init; }
}

/// <summary>The outbox marker in the payer's partition: the transaction's other legs are not all posted yet.</summary>
public sealed record LedgerPendingDocument
{
    public required string Id { get; init; }
    public required string Account { get; init; }
    public string Kind { get; init; } = LedgerDocuments.PendingKind;
    public required string IdempotencyKey { get; init; }
    public required DateTimeOffset PostedAt { get; init; }
}

/// <summary>A wallet's balance, replaced with its ETag in the same batch as every entry that moves the wallet.</summary>
public sealed record LedgerBalanceDocument
{
    public string Id { get; init; } = LedgerDocuments.BalanceId;
    public required string Account { get; init; }
    public string Kind { get; init; } = LedgerDocuments.BalanceKind;
    public required long Balance { get; init; }
    public string? ETag { get; init; }
}
