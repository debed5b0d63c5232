using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CloneAI.Local.Realtime;

namespace CloneAI.Local.Tests.Realtime;

/// <summary>The reliable subprotocol through the host's <c>/client/hubs/cloneai</c> endpoint, with a real answer streaming.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class ReliableRealtimeEndpointTests(LocalHostFixture host)
{
    private const string Tides =
        "# Tides\n\nTides are caused mainly by the gravitational pull of the Moon on the oceans. The Sun adds a smaller pull.\n\n" +
        "Spring tides happen at new and full moon, when the Sun and the Moon line up and their pulls add together. " +
        "Neap tides happen at the quarter moons, when the two pulls work at right angles.\n";

    [Fact]
    public async Task AReliableClientDroppedMidAnswerResumesAndGetsEveryFrameOnce()
    {
        var owner = await host.NewUserAsync("reliable-creator", creator: true);
        var clone = await host.CreateCloneAsync(owner.AccessToken, "Reliable Tides " + Guid.NewGuid().ToString("N")[..6], publish: true);
        var cloneId = clone.GetProperty("id").GetString()!;
        var doc = (await host.UploadAsync(owner.AccessToken, cloneId, ("tides.md", Encoding.UTF8.GetBytes(Tides))))[0];
        Assert.Equal("ready", (await host.WaitForDocumentAsync(owner.AccessToken, cloneId, doc.GetProperty("id").GetString()!)).GetProperty("status").GetString());
        var user = await host.NewUserAsync("reliable-asker");
        await host.FundAsync(user.Id);
        using var client = host.Client(user.AccessToken);
        var started = await client.PostAsync($"/api/clones/{cloneId}/sessions", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var negotiated = await client.GetFromJsonAsync<JsonElement>($"/api/realtime/negotiate?sessionId={sessionId}");
        var baseUrl = negotiated.GetProperty("baseUrl").GetString()!;

        using var first = new ClientWebSocket();
        first.Options.AddSubProtocol(HubProtocols.ReliableJson);
        await first.ConnectAsync(new Uri(negotiated.GetProperty("url").GetString()!), CancellationToken.None);
        Assert.Equal(HubProtocols.ReliableJson, first.SubProtocol);
        var connected = await ReceiveAsync(first);
        Assert.Equal(user.Id, connected.GetProperty("userId").GetString());
        var connectionId = connected.GetProperty("connectionId").GetString()!;
        var reconnectionToken = connected.GetProperty("reconnectionToken").GetString()!;
        await SendAsync(first, new { type = "joinGroup", group = "session-" + sessionId, ackId = 1 });
        Assert.True((await ReceiveAsync(first)).GetProperty("success").GetBoolean());

        // Ask, take frames up to the first delta, acknowledge them, then lose the socket.
        var asking = client.PostAsJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "What causes the tides?", clientMessageId = "reliable-1" });
        var received = new SortedDictionary<long, JsonElement>();
        while (!received.Values.Any(f => f.GetProperty("data").GetProperty("type").GetString() == "delta")) Take(received, await ReceiveAsync(first));
        var acknowledged = received.Keys.Max();
        await SendAsync(first, new { type = "sequenceAck", sequenceId = acknowledged });
        await SendAsync(first, new { type = "ping" });
        while (true)
        {
            var frame = await ReceiveAsync(first);
            if (frame.GetProperty("type").GetString() == "pong") break;
            Take(received, frame);
        }
        first.Abort();
        var answered = await asking;
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var answer = await answered.Content.ReadFromJsonAsync<JsonElement>();

        // A wrong reconnection token is refused with 1008; the right one needs no access token.
        using (var wrong = new ClientWebSocket())
        {
            wrong.Options.AddSubProtocol(HubProtocols.ReliableJson);
            await wrong.ConnectAsync(new Uri($"{baseUrl}?awps_connection_id={connectionId}&awps_reconnection_token=not-it"), CancellationToken.None);
            Assert.Equal("disconnected", (await ReceiveAsync(wrong)).GetProperty("event").GetString());
            var closing = await wrong.ReceiveAsync(new byte[256], CancellationToken.None);
            Assert.Equal(WebSocketMessageType.Close, closing.MessageType);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, wrong.CloseStatus);
        }
        using var resumed = new ClientWebSocket();
        resumed.Options.AddSubProtocol(HubProtocols.ReliableJson);
        await resumed.ConnectAsync(new Uri($"{baseUrl}?awps_connection_id={connectionId}&awps_reconnection_token={Uri.EscapeDataString(reconnectionToken)}"), CancellationToken.None);
        Assert.Equal(connectionId, (await ReceiveAsync(resumed)).GetProperty("connectionId").GetString());
        var expected = acknowledged + 1;
        while (true)
        {
            var frame = await ReceiveAsync(resumed);
            // The replay starts right after the acknowledged frame and repeats nothing.
            Assert.Equal(expected++, frame.GetProperty("sequenceId").GetInt64());
            Take(received, frame);
            if (frame.GetProperty("data").GetProperty("type").GetString() == "end") break;
        }

        var frames = received.Values.Select(f => f.GetProperty("data")).ToList();
        Assert.Equal(Enumerable.Range(1, frames.Count).Select(n => (long)n), received.Keys);
        Assert.Equal("start", frames[0].GetProperty("type").GetString());
        Assert.Equal("end", frames[^1].GetProperty("type").GetString());
        Assert.All(frames[1..^1], f => Assert.Equal("delta", f.GetProperty("type").GetString()));
        Assert.Equal(answer.GetProperty("content").GetString(), string.Concat(frames[1..^1].Select(f => f.GetProperty("text").GetString())).Trim());

        // Someone else's token does not reach the session's group in this protocol either.
        var intruder = await host.NewUserAsync("reliable-intruder");
        using var other = host.Client(intruder.AccessToken);
        var theirs = await other.GetFromJsonAsync<JsonElement>("/api/realtime/negotiate");
        using var intruding = new ClientWebSocket();
        intruding.Options.AddSubProtocol(HubProtocols.ReliableJson);
        await intruding.ConnectAsync(new Uri(theirs.GetProperty("url").GetString()!), CancellationToken.None);
        await ReceiveAsync(intruding);
        await SendAsync(intruding, new { type = "joinGroup", group = "session-" + sessionId, ackId = 1 });
        var refused = await ReceiveAsync(intruding);
        Assert.False(refused.GetProperty("success").GetBoolean());
        Assert.Equal("Forbidden", refused.GetProperty("error").GetProperty("name").GetString());
    }

    /// <summary>Keeps a numbered message by its sequence id, dropping one already seen (what a reliable client does).</summary>
    private static void Take(SortedDictionary<long, JsonElement> received, JsonElement frame)
    {
        Assert.Equal("message", frame.GetProperty("type").GetString());
        received.TryAdd(frame.GetProperty("sequenceId").GetInt64(), frame);
    }

    private static Task SendAsync(ClientWebSocket socket, object frame) => HubSocket.SendAsync(socket, frame);

    private static Task<JsonElement> ReceiveAsync(ClientWebSocket socket) => HubSocket.ReceiveAsync(socket);
}
