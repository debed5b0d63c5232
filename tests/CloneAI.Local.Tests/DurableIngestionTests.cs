using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CloneAI.Core.Clones;
using CloneAI.Core.Knowledge;
using CloneAI.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

/// <summary>
/// IngestDocument for real on the in-process Durable Task backend, with an embedder that fails on purpose: a retry that
/// recovers, and failures that exhaust the retry policy and end the document Failed with a reason.
/// </summary>
public sealed class DurableIngestionTests
{
    [Fact]
    public async Task ATransientEmbeddingFailureIsRetriedAndTheDocumentBecomesReady()
    {
        var embedder = new FlakyEmbedder(failuresBeforeSuccess: 1);
        await using var host = await StartAsync(embedder);
        var doc = await host.IngestAsync("Tidal pools hold anemones. Starfish cling to the rocks at low tide.");
        Assert.Equal("ready", doc.GetProperty("status").GetString());
        Assert.Equal(2, embedder.Calls);
    }

    [Fact]
    public async Task AnEmbedderThatKeepsFailingEndsTheDocumentFailedAfterThreeAttempts()
    {
        var embedder = new FlakyEmbedder(failuresBeforeSuccess: int.MaxValue);
        await using var host = await StartAsync(embedder);
        var doc = await host.IngestAsync("Glaciers carve valleys into a U shape over thousands of years.");
        Assert.Equal("failed", doc.GetProperty("status").GetString());
        Assert.Contains("several attempts", doc.GetProperty("error").GetString()!, StringComparison.Ordinal);
        Assert.Equal(3, embedder.Calls);
        Assert.Equal(0, doc.GetProperty("chunkCount").GetInt32());
    }

    [Fact]
    public async Task APermanentFailureIsNotRetried()
    {
        var embedder = new FlakyEmbedder(failuresBeforeSuccess: 0);
        await using var host = await StartAsync(embedder);
        // A .pdf that is not one passes storage but fails extraction, which retrying cannot fix.
        var doc = await host.IngestAsync("not a pdf", fileName: "fake.pdf", kind: "pdf");
        Assert.Equal("failed", doc.GetProperty("status").GetString());
        Assert.Equal(0, embedder.Calls);
        Assert.False(string.IsNullOrWhiteSpace(doc.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task ManyDocumentsEmbedAtOnceBeyondTheBackendsOnePerCoreLimit()
    {
        // Each embedding call waits until six are in flight together. The stock in-memory backend runs one activity per
        // core (two here) and then polls every 500 ms, so these documents could never all reach Ready.
        var embedder = new RendezvousEmbedder(parties: 6);
        await using var host = await StartAsync(embedder);
        var docs = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => host.IngestAsync($"Document {i} is about lighthouses and the keepers who tended them.")));
        Assert.All(docs, d => Assert.Equal("ready", d.GetProperty("status").GetString()));
        Assert.Equal(6, embedder.MaxInFlight);
    }

    [Fact]
    public async Task TheBackendsWorkItemLimitsComeFromConfiguration()
    {
        await using var host = await StartAsync(new FlakyEmbedder(0), new()
        {
            ["Durable:MaxConcurrentActivities"] = "5",
            ["Durable:MaxConcurrentOrchestrations"] = "7",
        });
        // The dispatchers read the limits through the interface, which the wider service re-implements.
        var (activities, orchestrations) = Limits(host.Services.GetRequiredService<Microsoft.DurableTask.Testing.Sidecar.InMemoryOrchestrationService>());
        Assert.Equal(5, activities);
        Assert.Equal(7, orchestrations);

        static (int, int) Limits(DurableTask.Core.IOrchestrationService service) =>
            (service.MaxConcurrentTaskActivityWorkItems, service.MaxConcurrentTaskOrchestrationWorkItems);
    }

    private static async Task<TestHost> StartAsync(IKnowledgeEmbedder embedder, Dictionary<string, string?>? settings = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "cloneai-durable-" + Guid.NewGuid().ToString("N"));
        var url = $"http://127.0.0.1:{LocalHostFixture.FreePort()}";
        var app = LocalHost.Build(["--data", data, "--urls", url],
            b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings ?? []) { ["Logging:LogLevel:Default"] = "Warning" }),
            services => services.AddSingleton<IKnowledgeEmbedder>(embedder));
        await app.StartAsync();
        return new TestHost(app, data, url);
    }

    private sealed class TestHost(WebApplication app, string data, string url) : IAsyncDisposable
    {
        public IServiceProvider Services => app.Services;

        public async Task<JsonElement> IngestAsync(string text, string fileName = "note.txt", string kind = "txt")
        {
            var services = app.Services;
            var now = DateTimeOffset.UtcNow;
            var clone = await services.GetRequiredService<ICloneStore>().CreateAsync(new CloneAI.Core.Domain.Clone
            {
                Id = Guid.NewGuid().ToString("N"), Slug = "durable-" + Guid.NewGuid().ToString("N")[..8], OwnerId = "owner", Name = "Durable", Category = "science",
                CreatedAt = now, UpdatedAt = now,
            });
            var added = await services.GetRequiredService<KnowledgeService>().AddOneAsync(clone, "owner", fileName, kind, Encoding.UTF8.GetBytes(text), [], null);
            var documents = services.GetRequiredService<IDocumentStore>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                var doc = await documents.GetAsync(clone.Id, added.Document.Id);
                if (doc!.IsFinished) return JsonSerializer.SerializeToElement(doc, new JsonSerializerOptions(JsonSerializerDefaults.Web));
                Assert.True(DateTime.UtcNow < deadline, $"still {doc.Status}/{doc.Stage}");
                await Task.Delay(100);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, true); } catch (IOException) { }
            _ = url;
        }
    }

    /// <summary>Fails the first N passage calls, then returns fixed unit vectors.</summary>
    private sealed class FlakyEmbedder(int failuresBeforeSuccess) : IKnowledgeEmbedder
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);
        public EmbeddingModelInfo Model { get; } = new("test-embedder", 4);
        public int BatchSize => 16;

        public Task<float[][]> EmbedPassagesAsync(IReadOnlyList<string> passages, CancellationToken cancellationToken = default)
        {
            var call = Interlocked.Increment(ref _calls);
            if (call <= failuresBeforeSuccess) throw new InvalidOperationException($"embedding service unavailable (call {call})");
            return Task.FromResult(passages.Select(_ => new[] { 0.5f, 0.5f, 0.5f, 0.5f }).ToArray());
        }

        public Task<float[]> EmbedQueryAsync(string query, CancellationToken cancellationToken = default) =>
            Task.FromResult(new[] { 0.5f, 0.5f, 0.5f, 0.5f });
    }

    /// <summary>Every passage call waits (up to 30 s) until <c>parties</c> calls are in flight at once, and records the most seen.</summary>
    private sealed class RendezvousEmbedder(int parties) : IKnowledgeEmbedder
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _max;

        public int MaxInFlight => Volatile.Read(ref _max);
        public EmbeddingModelInfo Model { get; } = new("test-embedder", 4);
        public int BatchSize => 16;

        public async Task<float[][]> EmbedPassagesAsync(IReadOnlyList<string> passages, CancellationToken cancellationToken = default)
        {
            var now = Interlocked.Increment(ref _inFlight);
            for (var max = Volatile.Read(ref _max); now > max && Interlocked.CompareExchange(ref _max, now, max) != max; max = Volatile.Read(ref _max)) { }
            if (now >= parties) _all.TrySetResult();
            try
            {
                await _all.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                return passages.Select(_ => new[] { 0.5f, 0.5f, 0.5f, 0.5f }).ToArray();
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public Task<float[]> EmbedQueryAsync(string query, CancellationToken cancellationToken = default) =>
            Task.FromResult(new[] { 0.5f, 0.5f, 0.5f, 0.5f });
    }
}
