namespace CloneAI.Core.Billing;

public static class OutboxStatus
{
    /// <summary>Waiting to be sent, or to be tried again at <see cref="OutboxEvent.NextAttemptAt"/>.</summary>
    public const string Pending = "pending";

    /// <summary>The billing provider has it.</summary>
    public const string Sent = "sent";

    /// <summary>The billing provider refused it (a 4xx): it is not tried again; <see cref="OutboxEvent.LastError"/> says why.</summary>
    public const string Failed = "failed";
}

/// <summary>One usage event in the billing outbox, with its delivery state.</summary>
public sealed record OutboxEvent(
    BillableUsage Usage, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt,
    DateTimeOffset? SentAt = null, string? LastError = null)
{
    public string Key => Usage.Key;
}

/// <summary>
/// The durable store behind the billing outbox: one row per usage key (adding a key again keeps the first), read back by
/// when it is due, however many restarts later. SQLite locally, Cosmos (container <c>billing</c>) in Azure.
/// </summary>
public interface IBillingOutboxStore
{
    /// <summary>Adds the usage as pending, due at <paramref name="now"/>; false (and nothing changes) when its key is already there.</summary>
    Task<bool> AddAsync(BillableUsage usage, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Pending events due at or before <paramref name="now"/>, the earliest first.</summary>
    Task<IReadOnlyList<OutboxEvent>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    Task<OutboxEvent?> GetAsync(string key, CancellationToken cancellationToken = default);

    Task MarkSentAsync(string key, int attempts, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Keeps the event pending, to be tried again at <paramref name="nextAttemptAt"/>, with the error of this attempt.</summary>
    Task MarkRetryAsync(string key, int attempts, DateTimeOffset nextAttemptAt, string lastError, CancellationToken cancellationToken = default);

    /// <summary>Gives up on the event: it is not tried again.</summary>
    Task MarkFailedAsync(string key, int attempts, string lastError, CancellationToken cancellationToken = default);

    /// <summary>The events the provider refused, newest first (for operators).</summary>
    Task<IReadOnlyList<OutboxEvent>> FailedAsync(int limit, CancellationToken cancellationToken = default);
}

/// <summary>Wakes the outbox's sender when something was added, so usage goes out promptly without polling hard.</summary>
public sealed class BillingOutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Dispose() => _signal.Dispose();

    public void Notify()
    {
        try { _signal.Release(); }
        catch (SemaphoreFullException) { } // already signalled
    }

    /// <summary>Waits until notified or <paramref name="timeout"/> passes.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// The billing outbox over its durable store: <see cref="EnqueueAsync"/> writes the usage once by its key and wakes the sender;
/// it never calls the provider, so a charge does not wait for the network.
/// </summary>
public sealed class BillingOutbox(IBillingOutboxStore store, BillingOutboxSignal signal, TimeProvider time) : IBillingOutbox
{
    public async Task EnqueueAsync(BillableUsage usage, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(usage.Key);
        if (await store.AddAsync(usage, time.GetUtcNow(), cancellationToken)) signal.Notify();
    }
}
