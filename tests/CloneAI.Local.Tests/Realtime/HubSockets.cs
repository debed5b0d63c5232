using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;

namespace CloneAI.Local.Tests.Realtime;

/// <summary>
/// A WebSocket pair over a loopback TCP connection, without the HTTP handshake: the server end goes to the hub, the test
/// speaks the client end. <see cref="Cut"/> drops the TCP connection as a network failure would.
/// </summary>
internal sealed class HubSockets : IDisposable
{
    private readonly TcpClient _client;
    private readonly TcpClient _server;

    private HubSockets(TcpClient client, TcpClient server, string protocol)
    {
        _client = client;
        _server = server;
        Server = WebSocket.CreateFromStream(server.GetStream(), new WebSocketCreationOptions { IsServer = true, SubProtocol = protocol, KeepAliveInterval = TimeSpan.Zero });
        Client = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false, SubProtocol = protocol, KeepAliveInterval = TimeSpan.Zero });
    }

    public WebSocket Server { get; }
    public WebSocket Client { get; }

    public static async Task<HubSockets> OpenAsync(string protocol)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var client = new TcpClient();
            var connecting = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            var server = await listener.AcceptTcpClientAsync();
            await connecting;
            return new HubSockets(client, server, protocol);
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Resets the TCP connection: both ends see it drop without a closing handshake.</summary>
    public void Cut()
    {
        _client.Client.LingerState = new LingerOption(true, 0);
        _client.Close();
    }

    public Task SendAsync(object frame) =>
        Client.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next frame from the hub, or null when the hub closed the socket (see <see cref="WebSocket.CloseStatus"/>).</summary>
    public async Task<JsonElement?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Client.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                // Answer the close, as a browser or the npm client does.
                await Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return JsonDocument.Parse(message.ToArray()).RootElement;
        }
    }

    public async Task<JsonElement> NextAsync() => await ReceiveAsync() ?? throw new InvalidOperationException($"The hub closed the socket ({Client.CloseStatus}).");

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
        _client.Dispose();
        _server.Dispose();
    }
}
