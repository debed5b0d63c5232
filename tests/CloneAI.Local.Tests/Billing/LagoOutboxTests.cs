using CloneAI.Core.Billing;
using CloneAI.Core.Billing.Lago;
using CloneAI.Local.Billing;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Local.Tests.Billing;

/// <summary>The billing outbox on a SQLite file and its sender to the fake Lago: once per key, across restarts, with backoff.</summary>
public sealed class LagoOutboxTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "cloneai-outbox-" + Guid.NewGuid().ToString("N"), "cloneai.db");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())); // stored to the ms
    private FakeLago _lago = null!;

    public async Task InitializeAsync() => _lago = await FakeLago.StartAsync();

    public async Task DisposeAsync()
    {
        await _lago.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path.GetDirectoryName(_file)!, true); } catch (IOException) { }
    }

    /// <summary>A fresh "process": a new database object on the same file, a new store, client and sender.</summary>
    private (SqliteBillingOutboxStore Store, BillingOutbox Outbox, LagoEventDispatcher Sender) Start(int clientRetries = 0)
    {
        var store = new SqliteBillingOutboxStore(new SqliteDatabase(_file, NullLogger<SqliteDatabase>.Instance));
        var client = LagoTestKit.Client(_lago, clientRetries);
        var options = Microsoft.Extensions.Options.Options.Create(new LagoOutboxOptions { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromMinutes(5) });
        var sender = new LagoEventDispatcher(store, client, LagoTestKit.Accounts(_lago, client), options, _time, NullLogger<LagoEventDispatcher>.Instance);
        return (store, new BillingOutbox(store, new BillingOutboxSignal(), _time), sender);
    }

    [Fact]
    public async Task TheSameKeyEnqueuedTwiceIsStoredOnceAndDeliveredOnce()
    {
        var (store, outbox, sender) = Start();
        await outbox.EnqueueAsync(LagoTestKit.Usage("charge-1", amount: 25));
        await outbox.EnqueueAsync(LagoTestKit.Usage("charge-1", amount: 99)); // the same usage key again
        await outbox.EnqueueAsync(LagoTestKit.Usage("charge-2"));

        Assert.Equal(2, await sender.DispatchDueAsync());
        Assert.Equal(0, await sender.DispatchDueAsync());

        Assert.Equal(2, _lago.Events.Count);
        Assert.Equal(1, _lago.EventPosts["charge-1"]);
        var sent = _lago.Events["charge-1"];
        Assert.Equal("user-1", sent["external_subscription_id"]!.GetValue<string>());
        Assert.Equal(BillableMetrics.SessionMessages, sent["code"]!.GetValue<string>());
        Assert.Equal("25", sent["properties"]!["amount_cents"]!.GetValue<string>());
        Assert.Equal(OutboxStatus.Sent, (await store.GetAsync("charge-1"))!.Status);
        Assert.True(_lago.Customers.ContainsKey("user-1"), "the customer is made on first use");
        _lago.AssertNoViolations();
    }

    [Fact]
    public async Task UnsentEventsSurviveARestartAndAreDeliveredOnce()
    {
        var first = Start();
        await first.Outbox.EnqueueAsync(LagoTestKit.Usage("charge-a"));
        await first.Outbox.EnqueueAsync(LagoTestKit.Usage("charge-b"));
        // The first process stops before sending anything.
        SqliteConnection.ClearAllPools();

        var second = Start();
        Assert.Equal(2, (await second.Store.DueAsync(_time.GetUtcNow(), 10)).Count);
        Assert.Equal(2, await second.Sender.DispatchDueAsync());

        var third = Start();
        Assert.Equal(0, await third.Sender.DispatchDueAsync());
        Assert.Equal(1, _lago.EventPosts["charge-a"]);
        Assert.Equal(1, _lago.EventPosts["charge-b"]);
        _lago.AssertNoViolations();
    }

    [Fact]
    public async Task A500FromLagoIsRetriedWithExponentialBackoff()
    {
        var (store, outbox, sender) = Start(clientRetries: 0);
        await outbox.EnqueueAsync(LagoTestKit.Usage("charge-x"));
        await LagoTestKit.Accounts(_lago, LagoTestKit.Client(_lago)).EnsureAsync("user-1"); // only the event call meets the failures
        var accountCalls = _lago.Requests.Count;

        _lago.FailNext(100);
        // Each new process makes the customer first; that call fails too, and counts as the attempt.
        Assert.Equal(0, await sender.DispatchDueAsync());
        var after1 = (await store.GetAsync("charge-x"))!;
        Assert.Equal(OutboxStatus.Pending, after1.Status);
        Assert.Equal(1, after1.Attempts);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(10), after1.NextAttemptAt);
        Assert.Contains("500", after1.LastError, StringComparison.Ordinal);

        // Not due yet: nothing is sent.
        Assert.Equal(0, await sender.DispatchDueAsync());
        Assert.Equal(1, (await store.GetAsync("charge-x"))!.Attempts);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await sender.DispatchDueAsync());
        var after2 = (await store.GetAsync("charge-x"))!;
        Assert.Equal(2, after2.Attempts);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(20), after2.NextAttemptAt);

        _lago.FailNext(0);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await sender.DispatchDueAsync());
        var sent = (await store.GetAsync("charge-x"))!;
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Equal(3, sent.Attempts);
        Assert.Equal(1, _lago.EventPosts["charge-x"]);
        Assert.True(_lago.Requests.Count > accountCalls);
        _lago.AssertNoViolations();
    }

    [Fact]
    public async Task A4xxFromLagoIsRecordedAsFailedWithItsErrorAndNotRetried()
    {
        var (store, outbox, sender) = Start();
        await outbox.EnqueueAsync(LagoTestKit.Usage("charge-refused"));
        _lago.RefuseEventsWith = "billable_metric_not_found";

        Assert.Equal(0, await sender.DispatchDueAsync());
        var failed = (await store.GetAsync("charge-refused"))!;
        Assert.Equal(OutboxStatus.Failed, failed.Status);
        Assert.Contains("422", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("billable_metric_not_found", failed.LastError, StringComparison.Ordinal);
        Assert.Equal("charge-refused", Assert.Single(await store.FailedAsync(10)).Key);

        _lago.RefuseEventsWith = null;
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await sender.DispatchDueAsync());
        Assert.Equal(1, _lago.EventPosts["charge-refused"]);
    }

    [Fact]
    public async Task AnEventLagoAlreadyHasCountsAsSent()
    {
        var (store, outbox, sender) = Start();
        await outbox.EnqueueAsync(LagoTestKit.Usage("charge-dup"));
        var client = LagoTestKit.Client(_lago);
        await client.SendEventAsync(LagoEventDispatcher.EventOf(LagoTestKit.Usage("charge-dup"), "user-1"));

        await sender.DispatchDueAsync();
        Assert.Equal(OutboxStatus.Sent, (await store.GetAsync("charge-dup"))!.Status);
        Assert.Single(_lago.Events);
        Assert.Equal(2, _lago.EventPosts["charge-dup"]);
    }
}
