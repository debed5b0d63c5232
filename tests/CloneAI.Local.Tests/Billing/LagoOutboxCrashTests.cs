using CloneAI.Core.Billing;
using CloneAI.Local.Billing;
using CloneAI.Local.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloneAI.Local.Tests.Billing;

/// <summary>
/// kill -9 of the local host (its own process, <c>Billing:Provider=lago</c>) while it sends the billing outbox: the event Lago
/// received but the host never marked sent, and the one it had not sent yet, are each delivered once after a restart. The usage
/// is put in the outbox as a charge would (the charges are another part of issue 13).
/// </summary>
public sealed class LagoOutboxCrashTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cloneai-lago-crash-" + Guid.NewGuid().ToString("N"));
    private readonly string _url = $"http://127.0.0.1:{LocalHostFixture.FreePort()}";
    private FakeLago _lago = null!;

    public async Task InitializeAsync() => _lago = await FakeLago.StartAsync();

    public async Task DisposeAsync()
    {
        await _lago.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task AHostKilledBetweenSendingAnEventAndMarkingItSentDeliversEachEventOnceAfterARestart()
    {
        // The charges' usage, in the outbox of the data folder the host will use.
        var store = new SqliteBillingOutboxStore(new SqliteDatabase(Path.Combine(_data, "cloneai.db"), NullLogger<SqliteDatabase>.Instance));
        await store.AddAsync(LagoTestKit.Usage("charge-held"), DateTimeOffset.UtcNow.AddSeconds(-2));
        await store.AddAsync(LagoTestKit.Usage("charge-next"), DateTimeOffset.UtcNow.AddSeconds(-1));
        SqliteConnection.ClearAllPools();

        // Lago takes the first event but does not answer: the host is killed while it waits.
        _lago.HoldEvents = true;
        var host = StartHost();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!_lago.Events.ContainsKey("charge-held"))
            {
                Assert.True(DateTime.UtcNow < deadline, "the host did not send the outbox's first event");
                Assert.False(host.HasExited, "the host stopped");
                await Task.Delay(50);
            }
            host.Kill(entireProcessTree: true); // SIGKILL
            await host.WaitForExitAsync();
        }
        finally
        {
            if (!host.HasExited) host.Kill(entireProcessTree: true);
        }
        Assert.Equal(OutboxStatus.Pending, (await store.GetAsync("charge-held"))!.Status);
        Assert.Equal(OutboxStatus.Pending, (await store.GetAsync("charge-next"))!.Status);
        Assert.False(_lago.EventPosts.ContainsKey("charge-next"));

        _lago.HoldEvents = false;
        _lago.ReleaseHeldEvents();
        host = StartHost();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while ((await store.GetAsync("charge-held"))!.Status != OutboxStatus.Sent || (await store.GetAsync("charge-next"))!.Status != OutboxStatus.Sent)
            {
                Assert.True(DateTime.UtcNow < deadline, "the restarted host did not deliver the outbox");
                Assert.False(host.HasExited, "the restarted host stopped");
                await Task.Delay(100);
            }
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }

        // Lago has each event once: the first was sent again after the restart and Lago's transaction_id kept one.
        Assert.Equal(2, _lago.Events.Count);
        Assert.Equal(2, _lago.EventPosts["charge-held"]);
        Assert.Equal(1, _lago.EventPosts["charge-next"]);
        _lago.AssertNoViolations();
    }

    private System.Diagnostics.Process StartHost() => HostProcess.Start(_data, _url, _lago.Settings().Concat(new Dictionary<string, string?>
    {
        ["Lago:Outbox:PollInterval"] = "00:00:00.500",
        ["Lago:Outbox:BaseDelay"] = "00:00:00.200",
    }));
}
