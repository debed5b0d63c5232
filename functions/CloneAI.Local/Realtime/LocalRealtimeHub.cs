using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CloneAI.Core.Auth;
using CloneAI.Core.Realtime;
using CloneAI.Core;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CloneAI.Local.Realtime;

/// <summary>
/// The local stand-in for Azure Web PubSub: it serves the <c>json.webpubsub.azure.v1</c> client protocol at
/// <c>/client/hubs/{hub}</c> (the <c>connected</c> system message, <c>joinGroup</c>/<c>leaveGroup</c> with acks, server →
/// client <c>message</c> frames) and issues client tokens shaped like Web PubSub's: a JWT whose <c>aud</c> is the client URL,
/// <c>sub</c> the user and whose <c>role</c> claims (<c>webpubsub.joinLeaveGroup.{group}</c>) list the groups it may join.
/// </summary>
public sealed class LocalRealtimeHub(SymmetricSecurityKey key, IOptions<AuthOptions> auth, TimeProvider time, ILogger<LocalRealtimeHub> logger) : IRealtimeHub
{
    public const string JoinRolePrefix = "webpubsub.joinLeaveGroup.";
    private const int MaxQueuedFrames = 1000;

    private static readonly JsonWebTokenHandler Handler = new();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);

    /// <summary>Connections open now (tests and diagnostics).</summary>
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
        var payload = Encode(new { type = "message", from = "group", group, dataType = "json", data = frame });
        foreach (var c in _connections.Values)
            if (c.Groups.ContainsKey(group)) c.Enqueue(payload);
        return Task.CompletedTask;
    }

    public Task SendToUserAsync(string userId, object frame, CancellationToken cancellationToken = default)
    {
        var payload = Encode(new { type = "message", from = "server", dataType = "json", data = frame });
        foreach (var c in _connections.Values)
            if (c.UserId == userId) c.Enqueue(payload);
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

    /// <summary>Runs one accepted client connection until it closes.</summary>
    public async Task RunAsync(WebSocket socket, string userId, HashSet<string> allowed, CancellationToken cancellationToken)
    {
        var connection = new Connection(Guid.NewGuid().ToString("N"), userId, allowed);
        _connections[connection.Id] = connection;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = WriteLoopAsync(socket, connection, stop.Token);
        try
        {
            connection.Enqueue(Encode(new { type = "system", @event = "connected", userId, connectionId = connection.Id }));
            await ReadLoopAsync(socket, connection, stop.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            logger.LogDebug("Realtime connection {Id} dropped: {Message}", connection.Id, e.Message);
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            connection.Complete();
            await stop.CancelAsync();
            try { await writer; } catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                try { await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None); }
                catch (WebSocketException) { }
            }
        }
    }

    private static async Task ReadLoopAsync(WebSocket socket, Connection connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) return;
            message.Write(buffer, 0, result.Count);
            if (message.Length > 64 * 1024)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "Frames are limited to 64 KB.", cancellationToken);
                return;
            }
            if (!result.EndOfMessage) continue;
            var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            message.SetLength(0);
            Handle(connection, text);
        }
    }

    private static void Handle(Connection connection, string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            connection.Enqueue(Encode(new { type = "system", @event = "error", message = "Frames must be JSON." }));
            return;
        }
        var type = node?["type"]?.GetValueKind() == JsonValueKind.String ? node["type"]!.GetValue<string>() : null;
        var group = node?["group"]?.GetValueKind() == JsonValueKind.String ? node["group"]!.GetValue<string>() : null;
        long? ackId = node?["ackId"]?.GetValueKind() == JsonValueKind.Number ? node["ackId"]!.GetValue<long>() : null;
        switch (type)
        {
            case "joinGroup" or "leaveGroup" when string.IsNullOrEmpty(group):
                Ack(connection, ackId, "InvalidRequest", "A group is required.");
                break;
            case "joinGroup" or "leaveGroup" when !connection.Allowed.Contains(group!):
                Ack(connection, ackId, "Forbidden", $"The access token does not allow joining or leaving the group '{group}'.");
                break;
            case "joinGroup":
                connection.Groups[group!] = 0;
                Ack(connection, ackId, null, null);
                break;
            case "leaveGroup":
                connection.Groups.TryRemove(group!, out _);
                Ack(connection, ackId, null, null);
                break;
            default:
                // sendToGroup and events go to a server in Web PubSub; this hub has no upstream, so they are refused.
                Ack(connection, ackId, "Forbidden", $"'{type}' is not supported here; clients only join and leave groups.");
                break;
        }
    }

    private static void Ack(Connection connection, long? ackId, string? errorName, string? message)
    {
        if (ackId is null)
        {
            if (errorName is not null) connection.Enqueue(Encode(new { type = "system", @event = "error", message }));
            return;
        }
        connection.Enqueue(errorName is null
            ? Encode(new { type = "ack", ackId, success = true })
            : Encode(new { type = "ack", ackId, success = false, error = new { name = errorName, message } }));
    }

    private static async Task WriteLoopAsync(WebSocket socket, Connection connection, CancellationToken cancellationToken)
    {
        await foreach (var payload in connection.Outbox.Reader.ReadAllAsync(cancellationToken))
            await socket.SendAsync(payload, WebSocketMessageType.Text, true, cancellationToken);
    }

    private static byte[] Encode(object value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    private sealed class Connection(string id, string userId, HashSet<string> allowed)
    {
        public string Id { get; } = id;
        public string UserId { get; } = userId;
        public HashSet<string> Allowed { get; } = allowed;
        public ConcurrentDictionary<string, byte> Groups { get; } = new(StringComparer.Ordinal);

        // A client too slow to read loses its oldest frames rather than holding the server's memory.
        public Channel<byte[]> Outbox { get; } = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(MaxQueuedFrames) { FullMode = BoundedChannelFullMode.DropOldest });

        public void Enqueue(byte[] payload) => Outbox.Writer.TryWrite(payload);

        public void Complete() => Outbox.Writer.TryComplete();
    }
}
