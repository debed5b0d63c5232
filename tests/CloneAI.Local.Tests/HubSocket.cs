using System.Net.WebSockets;
using System.Text.Json;

namespace CloneAI.Local.Tests;

/// <summary>Sends and reads the realtime hub's JSON frames over a client WebSocket (a frame may span several messages' parts).</summary>
internal static class HubSocket
{
    public static async Task SendAsync(ClientWebSocket socket, object frame) =>
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next whole frame, within 20 seconds.</summary>
    public static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return JsonDocument.Parse(message.ToArray()).RootElement;
        }
    }
}
