using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Billing.Lago;

/// <summary>How the outbox's usage events go to Lago. Section <c>Lago:Outbox</c>.</summary>
public sealed class LagoOutboxOptions
{
    public const string Section = "Lago:Outbox";

    /// <summary>How often the sender looks for due events when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The wait after a first failed attempt; each further failure doubles it, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many due events one pass sends at most.</summary>
    public int BatchSize { get; set; } = 100;
}

/// <summary>
/// Sends the outbox's due usage events to Lago, one <c>POST /events</c> each with <c>transaction_id</c> = the usage key (so Lago
/// keeps one event per key even if one is sent twice, say after a crash between sending and marking it sent), to the user's
/// subscription (made on first use). A sent event is marked sent; a transient failure (5xx, timeout) is tried again after an
/// exponentially growing wait; a refusal (4xx) is marked failed with Lago's error and logged as an error, and not tried again.
/// Lago's "this transaction_id already exists" counts as sent. One pass at a time per process.
/// </summary>
public sealed class LagoEventDispatcher(
    IBillingOutboxStore store, LagoClient lago, LagoAccounts accounts, IOptions<LagoOutboxOptions> options, TimeProvider time, ILogger<LagoEventDispatcher> logger) : IDisposable
{
    private readonly SemaphoreSlim _pass = new(1, 1);

    public void Dispose() => _pass.Dispose();

    /// <summary>Sends what is due now; the number of events sent.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var sent = 0;
            var due = await store.DueAsync(time.GetUtcNow(), options.Value.BatchSize, cancellationToken);
            foreach (var item in due)
                if (await SendAsync(item, cancellationToken)) sent++;
            return sent;
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task<bool> SendAsync(OutboxEvent item, CancellationToken cancellationToken)
    {
        var attempts = item.Attempts + 1;
        try
        {
            var account = await accounts.EnsureAsync(item.Usage.UserId, cancellationToken);
            await lago.SendEventAsync(EventOf(item.Usage, account.ExternalSubscriptionId), cancellationToken);
        }
        catch (LagoException e) when (AlreadyThere(e))
        {
            logger.LogInformation("Lago already has usage event {Key}", item.Key);
        }
        catch (LagoException e) when (!e.Transient)
        {
            logger.LogError("Lago refused usage event {Key} ({Metric} {Quantity} for user {User}): {Error}. It will not be sent again.",
                item.Key, item.Usage.Metric, item.Usage.Quantity, item.Usage.UserId, e.Message);
            await store.MarkFailedAsync(item.Key, attempts, e.Message, cancellationToken);
            return false;
        }
        catch (Exception e) when (e is LagoException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            var next = time.GetUtcNow() + Backoff(attempts);
            logger.LogWarning("Usage event {Key} could not be sent to Lago (attempt {Attempt}): {Error}. Next try at {Next:o}.",
                item.Key, attempts, e.Message, next);
            await store.MarkRetryAsync(item.Key, attempts, next, e.Message, cancellationToken);
            return false;
        }
        await store.MarkSentAsync(item.Key, attempts, time.GetUtcNow(), cancellationToken);
        return true;
    }

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1: BaseDelay × 2^(attempts − 1), at most MaxDelay.</summary>
    public TimeSpan Backoff(int attempts)
    {
        var o = options.Value;
        var factor = Math.Pow(2, Math.Min(Math.Max(attempts - 1, 0), 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(o.BaseDelay.Ticks * factor, o.MaxDelay.Ticks));
        return delay;
    }

    /// <summary>Lago refuses a second event with a transaction_id it has: the first one arrived.</summary>
    private static bool AlreadyThere(LagoException e) =>
        e.Status == 422 && e.Details is { } details && details.Contains("transaction_id", StringComparison.Ordinal)
        && details.Contains("value_already_exist", StringComparison.Ordinal);

    /// <summary>The Lago event of one usage: code = the billable metric, properties for the plan's charge.</summary>
    public static LagoEventInput EventOf(BillableUsage usage, string externalSubscriptionId) => new(
        TransactionId: usage.Key,
        ExternalSubscriptionId: externalSubscriptionId,
        Code: usage.Metric,
        Timestamp: usage.At.ToUnixTimeSeconds(),
        // Lago's description allows string, integer or number values through oneOf, which an integer matches twice (integer and
        // number): every value goes as a string, which Lago's aggregations read as a number all the same.
        Properties: new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            ["quantity"] = Text(usage.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["amount_cents"] = Text(usage.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["currency"] = Text(usage.Currency),
            ["session_id"] = Text(usage.SessionId),
            ["clone_id"] = Text(usage.CloneId),
        },
        PreciseTotalAmountCents: usage.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static JsonElement Text(string value) => JsonSerializer.SerializeToElement(value);
}
