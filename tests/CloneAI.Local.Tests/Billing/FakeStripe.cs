using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CloneAI.Local.Tests.Billing;

/// <summary>One request the fake Stripe received: method, path, headers and the form-encoded body, decoded.</summary>
internal sealed record StripeRequest(string Method, string Path, string? Authorization, string? IdempotencyKey, IReadOnlyDictionary<string, string> Form);

/// <summary>
/// A loopback fake of the part of Stripe's API that payouts use: <c>POST /v1/transfers</c>, form-encoded, bearer-authenticated.
/// It answers a transfer object (one per idempotency key, as Stripe replays a key's first answer), or, while
/// <see cref="Decline"/> is set, Stripe's 400 error object with that message.
/// </summary>
internal sealed class FakeStripe : IAsyncDisposable
{
    public const string ApiKey = "sk_test_cloneai_fake";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Lock _lock = new();
    private readonly List<StripeRequest> _requests = [];
    private readonly Dictionary<string, string> _transfers = new(StringComparer.Ordinal);

    public FakeStripe()
    {
        _listener.Prefixes.Add($"http://127.0.0.1:{LocalHostFixture.FreePort()}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri ApiBase => new(_listener.Prefixes.Single());

    /// <summary>When set, every transfer is declined with this message.</summary>
    public string? Decline { get; set; }

    public IReadOnlyList<StripeRequest> Requests
    {
        get { lock (_lock) return [.. _requests]; }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (HttpListenerException) { return; }
            catch (ObjectDisposedException) { return; }
            var (status, body) = await AnswerAsync(context.Request);
            var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.Headers["Request-Id"] = "req_" + Guid.NewGuid().ToString("N")[..14];
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private async Task<(int Status, JsonObject Body)> AnswerAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var form = text.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => p.Length > 1 ? WebUtility.UrlDecode(p[1]) : "", StringComparer.Ordinal);
        var recorded = new StripeRequest(request.HttpMethod, request.Url!.AbsolutePath, request.Headers["Authorization"], request.Headers["Idempotency-Key"], form);
        lock (_lock) _requests.Add(recorded);

        if (recorded.Authorization != "Bearer " + ApiKey) return Error(401, "authentication_error", "Invalid API Key provided.");
        if (recorded.Method != "POST" || recorded.Path != "/v1/transfers") return Error(404, "invalid_request_error", $"Unrecognized request URL ({recorded.Method}: {recorded.Path}).");
        if (Decline is { } decline) return Error(400, "invalid_request_error", decline);
        foreach (var field in new[] { "amount", "currency", "destination" })
            if (!form.ContainsKey(field)) return Error(400, "invalid_request_error", $"Missing required param: {field}.");

        string id;
        lock (_lock)
        {
            var key = recorded.IdempotencyKey ?? Guid.NewGuid().ToString("N");
            if (!_transfers.TryGetValue(key, out id!)) _transfers[key] = id = "tr_" + Guid.NewGuid().ToString("N")[..24];
        }
        var metadata = new JsonObject();
        foreach (var (name, value) in form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal)))
            metadata[name["metadata[".Length..^1]] = value;
        return (200, new JsonObject
        {
            ["id"] = id, ["object"] = "transfer", ["amount"] = long.Parse(form["amount"], System.Globalization.CultureInfo.InvariantCulture),
            ["amount_reversed"] = 0, ["currency"] = form["currency"], ["destination"] = form["destination"], ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false, ["metadata"] = metadata, ["reversed"] = false, ["reversals"] = new JsonObject { ["object"] = "list", ["data"] = new JsonArray(), ["has_more"] = false, ["url"] = $"/v1/transfers/{id}/reversals" },
        });
    }

    private static (int, JsonObject) Error(int status, string type, string message) =>
        (status, new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["message"] = message } });

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
