namespace CloneAI.Core.Billing;

/// <summary>The billable metric codes usage is reported under (Lago's billable metrics).</summary>
public static class BillableMetrics
{
    public const string SessionMinutes = "session_minutes";
    public const string SessionMessages = "session_messages";
}

/// <summary>
/// One charge as usage for the billing provider. <see cref="Key"/> is the usage event's key (the charge's ledger key), which
/// the provider uses as its idempotency key (Lago's <c>transaction_id</c>).
/// </summary>
public sealed record BillableUsage(
    string Key, string UserId, string Metric, long Quantity, long Amount, string Currency, string SessionId, string CloneId, DateTimeOffset At);

/// <summary>
/// A durable outbox of usage for the billing provider: enqueueing the same key again changes nothing, and each event is sent
/// once by its key, retried with backoff, surviving restarts. Registered only when a billing provider takes usage (Lago).
/// </summary>
public interface IBillingOutbox
{
    Task EnqueueAsync(BillableUsage usage, CancellationToken cancellationToken = default);
}
