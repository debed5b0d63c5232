using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloneAI.Local.Realtime;

/// <summary>The frames of the Web PubSub JSON client protocols that the local hub reads and writes.</summary>
internal static class HubFrames
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static byte[] Encode(object value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    /// <summary>The first frame of a connection; in the reliable protocol it carries the token that resumes it.</summary>
    public static byte[] Connected(HubConnection c) => c.Reliable
        ? Encode(new { type = "system", @event = "connected", userId = c.UserId, connectionId = c.Id, reconnectionToken = c.ReconnectionToken })
        : Encode(new { type = "system", @event = "connected", userId = c.UserId, connectionId = c.Id });

    /// <summary>Sent before the hub closes a connection for good.</summary>
    public static byte[] Disconnected(string message) => Encode(new { type = "system", @event = "disconnected", message });

    /// <summary>Handles one frame from the client: group joins and leaves (checked against the token's roles), acks, pings.</summary>
    public static void Handle(HubConnection connection, HubLink link, string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            link.Write(Encode(new { type = "system", @event = "error", message = "Frames must be JSON." }));
            return;
        }
        var type = node?["type"]?.GetValueKind() == JsonValueKind.String ? node["type"]!.GetValue<string>() : null;
        var group = node?["group"]?.GetValueKind() == JsonValueKind.String ? node["group"]!.GetValue<string>() : null;
        long? ackId = node?["ackId"]?.GetValueKind() == JsonValueKind.Number && node["ackId"]!.AsValue().TryGetValue<long>(out var a) ? a : null;
        switch (type)
        {
            case "joinGroup" or "leaveGroup" when string.IsNullOrEmpty(group):
                Ack(link, ackId, "InvalidRequest", "A group is required.");
                break;
            case "joinGroup" or "leaveGroup" when !connection.Allowed.Contains(group!):
                Ack(link, ackId, "Forbidden", $"The access token does not allow joining or leaving the group '{group}'.");
                break;
            case "joinGroup" or "leaveGroup" when ackId is { } id && connection.IsDuplicate(id):
                Ack(link, ackId, "Duplicate", $"The request with ackId {id} has already been processed.");
                break;
            case "joinGroup":
                connection.Groups[group!] = 0;
                Succeeded(connection, link, ackId);
                break;
            case "leaveGroup":
                connection.Groups.TryRemove(group!, out _);
                Succeeded(connection, link, ackId);
                break;
            case "sequenceAck" when connection.Reliable:
                var sequenceId = node?["sequenceId"]?.GetValueKind() == JsonValueKind.Number && node["sequenceId"]!.AsValue().TryGetValue<long>(out var s) ? s : (long?)null;
                if (sequenceId is null || !connection.Acknowledge(sequenceId.Value))
                    link.Write(Encode(new { type = "system", @event = "error", message = "sequenceAck needs the sequenceId of a message this connection was sent." }));
                break;
            case "ping":
                link.Write(Encode(new { type = "pong" }));
                break;
            default:
                // sendToGroup and events go to a server in Web PubSub; this hub has no upstream, so they are refused.
                Ack(link, ackId, "Forbidden", $"'{type}' is not supported here; clients only join and leave groups.");
                break;
        }
    }

    private static void Succeeded(HubConnection connection, HubLink link, long? ackId)
    {
        if (ackId is { } id) connection.Succeeded(id);
        Ack(link, ackId, null, null);
    }

    private static void Ack(HubLink link, long? ackId, string? errorName, string? message)
    {
        if (ackId is null)
        {
            if (errorName is not null) link.Write(Encode(new { type = "system", @event = "error", message }));
            return;
        }
        link.Write(errorName is null
            ? Encode(new { type = "ack", ackId, success = true })
            : Encode(new { type = "ack", ackId, success = false, error = new { name = errorName, message } }));
    }
}
