using System.Text;
using CloneAI.Core.Errors;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Tests.Http;

/// <summary>
/// Security finding 7 in the function code (the path the Functions worker takes, whose server limit differs from the local host's
/// Kestrel): an upload declaring 200 MB is a 413 before anything is read, and a limit hit while reading is a 413, never a 500.
/// </summary>
public sealed class UploadLimitTests
{
    private const long FiftyMegabytes = 50L * 1024 * 1024;
    private const long TwoHundredMegabytes = 200L * 1024 * 1024;

    /// <summary>A body that must not be read (a test fails if it is), or one that throws what a server throws past its limit.</summary>
    private sealed class RefusingBody(Exception? thrown = null) : Stream
    {
        public bool WasRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            WasRead = true;
            throw thrown ?? new InvalidOperationException("The body was read.");
        }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            WasRead = true;
            throw thrown ?? new InvalidOperationException("The body was read.");
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class BodyLimit(long? limit) : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => false;
        public long? MaxRequestBodySize { get; set; } = limit;
    }

    private static HttpRequest Upload(Stream body, long? contentLength, long? serverLimit)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(new BodyLimit(serverLimit));
        context.Request.Method = "POST";
        context.Request.ContentType = "multipart/form-data; boundary=xyz";
        context.Request.ContentLength = contentLength;
        context.Request.Body = body;
        return context.Request;
    }

    [Fact]
    public async Task AnUploadDeclaringMoreThanTheServerReadsIs413BeforeAnyOfItIsRead()
    {
        var body = new RefusingBody();
        // The Functions worker's server limit (100 MB by default) is under what 20 files of 50 MB could add up to.
        var request = Upload(body, TwoHundredMegabytes, serverLimit: 100L * 1024 * 1024);
        await Assert.ThrowsAsync<PayloadTooLargeException>(() => Uploads.ReadFilesAsync(request, FiftyMegabytes, 20, CancellationToken.None));
        Assert.False(body.WasRead);
    }

    [Fact]
    public async Task TheServersLimitHitWhileReadingIs413()
    {
        // No declared length (chunked): the server finds the limit while the form is read.
        var request = Upload(new RefusingBody(new BadHttpRequestException("Request body too large.", 413)), null, serverLimit: null);
        await Assert.ThrowsAsync<PayloadTooLargeException>(() => Uploads.ReadFilesAsync(request, FiftyMegabytes, 20, CancellationToken.None));
    }

    [Fact]
    public async Task APartLongerThanAFileMayBeIs413()
    {
        var part = "--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\nContent-Type: text/plain\r\n\r\n" +
                   new string('a', 200 * 1024) + "\r\n--xyz--\r\n";
        var request = Upload(new MemoryStream(Encoding.ASCII.GetBytes(part)), part.Length, serverLimit: null);
        await Assert.ThrowsAsync<PayloadTooLargeException>(() => Uploads.ReadFilesAsync(request, maxFileBytes: 100 * 1024, 20, CancellationToken.None));
    }

    [Fact]
    public async Task APartThatDeclares200MegabytesIs413()
    {
        var part = $"--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"claims.txt\"\r\nContent-Type: text/plain\r\nContent-Length: {TwoHundredMegabytes}\r\n\r\n" +
                   "Tides follow the Moon.\r\n--xyz--\r\n";
        var request = Upload(new MemoryStream(Encoding.ASCII.GetBytes(part)), part.Length, serverLimit: null);
        await Assert.ThrowsAsync<PayloadTooLargeException>(() => Uploads.ReadFilesAsync(request, FiftyMegabytes, 20, CancellationToken.None));
    }

    [Theory]
    [InlineData(413, 413)]
    [InlineData(400, 400)]
    [InlineData(408, 408)]
    public async Task ABodyTheServerRefusesIsItsStatusNotA500(int thrown, int answered)
    {
        var result = await Respond.Run(new Mock<ILogger>().Object, () => throw new BadHttpRequestException("refused", thrown));
        Results.Problem(result, answered);
    }
}
