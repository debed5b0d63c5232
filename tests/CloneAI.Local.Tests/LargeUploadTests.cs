using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CloneAI.Local.Tests;

/// <summary>
/// Security finding 7: an upload that declares 200 MB is a quick 413 problem, never a 500, and stores nothing, whether the
/// request declares it (Content-Length, over Kestrel's limit) or a multipart part does (over the per-file limit).
/// </summary>
public sealed class LargeUploadTests : IAsyncLifetime
{
    private const long TwoHundredMegabytes = 200L * 1024 * 1024;

    /// <summary>A host with the default limits (50 MB a file, 20 files, Kestrel's 128 MB), unlike the shared fixture's 2 MB.</summary>
    private OwnHost _host = null!;

    public async Task InitializeAsync() => _host = await OwnHost.StartAsync(new() { ["Logging:LogLevel:Default"] = "Critical" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Uri BaseAddress => new(_host.Url);

    /// <summary>A body of <paramref name="length"/> zero bytes (declared up front), made as it is sent, never held in memory.</summary>
    private sealed class ZeroContent(long length, byte[]? prefix = null) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var sent = 0L;
            if (prefix is not null)
            {
                await stream.WriteAsync(prefix);
                sent = prefix.Length;
            }
            var zeros = new byte[64 * 1024];
            while (sent < length)
            {
                var n = (int)Math.Min(zeros.Length, length - sent);
                await stream.WriteAsync(zeros.AsMemory(0, n));
                sent += n;
            }
        }

        protected override bool TryComputeLength(out long length1)
        {
            length1 = length;
            return true;
        }
    }

    /// <summary>
    /// Sends a request declaring 200 MB over a raw socket, body and all (as far as the server lets it), and reads the status and
    /// content type of the answer that comes meanwhile.
    /// </summary>
    private async Task<(int Status, string? ContentType)> RawSendAsync(string method, string path, string token, string contentType, byte[] prefix, bool chunked = false)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(BaseAddress.Host, BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"{method} {path} HTTP/1.1\r\nHost: {BaseAddress.Authority}\r\nAuthorization: Bearer {token}\r\n" +
                   $"Content-Type: {contentType}\r\n{(chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {TwoHundredMegabytes}")}\r\n\r\n";
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var sending = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), stop.Token);
                var zeros = new byte[64 * 1024];
                if (chunked)
                {
                    // Chunks of 64 KB; the total is declared nowhere.
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{prefix.Length:x}\r\n"), stop.Token);
                    await stream.WriteAsync(prefix, stop.Token);
                    await stream.WriteAsync("\r\n"u8.ToArray(), stop.Token);
                    var chunkHead = Encoding.ASCII.GetBytes($"{zeros.Length:x}\r\n");
                    for (long sent = prefix.Length; sent < TwoHundredMegabytes && !stop.IsCancellationRequested; sent += zeros.Length)
                    {
                        await stream.WriteAsync(chunkHead, stop.Token);
                        await stream.WriteAsync(zeros, stop.Token);
                        await stream.WriteAsync("\r\n"u8.ToArray(), stop.Token);
                    }
                    return;
                }
                await stream.WriteAsync(prefix, stop.Token);
                for (long sent = prefix.Length; sent < TwoHundredMegabytes && !stop.IsCancellationRequested; sent += zeros.Length)
                    await stream.WriteAsync(zeros, stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The server stopped reading: expected.
            }
        });
        var received = new StringBuilder();
        var buffer = new byte[8192];
        try
        {
            while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer, stop.Token);
                if (n == 0) break;
                received.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
        }
        finally
        {
            await stop.CancelAsync();
            tcp.Close();
            await sending;
        }
        var lines = received.ToString().Split("\r\n");
        Assert.True(lines[0].StartsWith("HTTP/1.1 ", StringComparison.Ordinal), $"no response: {received}");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var type = lines.FirstOrDefault(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?.Split(':', 2)[1].Split(';')[0].Trim();
        return (status, type);
    }

    private async Task<(HttpClient Client, string Token, string CloneId)> CloneAsync()
    {
        var owner = await _host.UserAsync("big-" + Guid.NewGuid().ToString("N")[..8], creator: true);
        var client = _host.Client(owner);
        var created = await client.PostAsJsonAsync("/api/clones", new { name = "Big " + Guid.NewGuid().ToString("N")[..8], category = "science" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return (client, client.DefaultRequestHeaders.Authorization!.Parameter!, id);
    }

    private static async Task AssertTooLarge(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(413, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
    }

    private async Task AssertNothingStored(HttpClient client, string cloneId)
    {
        var documents = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents");
        Assert.Equal(0, documents.GetProperty("items").GetArrayLength());
        var uploads = Path.Combine(_host.DataDir, "blobs", "knowledge", cloneId);
        Assert.False(Directory.Exists(uploads) && Directory.EnumerateFiles(uploads, "*", SearchOption.AllDirectories).Any(), "a blob was stored");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnUploadThatDeclares200MegabytesIsAQuick413(bool expectContinue)
    {
        var (client, token, cloneId) = await CloneAsync();
        using var _ = client;
        var boundary = "b" + Guid.NewGuid().ToString("N");
        var head = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"huge.txt\"\r\nContent-Type: text/plain\r\n\r\n");
        var started = Stopwatch.StartNew();
        if (expectContinue)
        {
            var content = new ZeroContent(TwoHundredMegabytes, head);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/clones/{cloneId}/documents") { Content = content };
            request.Headers.ExpectContinue = true;
            await AssertTooLarge(await client.SendAsync(request));
        }
        else
        {
            // A client that just sends: the verdict comes while the body is still on its way.
            var (status, contentType) = await RawSendAsync("POST", $"/api/clones/{cloneId}/documents", token, $"multipart/form-data; boundary={boundary}", head);
            Assert.Equal(413, status);
            Assert.Equal("application/problem+json", contentType);
        }
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
        await AssertNothingStored(client, cloneId);
    }

    [Fact]
    public async Task AMultipartPartLargerThanAFileMayBeIs413AndStoresNothing()
    {
        // Chunked (no Content-Length for the whole request): a part that runs on for 200 MB, past the per-file limit (50 MB)
        // and Kestrel's limit for a whole request (128 MB).
        var (client, token, cloneId) = await CloneAsync();
        using var _ = client;
        var boundary = "b" + Guid.NewGuid().ToString("N");
        var head = Encoding.ASCII.GetBytes(
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"small.txt\"\r\nContent-Type: text/plain\r\n\r\nTides follow the Moon.\r\n" +
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"huge.txt\"\r\nContent-Type: text/plain\r\n\r\n");
        var started = Stopwatch.StartNew();
        var (status, contentType) = await RawSendAsync("POST", $"/api/clones/{cloneId}/documents", token, $"multipart/form-data; boundary={boundary}", head, chunked: true);
        Assert.Equal(413, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"took {started.Elapsed}");
        await AssertNothingStored(client, cloneId);
    }

    [Fact]
    public async Task AMultipartPartThatDeclares200MegabytesIs413AndStoresNothing()
    {
        var (client, token, cloneId) = await CloneAsync();
        using var _ = client;
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent("Tides follow the Moon."u8.ToArray());
        part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(part, "files", "declared.txt");
        // The part's own header claims 200 MB.
        part.Headers.ContentLength = TwoHundredMegabytes;
        var bytes = await form.ReadAsByteArrayAsync();
        var body = new ByteArrayContent(bytes);
        body.Headers.ContentType = form.Headers.ContentType;
        await AssertTooLarge(await client.PostAsync($"/api/clones/{cloneId}/documents", body));
        await AssertNothingStored(client, cloneId);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnAvatarThatDeclares200MegabytesIsA413(bool expectContinue)
    {
        var user = await _host.UserAsync("avatar-" + Guid.NewGuid().ToString("N")[..8]);
        using var client = _host.Client(user);
        if (expectContinue)
        {
            var content = new ZeroContent(TwoHundredMegabytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            using var request = new HttpRequestMessage(HttpMethod.Put, "/api/me/avatar") { Content = content };
            request.Headers.ExpectContinue = true;
            await AssertTooLarge(await client.SendAsync(request));
        }
        else
        {
            var (status, contentType) = await RawSendAsync("PUT", "/api/me/avatar", client.DefaultRequestHeaders.Authorization!.Parameter!, "image/png", []);
            Assert.Equal(413, status);
            Assert.Equal("application/problem+json", contentType);
        }
    }
}
