using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CloneAI.Local.Tests;

/// <summary>The knowledge base end to end on the local host: upload, Durable ingestion, search, text, management.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class KnowledgeTests(LocalHostFixture host)
{
    private const string Photosynthesis =
        "Photosynthesis\n\nPhotosynthesis converts light energy into chemical energy in chloroplasts. " +
        "Plants capture sunlight with chlorophyll and use it to turn carbon dioxide and water into glucose.\n\n" +
        "The Calvin cycle fixes carbon in the stroma. Oxygen is released as a by-product of splitting water.\n";

    private const string Volcanoes =
        "# Volcanoes\n\nA volcano is a rupture in the crust of a planet.\n\n## Magma\n\nMagma rises because it is less dense than the rock around it. " +
        "Basaltic magma is runny; rhyolitic magma is sticky and explosive.\n\n## Eruptions\n\nExplosive eruptions throw ash high into the stratosphere.\n";

    private async Task<(TestUser Owner, string CloneId)> CloneAsync(bool publish = false)
    {
        var owner = await host.NewUserAsync("kb", creator: true);
        var clone = await host.CreateCloneAsync(owner.AccessToken, "Knowledge " + Guid.NewGuid().ToString("N")[..8], publish);
        return (owner, clone.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task UploadedFilesReachReadyAndTheirPassagesAreSearchableWithExactOffsets()
    {
        var (owner, cloneId) = await CloneAsync();
        var docs = await host.UploadAsync(owner.AccessToken, cloneId, ("plants.txt", Encoding.UTF8.GetBytes(Photosynthesis)), ("volcanoes.md", Encoding.UTF8.GetBytes(Volcanoes)));
        Assert.Equal(2, docs.Count);
        foreach (var doc in docs)
        {
            var ready = await host.WaitForDocumentAsync(owner.AccessToken, cloneId, doc.GetProperty("id").GetString()!);
            Assert.Equal("ready", ready.GetProperty("status").GetString());
            Assert.Equal(100, ready.GetProperty("progress").GetInt32());
            Assert.True(ready.GetProperty("chunkCount").GetInt32() > 0);
            Assert.True(ready.GetProperty("tokenCount").GetInt32() > 0);
            Assert.False(string.IsNullOrWhiteSpace(ready.GetProperty("summary").GetString()));
        }

        using var client = host.Client(owner.AccessToken);
        foreach (var mode in new[] { "keyword", "vector", "hybrid" })
        {
            var result = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/knowledge/search?q=Calvin%20cycle%20carbon&mode={mode}&top=3");
            var best = result.GetProperty("items")[0];
            Assert.Equal("plants.txt", best.GetProperty("fileName").GetString());
            var (start, end) = (best.GetProperty("start").GetInt32(), best.GetProperty("end").GetInt32());
            // A TXT document's text is the file's text, so the offsets index the original exactly.
            Assert.Equal(Photosynthesis[start..end], best.GetProperty("text").GetString());
            var slice = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents/{best.GetProperty("documentId").GetString()}/text?start={start}&end={end}");
            Assert.Equal(Photosynthesis[start..end], slice.GetProperty("text").GetString());
            Assert.Equal(Photosynthesis.Length, slice.GetProperty("totalLength").GetInt32());
        }

        var stats = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/knowledge/stats");
        Assert.Equal(2, stats.GetProperty("ready").GetInt32());
        Assert.False(stats.GetProperty("needsReindex").GetBoolean());
    }

    [Fact]
    public async Task TheSameFileTwiceReturnsTheExistingDocument()
    {
        var (owner, cloneId) = await CloneAsync();
        var first = (await host.UploadAsync(owner.AccessToken, cloneId, ("a.txt", Encoding.UTF8.GetBytes(Photosynthesis))))[0];
        var second = (await host.UploadAsync(owner.AccessToken, cloneId, ("renamed.txt", Encoding.UTF8.GetBytes(Photosynthesis))))[0];
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.True(second.GetProperty("duplicate").GetBoolean());
        using var client = host.Client(owner.AccessToken);
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents");
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task DeletingADocumentRemovesItsRecordTextChunksAndFile()
    {
        var (owner, cloneId) = await CloneAsync();
        var doc = (await host.UploadAsync(owner.AccessToken, cloneId, ("plants.txt", Encoding.UTF8.GetBytes(Photosynthesis))))[0];
        var id = doc.GetProperty("id").GetString()!;
        await host.WaitForDocumentAsync(owner.AccessToken, cloneId, id);
        using var client = host.Client(owner.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/clones/{cloneId}/documents/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/clones/{cloneId}/documents/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/clones/{cloneId}/documents/{id}/text")).StatusCode);
        var search = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/knowledge/search?q=photosynthesis&mode=keyword");
        Assert.Equal(0, search.GetProperty("items").GetArrayLength());
        var blobs = Path.Combine(host.DataDir, "blobs");
        Assert.False(Directory.Exists(Path.Combine(blobs, "knowledge", cloneId, id)) && Directory.EnumerateFiles(Path.Combine(blobs, "knowledge", cloneId, id)).Any());
        Assert.False(File.Exists(Path.Combine(blobs, "extracted", cloneId, id, "text.json")));
    }

    [Fact]
    public async Task ReindexingProcessesTheDocumentAgainWithoutDuplicatingChunks()
    {
        var (owner, cloneId) = await CloneAsync();
        var id = (await host.UploadAsync(owner.AccessToken, cloneId, ("volcanoes.md", Encoding.UTF8.GetBytes(Volcanoes))))[0].GetProperty("id").GetString()!;
        var before = await host.WaitForDocumentAsync(owner.AccessToken, cloneId, id);
        using var client = host.Client(owner.AccessToken);
        var reindex = await client.PostAsync($"/api/clones/{cloneId}/documents/{id}/reindex", null);
        Assert.Equal(HttpStatusCode.Accepted, reindex.StatusCode);
        var after = await host.WaitForDocumentAsync(owner.AccessToken, cloneId, id);
        Assert.Equal("ready", after.GetProperty("status").GetString());
        Assert.Equal(before.GetProperty("chunkCount").GetInt32(), after.GetProperty("chunkCount").GetInt32());
        var stats = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/knowledge/stats");
        Assert.Equal(before.GetProperty("chunkCount").GetInt32(), stats.GetProperty("chunks").GetInt32());
        var hits = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/knowledge/search?q=magma&mode=keyword&top=50");
        var ids = hits.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("chunkId").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task TagsTitlesFiltersAndBulkActionsWork()
    {
        var (owner, cloneId) = await CloneAsync();
        var docs = await host.UploadAsync(owner.AccessToken, cloneId, ("plants.txt", Encoding.UTF8.GetBytes(Photosynthesis)), ("volcanoes.md", Encoding.UTF8.GetBytes(Volcanoes)));
        var ids = docs.Select(d => d.GetProperty("id").GetString()!).ToList();
        foreach (var id in ids) await host.WaitForDocumentAsync(owner.AccessToken, cloneId, id);
        using var client = host.Client(owner.AccessToken);

        var patched = await client.PatchAsJsonAsync($"/api/clones/{cloneId}/documents/{ids[0]}", new { title = "All about plants", tags = new[] { "Biology" } });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("All about plants", (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());

        var bulk = await client.PostAsJsonAsync($"/api/clones/{cloneId}/documents/bulk", new { action = "tag", documentIds = new[] { ids[1], "no-such-document" }, tags = new[] { "geology" } });
        var result = await bulk.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([ids[1]], result.GetProperty("succeeded").EnumerateArray().Select(x => x.GetString()!).ToArray());
        Assert.Equal("no-such-document", result.GetProperty("failed")[0].GetProperty("id").GetString());

        var biology = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents?tag=biology");
        Assert.Equal(ids[0], Assert.Single(biology.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var ready = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents?status=ready");
        Assert.Equal(2, ready.GetProperty("items").GetArrayLength());
        var failed = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents?status=failed");
        Assert.Equal(0, failed.GetProperty("items").GetArrayLength());

        var delete = await client.PostAsJsonAsync($"/api/clones/{cloneId}/documents/bulk", new { action = "delete", documentIds = ids });
        Assert.Equal(2, (await delete.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("succeeded").GetArrayLength());
        var none = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents");
        Assert.Equal(0, none.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task APageImportedFromAUrlKeepsItsMainText()
    {
        var (owner, cloneId) = await CloneAsync();
        await using var site = await LoopbackSite.StartAsync(
            "<html><head><title>Tide pools</title><script>var secret = 'tracking-code';</script><style>p{color:red}</style></head>" +
            "<body><nav>Home | About | Contact</nav><main><h1>Tide pools</h1><p>Sea anemones live in tide pools along rocky shores.</p></main></body></html>");
        using var client = host.Client(owner.AccessToken);
        var imported = await client.PostAsJsonAsync($"/api/clones/{cloneId}/documents/import-url", new { url = site.Url + "tides" });
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var doc = await imported.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith(".html", doc.GetProperty("fileName").GetString(), StringComparison.Ordinal);
        var id = doc.GetProperty("id").GetString()!;
        var ready = await host.WaitForDocumentAsync(owner.AccessToken, cloneId, id);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        var text = (await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents/{id}/text")).GetProperty("text").GetString()!;
        Assert.Contains("Sea anemones live in tide pools", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tracking-code", text, StringComparison.Ordinal);
        Assert.DoesNotContain("About | Contact", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/a.txt")]
    [InlineData("not a url")]
    [InlineData("http://127.0.0.1:1/nothing-listens-here")]
    public async Task ImportRejectsWhatItCannotFetch(string url)
    {
        var (owner, cloneId) = await CloneAsync();
        using var client = host.Client(owner.AccessToken);
        var response = await client.PostAsJsonAsync($"/api/clones/{cloneId}/documents/import-url", new { url });
        await HostileInputTests.AssertFieldError(response, HttpStatusCode.BadRequest, "url");
    }

    [Fact]
    public async Task TextRangesAreValidated()
    {
        var (owner, cloneId) = await CloneAsync();
        var id = (await host.UploadAsync(owner.AccessToken, cloneId, ("plants.txt", Encoding.UTF8.GetBytes(Photosynthesis))))[0].GetProperty("id").GetString()!;
        await host.WaitForDocumentAsync(owner.AccessToken, cloneId, id);
        using var client = host.Client(owner.AccessToken);
        await HostileInputTests.AssertFieldError(await client.GetAsync($"/api/clones/{cloneId}/documents/{id}/text?start=50&end=10"), HttpStatusCode.BadRequest, "end");
        await HostileInputTests.AssertFieldError(await client.GetAsync($"/api/clones/{cloneId}/documents/{id}/text?start=999999"), HttpStatusCode.BadRequest, "start");
        await HostileInputTests.AssertFieldError(await client.GetAsync($"/api/clones/{cloneId}/documents/{id}/text?start=abc"), HttpStatusCode.BadRequest, "start");
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("NEAR(a b) OR text:secret")]
    [InlineData("*")]
    [InlineData("'); DROP TABLE chunks; --")]
    [InlineData("(((")]
    public async Task SearchTreatsQuerySyntaxAsText(string q)
    {
        var (owner, cloneId) = await CloneAsync();
        using var client = host.Client(owner.AccessToken);
        foreach (var mode in new[] { "keyword", "hybrid" })
        {
            var response = await client.GetAsync($"/api/clones/{cloneId}/knowledge/search?mode={mode}&q={Uri.EscapeDataString(q)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task SearchParametersAreValidated()
    {
        var (owner, cloneId) = await CloneAsync();
        using var client = host.Client(owner.AccessToken);
        await HostileInputTests.AssertFieldError(await client.GetAsync($"/api/clones/{cloneId}/knowledge/search?q="), HttpStatusCode.BadRequest, "q");
        await HostileInputTests.AssertFieldError(await client.GetAsync($"/api/clones/{cloneId}/knowledge/search?q=x&mode=magic"), HttpStatusCode.BadRequest, "mode");
        await HostileInputTests.AssertFieldError(await client.GetAsync($"/api/clones/{cloneId}/knowledge/search?q=x&top=1000"), HttpStatusCode.BadRequest, "top");
    }

    internal static byte[] ZipBombDocx(int uncompressedMegabytes)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var types = new StreamWriter(zip.CreateEntry("[Content_Types].xml").Open()))
                types.Write("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
            using var document = zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < uncompressedMegabytes; i++) document.Write(zeros);
        }
        return buffer.ToArray();
    }
}

/// <summary>A one-page web server on a loopback port, for import-url.</summary>
internal sealed class LoopbackSite : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;

    private LoopbackSite(HttpListener listener, string html)
    {
        _listener = listener;
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (HttpListenerException) { return; }
                catch (ObjectDisposedException) { return; }
                var bytes = Encoding.UTF8.GetBytes(html);
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
    }

    public string Url => _listener.Prefixes.Single();

    public static Task<LoopbackSite> StartAsync(string html)
    {
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{LocalHostFixture.FreePort()}/");
        listener.Start();
        return Task.FromResult(new LoopbackSite(listener, html));
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
