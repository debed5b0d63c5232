using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using CloneAI.Core.Auth;
using CloneAI.Core.Realtime;
using CloneAI.Core;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CloneAI.Local.Realtime;

/// <summary>
/// The local stand-in for Azure Web PubSub: it serves the client protocols <c>json.webpubsub.azure.v1</c> and
/// <c>json.reliable.webpubsub.azure.v1</c> at <c>/client/hubs/{hub}</c> (the <c>connected</c> system message,
/// <c>joinGroup</c>/<c>leaveGroup</c> with acks, <c>ping</c>/<c>pong</c>, server → client <c>message</c> frames; in the reliable
/// protocol also <c>sequenceId</c>s, <c>sequenceAck</c> and resuming a dropped connection, see <see cref="HubConnection"/>) and
/// issues client tokens shaped like Web PubSub's: a JWT whose <c>aud</c> is the client URL, <c>sub</c> the user and whose
/// <c>role</c> claims (<c>webpubsub.joinLeaveGroup.{group}</c>) list the groups it may join.
/// </summary>
public sealed class LocalRealtimeHub(SymmetricSecurityKey key, IOptions<AuthOptions> auth, TimeProvider time, ILogger<LocalRealtimeHub> logger, HubLimits? limits = null)
    : IRealtimeHub, IDisposable
{
    public const string JoinRolePrefix = "webpubsub.joinLeaveGroup.";

    private static readonly JsonWebTokenHandler Handler = new();

    private readonly HubLimits _limits = limits ?? HubLimits.Default;
    private readonly ConcurrentDictionary<string, HubConnection> _connections = new(StringComparer.Ordinal);

    /// <summary>Connections open now, or (reliable ones) waiting to be resumed (tests and diagnostics).</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>The client URL of a hub without the token: the token's audience.</summary>
    public string ClientUrl(string hub) =>
        auth.Value.PublicBaseUrl.TrimEnd('/').Replace("https://", "wss://", StringComparison.OrdinalIgnoreCase).Replace("http://", "ws://", StringComparison.OrdinalIgnoreCase)
        + "/client/hubs/" + hub;

    public Task<RealtimeConnection> GetClientConnectionAsync(string userId, IReadOnlyList<string> groups, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var url = ClientUrl(RealtimeNames.Hub);
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new("sub", userId) };
        claims.AddRange(groups.Distinct(StringComparer.Ordinal).Select(g => new Claim("role", JoinRolePrefix + g)));
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Audience = url,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(lifetime),
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return Task.FromResult(new RealtimeConnection($"{url}?access_token={Uri.EscapeDataString(token)}", url, token, new DateTimeOffset(now.Add(lifetime), TimeSpan.Zero)));
    }

    public Task SendToGroupAsync(string group, object frame, CancellationToken cancellationToken = default)
    {
        var payload = HubFrames.Encode(new { type = "message", from = "group", group, dataType = "json", data = frame });
        foreach (var c in _connections.Values)
            if (c.Groups.ContainsKey(group)) Deliver(c, payload);
        return Task.CompletedTask;
    }

    public Task SendToUserAsync(string userId, object frame, CancellationToken cancellationToken = default)
    {
        var payload = HubFrames.Encode(new { type = "message", from = "server", dataType = "json", data = frame });
        foreach (var c in _connections.Values)
            if (c.UserId == userId) Deliver(c, payload);
        return Task.CompletedTask;
    }

    /// <summary>Checks a client token for <paramref name="hub"/>: signature, lifetime, and an audience equal to the hub's client URL.</summary>
    public async Task<(string UserId, HashSet<string> Groups)?> ValidateAsync(string hub, string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidAudience = ClientUrl(hub),
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } e && e > time.GetUtcNow().UtcDateTime.AddSeconds(-30) && (notBefore is null || notBefore <= time.GetUtcNow().UtcDateTime.AddSeconds(30)),
        });
        if (!result.IsValid || result.ClaimsIdentity.FindFirst("sub")?.Value is not { Length: > 0 } user) return null;
        var groups = result.ClaimsIdentity.FindAll("role").Select(c => c.Value)
            .Where(r => r.StartsWith(JoinRolePrefix, StringComparison.Ordinal)).Select(r => r[JoinRolePrefix.Length..]).ToHashSet(StringComparer.Ordinal);
        return (user, groups);
    }

    /// <summary>Runs one accepted client connection (a new one, in <paramref name="protocol"/>) until it closes or, if reliable, drops.</summary>
    public Task RunAsync(WebSocket socket, string userId, HashSet<string> allowed, CancellationToken cancellationToken) =>
        RunAsync(socket, HubProtocols.Json, userId, allowed, cancellationToken);

    /// <inheritdoc cref="RunAsync(WebSocket, string, HashSet{string}, CancellationToken)"/>
    public async Task RunAsync(WebSocket socket, string protocol, string userId, HashSet<string> allowed, CancellationToken cancellationToken)
    {
        var reliable = protocol == HubProtocols.ReliableJson;
        var connection = new HubConnection(userId, allowed, reliable, _limits, time, Forget);
        _connections[connection.Id] = connection;
        var link = connection.Open(socket, HubFrames.Connected(connection));
        await ServeAsync(connection, link, cancellationToken);
    }

    /// <summary>
    /// Resumes a reliable connection on a new socket (<c>awps_connection_id</c>, <c>awps_reconnection_token</c>): the same connection
    /// id and groups, and every message the client has not acknowledged, in order. An unknown or expired connection or a wrong
    /// token gets the <c>disconnected</c> system message and close status 1008, which tells the client to start a new connection.
    /// </summary>
    public async Task ResumeAsync(WebSocket socket, string? connectionId, string? reconnectionToken, CancellationToken cancellationToken)
    {
        HubLink? link = null;
        HubLink? replaced = null;
        if (connectionId is not null && _connections.TryGetValue(connectionId, out var connection))
        {
            link = connection.Resume(socket, reconnectionToken, () => HubFrames.Connected(connection), out replaced);
            if (connection.IsClosed) Forget(connection);
        }
        else connection = null;
        if (link is null || connection is null)
        {
            await RefuseAsync(socket, "The connection cannot be resumed: it is unknown, has expired or the reconnection token is wrong. Start a new connection.");
            return;
        }
        replaced?.Abort();
        logger.LogDebug("Realtime connection {Id} resumed", connection.Id);
        await ServeAsync(connection, link, cancellationToken);
    }

    public void Dispose()
    {
        foreach (var c in _connections.Values) c.Close(null);
        _connections.Clear();
    }

    internal HubConnection? Find(string connectionId) => _connections.TryGetValue(connectionId, out var c) ? c : null;

    private void Deliver(HubConnection connection, byte[] payload)
    {
        if (!connection.Send(payload))
        {
            logger.LogInformation("Realtime connection {Id} closed: too many unacknowledged messages", connection.Id);
            Forget(connection);
        }
    }

    private void Forget(HubConnection connection) => _connections.TryRemove(new KeyValuePair<string, HubConnection>(connection.Id, connection));

    private async Task ServeAsync(HubConnection connection, HubLink link, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = WriteLoopAsync(link, stop.Token);
        var closedByClient = false;
        try
        {
            closedByClient = await ReadLoopAsync(link, connection, stop.Token);
        }
        catch (Exception e) when (IsDrop(e))
        {
            logger.LogDebug("Realtime connection {Id} dropped: {Message}", connection.Id, e.Message);
        }
        finally
        {
            var outcome = connection.Drop(link, closedByClient);
            if (outcome == DropOutcome.Forget) Forget(connection);
            link.Complete();
            await stop.CancelAsync();
            try { await writer; } catch (Exception e) when (IsDrop(e)) { }
            if (link.Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                try { await link.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None); }
                catch (Exception e) when (IsDrop(e)) { }
            }
        }
    }

    private static bool IsDrop(Exception e) => e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException;

    private static async Task RefuseAsync(WebSocket socket, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.SendAsync(HubFrames.Disconnected(message), WebSocketMessageType.Text, true, timeout.Token);
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Cannot resume.", timeout.Token);
        }
        catch (Exception e) when (IsDrop(e)) { }
    }

    /// <summary>Reads the client's frames until it closes (true) or the socket ends otherwise (false, or an exception).</summary>
    private static async Task<bool> ReadLoopAsync(HubLink link, HubConnection connection, CancellationToken cancellationToken)
    {
        var socket = link.Socket;
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        var closing = false;
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) return true;
            if (closing) continue; // the close is on its way; the client's answer to it ends the loop
            message.Write(buffer, 0, result.Count);
            if (message.Length > 64 * 1024)
            {
                link.Close(WebSocketCloseStatus.MessageTooBig, "Frames are limited to 64 KB.", null);
                closing = true;
                continue;
            }
            if (!result.EndOfMessage) continue;
            var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            message.SetLength(0);
            HubFrames.Handle(connection, link, text);
        }
        return false;
    }

    private static async Task WriteLoopAsync(HubLink link, CancellationToken cancellationToken)
    {
        await foreach (var frame in link.Outbox.Reader.ReadAllAsync(cancellationToken))
        {
            if (frame.Close is { } status)
            {
                await link.Socket.CloseOutputAsync(status, frame.Reason, cancellationToken);
                // The client has a few seconds to answer the close; one that does not loses the socket.
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
                link.Socket.Abort();
                return;
            }
            await link.Socket.SendAsync(frame.Payload!, WebSocketMessageType.Text, true, cancellationToken);
        }
    }
}
