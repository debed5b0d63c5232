using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CloneAI.Azure.Tests.AI;

/// <summary>
/// A loopback OpenAI-compatible chat server that streams: it answers any POST ending in <c>/chat/completions</c> with
/// server-sent chunks of <see cref="Words"/>, then a usage chunk and <c>[DONE]</c>, and records each request.
/// </summary>
public sealed class LoopbackChatServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public LoopbackChatServer(params string[] words)
    {
        Words = words;
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }
    public string[] Words { get; }
    public List<(string Path, string Query, Dictionary<string, string> Headers, JsonElement Body)> Requests { get; } = [];

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone();
        lock (Requests)
            Requests.Add((context.Request.Url!.AbsolutePath, context.Request.Url.Query,
                context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase), body));
        var response = context.Response;
        if (!context.Request.Url.AbsolutePath.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }
        response.StatusCode = 200;
        if (!(body.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True))
        {
            // A plain (non-streaming) completion: the whole text at once.
            response.ContentType = "application/json";
            var whole = JsonSerializer.SerializeToUtf8Bytes(new
            {
                id = "chatcmpl-2", @object = "chat.completion", created = 1, model = "loopback",
                choices = new[] { new { index = 0, message = new { role = "assistant", content = string.Concat(Words) }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 42, completion_tokens = Words.Length, total_tokens = 42 + Words.Length },
            });
            await response.OutputStream.WriteAsync(whole);
            response.Close();
            return;
        }
        response.ContentType = "text/event-stream";
        response.SendChunked = true;
        async Task Send(object chunk)
        {
            var bytes = Encoding.UTF8.GetBytes("data: " + JsonSerializer.Serialize(chunk) + "\n\n");
            await response.OutputStream.WriteAsync(bytes);
            await response.OutputStream.FlushAsync();
        }
        for (var i = 0; i < Words.Length; i++)
        {
            object delta = i == 0 ? new { role = "assistant", content = Words[i] } : new { content = Words[i] };
            await Send(new { id = "chatcmpl-1", @object = "chat.completion.chunk", created = 1, model = "loopback", choices = new[] { new { index = 0, delta, finish_reason = (string?)null } } });
        }
        await Send(new { id = "chatcmpl-1", @object = "chat.completion.chunk", created = 1, model = "loopback", choices = new[] { new { index = 0, delta = new { }, finish_reason = "stop" } } });
        await Send(new { id = "chatcmpl-1", @object = "chat.completion.chunk", created = 1, model = "loopback", choices = Array.Empty<object>(), usage = new { prompt_tokens = 42, completion_tokens = Words.Length, total_tokens = 42 + Words.Length } });
        var done = Encoding.UTF8.GetBytes("data: [DONE]\n\n");
        await response.OutputStream.WriteAsync(done);
        response.Close();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
