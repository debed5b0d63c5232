using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using CloneAI.Functions.Ingestion;
using Microsoft.Extensions.Options;
using CloneAI.Azure.Blobs;
using CloneAI.Azure.Knowledge;

namespace CloneAI.Azure.Tests.Blob;

/// <summary>
/// Azurite's blob service on a free loopback port (installed by ./test from npm into tests/azurite, started with
/// <c>--disableTelemetry</c> and a throwaway data folder), stopped when the tests end.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account key (public, documented, only valid against the emulator).</summary>
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? _process;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cloneai-azurite-" + Guid.NewGuid().ToString("N"));

    public static string Binary => Path.Combine(TestPaths.RepositoryRoot, "tests", "azurite", "node_modules", ".bin", "azurite-blob");

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary)) throw new InvalidOperationException($"Azurite is not installed at {Binary}: run ./test (or npm ci in tests/azurite).");
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); port = ((IPEndPoint)l.LocalEndpoint).Port; }
        Directory.CreateDirectory(_data);
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", _data, "--disableTelemetry", "--silent", "--skipApiVersionCheck" })
            start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var i = 0; ; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (i < 100)
            {
                await Task.Delay(100);
            }
        }
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevKey};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }
}

/// <summary>The Blob adapter and the SAS upload URL against Azurite: a real storage server speaking the Blob REST API.</summary>
public sealed class AzuriteBlobTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private async Task<BlobContainerClient> ContainerAsync()
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("c" + Guid.NewGuid().ToString("N")[..12]);
        await container.CreateAsync();
        return container;
    }

    [Fact]
    public async Task UploadDownloadOverwriteAndDelete()
    {
        var store = new AzureBlobStore(await ContainerAsync());
        await store.PutAsync("avatars/u1.png", [1, 2, 3], "image/png");
        var read = await store.GetAsync("avatars/u1.png");
        Assert.Equal([1, 2, 3], read!.Data);
        Assert.Equal("image/png", read.ContentType);

        await store.PutAsync("avatars/u1.png", [9], "image/webp"); // an overwrite replaces both
        read = await store.GetAsync("avatars/u1.png");
        Assert.Equal([9], read!.Data);
        Assert.Equal("image/webp", read.ContentType);

        await store.DeleteAsync("avatars/u1.png");
        Assert.Null(await store.GetAsync("avatars/u1.png"));
        await store.DeleteAsync("avatars/u1.png"); // deleting what is gone is not an error
        Assert.Null(await store.GetAsync("never/was.txt"));
    }

    [Fact]
    public async Task DeletingAPrefixRemovesEverythingUnderItAndNothingElse()
    {
        var store = new AzureBlobStore(await ContainerAsync());
        foreach (var path in new[] { "knowledge/c1/d1/a.txt", "knowledge/c1/d1/work/text.json", "knowledge/c1/d2/b.txt", "knowledge/c10/d3/c.txt" })
            await store.PutAsync(path, Encoding.UTF8.GetBytes(path), "text/plain");
        await store.DeletePrefixAsync("knowledge/c1/");
        Assert.Null(await store.GetAsync("knowledge/c1/d1/a.txt"));
        Assert.Null(await store.GetAsync("knowledge/c1/d1/work/text.json"));
        Assert.Null(await store.GetAsync("knowledge/c1/d2/b.txt"));
        Assert.NotNull(await store.GetAsync("knowledge/c10/d3/c.txt"));
    }

    [Fact]
    public async Task ASasUploadUrlTakesExactlyOneFileAtThePathTheBlobTriggerWatches()
    {
        var container = await ContainerAsync();
        var service = new BlobServiceClient(azurite.ConnectionString);
        var documents = new Mock<IDocumentStore>();
        documents.Setup(d => d.CreateAsync(It.IsAny<KnowledgeDocument>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((KnowledgeDocument d, CancellationToken _) => d with { ETag = "1" });
        var issuer = new SasUploadUrlIssuer(service, Options.Create(new BlobOptions { Container = container.Name, ConnectionString = azurite.ConnectionString }),
            Options.Create(new KnowledgeOptions()), documents.Object, TimeProvider.System);
        var clone = new Clone { Id = "clone1", Slug = "c", OwnerId = "o1", Name = "C", Category = "science" };
        var ticket = await issuer.IssueAsync(clone, "o1", "../notes on tides.pdf", 11, []);

        using var http = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, ticket.UploadUrl) { Content = new ByteArrayContent("%PDF-1.4 hi"u8.ToArray()) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        var response = await http.SendAsync(put);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // The blob landed at knowledge/{cloneId}/{documentId}/{fileName}: the blob trigger's path pattern.
        var stored = new AzureBlobStore(container);
        Assert.Equal("%PDF-1.4 hi", Encoding.UTF8.GetString((await stored.GetAsync(ticket.Document.BlobPath))!.Data));
        var pattern = "^" + Regex.Replace(DocumentUploaded.BlobPath.Split('/', 2)[1], @"\{(\w+)\}", "(?<$1>[^/]+)") + "$";
        var match = Regex.Match(ticket.Document.BlobPath, pattern);
        Assert.True(match.Success, $"{ticket.Document.BlobPath} does not match {DocumentUploaded.BlobPath}");
        Assert.Equal("clone1", match.Groups["cloneId"].Value);
        Assert.Equal(ticket.Document.Id, match.Groups["documentId"].Value);
        Assert.DoesNotContain("..", match.Groups["fileName"].Value, StringComparison.Ordinal);

        // The URL grants that one blob only: not a read of it, and not a write elsewhere.
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(ticket.UploadUrl)).StatusCode);
        var elsewhere = new UriBuilder(ticket.UploadUrl) { Path = ticket.UploadUrl.AbsolutePath.Replace(ticket.Document.Id, "other-doc", StringComparison.Ordinal) }.Uri;
        using var sneaky = new HttpRequestMessage(HttpMethod.Put, elsewhere) { Content = new ByteArrayContent([1]) };
        sneaky.Headers.Add("x-ms-blob-type", "BlockBlob");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(sneaky)).StatusCode);
    }
}
