using System.Text;
using System.Text.Json;
using CloneAI.Core.Chat;
using CloneAI.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CloneAI.Functions.Http;

/// <summary>
/// Writes chat frames as server-sent events (<c>event: {type}</c>, <c>data: {json}</c>). Problems found before the first frame
/// are still plain problem+json responses; one found after it is already in the stream as an error frame.
/// </summary>
public sealed class EventStream(HttpResponse response)
{
    private static readonly JsonSerializerOptions FrameJson = new(JsonSerializerDefaults.Web);
    private bool _started;

    public static bool IsWanted(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase));

    public async Task<IActionResult> RunAsync(Func<FrameSink, Task> produce)
    {
        try
        {
            await produce(WriteAsync);
        }
        catch (AppException) when (_started)
        {
            // The error frame is already in the stream.
        }
        return _started ? new EmptyResult() : throw new InvalidOperationException("The answer produced no frames.");
    }

    private async Task WriteAsync(ChatFrame frame, CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            response.StatusCode = 200;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = PersonalResponses.NoStore;
            response.Headers["X-Accel-Buffering"] = "no";
        }
        var json = JsonSerializer.Serialize<object>(frame, FrameJson);
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {frame.Type}\ndata: {json}\n\n"), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
