using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using CloneAI.Core.Auth;
using CloneAI.Local.Realtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace CloneAI.Local.Tests.Realtime;

/// <summary>
/// The local hub's two client protocols, driven over real WebSockets on loopback TCP: sequence ids, acks, resuming a dropped
/// reliable connection with a replay of what was not acknowledged, the bounds, and the plain protocol as it was.
/// </summary>
public sealed class LocalRealtimeHubTests : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly LocalRealtimeHub _hub;
    private readonly List<IDisposable> _disposables = [];

    public LocalRealtimeHubTests()
    {
        _hub = Hub(new HubLimits(Grace, 50, 1024 * 1024, 100));
    }

    public void Dispose()
    {
        foreach (var d in _disposables) d.Dispose();
        _hub.Dispose();
    }

    private LocalRealtimeHub Hub(HubLimits limits) =>
        new(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), Options.Create(new AuthOptions()), _time, NullLogger<LocalRealtimeHub>.Instance, limits);

    private sealed record Client(HubSockets Sockets, Task Run, string ConnectionId, string? ReconnectionToken, JsonElement Connected);

    private async Task<Client> ConnectAsync(string protocol, string userId = "ada", params string[] allowed) =>
        await ConnectAsync(_hub, protocol, userId, allowed);

    private async Task<Client> ConnectAsync(LocalRealtimeHub hub, string protocol, string userId, string[] allowed)
    {
        var sockets = await HubSockets.OpenAsync(protocol);
        _disposables.Add(sockets);
        var run = hub.RunAsync(sockets.Server, protocol, userId, allowed.ToHashSet(StringComparer.Ordinal), CancellationToken.None);
        var connected = await sockets.NextAsync();
        Assert.Equal("system", connected.GetProperty("type").GetString());
        Assert.Equal("connected", connected.GetProperty("event").GetString());
        var token = connected.TryGetProperty("reconnectionToken", out var t) ? t.GetString() : null;
        return new Client(sockets, run, connected.GetProperty("connectionId").GetString()!, token, connected);
    }

    private async Task<(HubSockets Sockets, Task Run)> ResumeAsync(string? connectionId, string? token)
    {
        var sockets = await HubSockets.OpenAsync(HubProtocols.ReliableJson);
        _disposables.Add(sockets);
        return (sockets, _hub.ResumeAsync(sockets.Server, connectionId, token, CancellationToken.None));
    }

    private static async Task JoinAsync(HubSockets sockets, string group, long ackId)
    {
        await sockets.SendAsync(new { type = "joinGroup", group, ackId });
        var ack = await sockets.NextAsync();
        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.Equal(ackId, ack.GetProperty("ackId").GetInt64());
        Assert.True(ack.GetProperty("success").GetBoolean(), ack.ToString());
    }

    private Task SendAsync(string group, int n) => _hub.SendToGroupAsync(group, new { type = "delta", n });

    /// <summary>Drops the client's socket and waits until the hub has noticed.</summary>
    private static async Task CutAsync(Client client)
    {
        client.Sockets.Cut();
        await client.Run.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private static async Task PongAsync(HubSockets sockets)
    {
        await sockets.SendAsync(new { type = "ping" });
        var pong = await sockets.NextAsync();
        Assert.Equal("pong", pong.GetProperty("type").GetString());
    }

    private static async Task AssertRefusedAsync(HubSockets sockets, Task run)
    {
        var disconnected = await sockets.NextAsync();
        Assert.Equal("system", disconnected.GetProperty("type").GetString());
        Assert.Equal("disconnected", disconnected.GetProperty("event").GetString());
        Assert.Null(await sockets.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, sockets.Client.CloseStatus);
        await run.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task AReliableConnectionIsToldItsReconnectionTokenAndNumbersItsMessagesFromOne()
    {
        var client = await ConnectAsync(HubProtocols.ReliableJson, "ada", "session-1");
        Assert.Equal("ada", client.Connected.GetProperty("userId").GetString());
        Assert.False(string.IsNullOrEmpty(client.ConnectionId));
        Assert.True(client.ReconnectionToken is { Length: >= 32 });
        await JoinAsync(client.Sockets, "session-1", 1);

        for (var n = 1; n <= 3; n++) await SendAsync("session-1", n);
        await _hub.SendToUserAsync("ada", new { type = "document" });
        for (var n = 1; n <= 3; n++)
        {
            var message = await client.Sockets.NextAsync();
            Assert.Equal("message", message.GetProperty("type").GetString());
            Assert.Equal("group", message.GetProperty("from").GetString());
            Assert.Equal(n, message.GetProperty("sequenceId").GetInt64());
            Assert.Equal(n, message.GetProperty("data").GetProperty("n").GetInt32());
        }
        var fromServer = await client.Sockets.NextAsync();
        Assert.Equal("server", fromServer.GetProperty("from").GetString());
        Assert.Equal(4, fromServer.GetProperty("sequenceId").GetInt64());
        // Acks, pongs and system messages are not numbered.
        await PongAsync(client.Sockets);
    }

    [Fact]
    public async Task AcknowledgedMessagesAreTrimmedAndAResumedConnectionGetsTheRestExactlyOnceInOrderWithItsGroups()
    {
        var client = await ConnectAsync(HubProtocols.ReliableJson, "ada", "session-1");
        await JoinAsync(client.Sockets, "session-1", 1);
        for (var n = 1; n <= 5; n++) await SendAsync("session-1", n);
        for (var n = 1; n <= 5; n++) Assert.Equal(n, (await client.Sockets.NextAsync()).GetProperty("sequenceId").GetInt64());
        var connection = _hub.Find(client.ConnectionId)!;
        Assert.Equal(5, connection.UnacknowledgedCount);

        await client.Sockets.SendAsync(new { type = "sequenceAck", sequenceId = 3 });
        await PongAsync(client.Sockets); // the ack was read before the ping
        Assert.Equal(2, connection.UnacknowledgedCount);

        await CutAsync(client);
        Assert.Equal(1, _hub.ConnectionCount); // kept for the grace period
        for (var n = 6; n <= 7; n++) await SendAsync("session-1", n); // sent while the socket is down

        var (resumed, run) = await ResumeAsync(client.ConnectionId, client.ReconnectionToken);
        var connected = await resumed.NextAsync();
        Assert.Equal("connected", connected.GetProperty("event").GetString());
        Assert.Equal(client.ConnectionId, connected.GetProperty("connectionId").GetString());
        Assert.Equal("ada", connected.GetProperty("userId").GetString());
        for (var n = 4; n <= 7; n++)
        {
            var replayed = await resumed.NextAsync();
            Assert.Equal(n, replayed.GetProperty("sequenceId").GetInt64());
            Assert.Equal(n, replayed.GetProperty("data").GetProperty("n").GetInt32());
        }
        // Still in the group without joining again, and nothing was replayed twice: the next frame after 7 is 8.
        await SendAsync("session-1", 8);
        Assert.Equal(8, (await resumed.NextAsync()).GetProperty("sequenceId").GetInt64());
        await PongAsync(resumed);

        // A client that closes on purpose is gone: nothing waits for it.
        await resumed.Client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, _hub.ConnectionCount);
    }

    [Fact]
    public async Task AResumeWithAWrongTokenAnUnknownIdOrAfterTheGracePeriodIsRefusedWith1008()
    {
        var client = await ConnectAsync(HubProtocols.ReliableJson, "ada", "session-1");
        await JoinAsync(client.Sockets, "session-1", 1);
        await CutAsync(client);

        var (wrong, wrongRun) = await ResumeAsync(client.ConnectionId, client.ReconnectionToken + "x");
        await AssertRefusedAsync(wrong, wrongRun);
        var (unknown, unknownRun) = await ResumeAsync(Guid.NewGuid().ToString("N"), client.ReconnectionToken);
        await AssertRefusedAsync(unknown, unknownRun);
        var (missing, missingRun) = await ResumeAsync(client.ConnectionId, null);
        await AssertRefusedAsync(missing, missingRun);

        _time.Advance(Grace + TimeSpan.FromSeconds(1));
        Assert.Equal(0, _hub.ConnectionCount); // forgotten when the grace period ran out
        await SendAsync("session-1", 1);       // and nothing is kept for it
        var (late, lateRun) = await ResumeAsync(client.ConnectionId, client.ReconnectionToken);
        await AssertRefusedAsync(late, lateRun);
    }

    [Fact]
    public async Task AResumeWithinTheGracePeriodSucceedsAndRestartsTheClock()
    {
        var client = await ConnectAsync(HubProtocols.ReliableJson, "ada", "session-1");
        await JoinAsync(client.Sockets, "session-1", 1);
        await CutAsync(client);
        _time.Advance(Grace - TimeSpan.FromSeconds(1));
        var (resumed, run) = await ResumeAsync(client.ConnectionId, client.ReconnectionToken);
        Assert.Equal(client.ConnectionId, (await resumed.NextAsync()).GetProperty("connectionId").GetString());
        _time.Advance(Grace * 2); // attached again: the old deadline no longer applies
        await SendAsync("session-1", 1);
        Assert.Equal(1, (await resumed.NextAsync()).GetProperty("sequenceId").GetInt64());
        Assert.Equal(1, _hub.ConnectionCount);
        Assert.False(run.IsCompleted);
    }

    [Fact]
    public async Task ANewSocketTakesOverAConnectionWhoseOldSocketTheHubStillThinksIsOpen()
    {
        var client = await ConnectAsync(HubProtocols.ReliableJson, "ada", "session-1");
        await JoinAsync(client.Sockets, "session-1", 1);
        var (resumed, _) = await ResumeAsync(client.ConnectionId, client.ReconnectionToken);
        Assert.Equal("connected", (await resumed.NextAsync()).GetProperty("event").GetString());
        await client.Run.WaitAsync(TimeSpan.FromSeconds(20)); // the old socket is dropped
        await SendAsync("session-1", 1);
        Assert.Equal(1, (await resumed.NextAsync()).GetProperty("sequenceId").GetInt64());
        Assert.Equal(1, _hub.ConnectionCount);
    }

    [Fact]
    public async Task AClientThatDoesNotAcknowledgeIsDisconnectedAtTheBoundAndForgotten()
    {
        var hub = Hub(new HubLimits(Grace, 5, 1024 * 1024, 100));
        var client = await ConnectAsync(hub, HubProtocols.ReliableJson, "ada", ["session-1"]);
        await JoinAsync(client.Sockets, "session-1", 1);
        for (var n = 1; n <= 6; n++) await hub.SendToGroupAsync("session-1", new { type = "delta", n });
        for (var n = 1; n <= 5; n++) Assert.Equal(n, (await client.Sockets.NextAsync()).GetProperty("sequenceId").GetInt64());
        await AssertRefusedAsync(client.Sockets, client.Run);
        Assert.Equal(0, hub.ConnectionCount);
    }

    [Fact]
    public async Task GroupsOutsideTheTokenAreForbiddenAndARepeatedAckIdIsADuplicate()
    {
        var client = await ConnectAsync(HubProtocols.ReliableJson, "intruder", "user-intruder");
        await client.Sockets.SendAsync(new { type = "joinGroup", group = "session-1", ackId = 1 });
        var refused = await client.Sockets.NextAsync();
        Assert.False(refused.GetProperty("success").GetBoolean());
        Assert.Equal("Forbidden", refused.GetProperty("error").GetProperty("name").GetString());
        await SendAsync("session-1", 1);

        await JoinAsync(client.Sockets, "user-intruder", 2);
        await client.Sockets.SendAsync(new { type = "joinGroup", group = "user-intruder", ackId = 2 });
        var again = await client.Sockets.NextAsync();
        Assert.False(again.GetProperty("success").GetBoolean());
        Assert.Equal("Duplicate", again.GetProperty("error").GetProperty("name").GetString());
        // The session's message never reached the intruder: the next numbered message is the first one for its own group.
        await SendAsync("user-intruder", 2);
        var mine = await client.Sockets.NextAsync();
        Assert.Equal(1, mine.GetProperty("sequenceId").GetInt64());
        Assert.Equal(2, mine.GetProperty("data").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task ConcurrentSendersGetConsecutiveSequenceIdsAndEachSendersOrder()
    {
        using var hub = Hub(new HubLimits(Grace, 1000, 1024 * 1024, 100));
        var client = await ConnectAsync(hub, HubProtocols.ReliableJson, "ada", ["session-1"]);
        await JoinAsync(client.Sockets, "session-1", 1);
        const int Senders = 8, PerSender = 40;
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            for (var i = 0; i < PerSender; i++) await hub.SendToGroupAsync("session-1", new { type = "delta", s, i });
        })));
        var last = new int[Senders];
        Array.Fill(last, -1);
        for (var expected = 1; expected <= Senders * PerSender; expected++)
        {
            var message = await client.Sockets.NextAsync();
            Assert.Equal(expected, message.GetProperty("sequenceId").GetInt64());
            var data = message.GetProperty("data");
            var s = data.GetProperty("s").GetInt32();
            Assert.Equal(last[s] + 1, data.GetProperty("i").GetInt32());
            last[s]++;
            if (expected % 25 == 0) await client.Sockets.SendAsync(new { type = "sequenceAck", sequenceId = expected });
        }
        await PongAsync(client.Sockets);
        var connection = hub.Find(client.ConnectionId)!;
        Assert.Equal(Senders * PerSender, connection.LastSequenceId);
        Assert.Equal(Senders * PerSender % 25, connection.UnacknowledgedCount);
    }

    [Fact]
    public async Task ThePlainProtocolIsUnchangedNoSequenceIdsNoTokenAndADroppedSocketEndsTheConnection()
    {
        var client = await ConnectAsync(HubProtocols.Json, "ada", "session-1");
        Assert.Null(client.ReconnectionToken);
        Assert.Equal(["type", "event", "userId", "connectionId"], client.Connected.EnumerateObject().Select(p => p.Name));
        await JoinAsync(client.Sockets, "session-1", 1);
        await SendAsync("session-1", 1);
        var message = await client.Sockets.NextAsync();
        Assert.Equal(["type", "from", "group", "dataType", "data"], message.EnumerateObject().Select(p => p.Name));
        // sequenceAck is not part of this protocol; a repeated ack id is simply done again.
        await client.Sockets.SendAsync(new { type = "sequenceAck", sequenceId = 1 });
        Assert.Equal("error", (await client.Sockets.NextAsync()).GetProperty("event").GetString());
        await JoinAsync(client.Sockets, "session-1", 1);

        await CutAsync(client);
        Assert.Equal(0, _hub.ConnectionCount);
        var (resumed, run) = await ResumeAsync(client.ConnectionId, "anything");
        await AssertRefusedAsync(resumed, run);
    }

    [Fact]
    public async Task AFrameOver64KbClosesTheConnectionWithMessageTooBig()
    {
        var client = await ConnectAsync(HubProtocols.ReliableJson, "ada", "session-1");
        await client.Sockets.SendAsync(new { type = "joinGroup", group = new string('g', 70 * 1024), ackId = 1 });
        Assert.Null(await client.Sockets.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.Sockets.Client.CloseStatus);
        await client.Run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, _hub.ConnectionCount);
    }
}
