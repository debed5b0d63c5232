using System.Net;
using CloneAI.Core.Limits;
using CloneAI.Azure.Cosmos;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Limits;

/// <summary>
/// One key's sliding window as stored (id <c>rate|&lt;sha-256 of the key&gt;</c>, which is also its partition): the times (Unix
/// ms) of its counted requests still in the window, and a <see cref="Ttl"/> of the window's length, so a key nobody uses any
/// more vanishes. <see cref="ETag"/> is Cosmos's <c>_etag</c>, read back and never written.
/// </summary>
public sealed record RateWindowDocument(string Id, string Type, IReadOnlyList<long> Times, int Ttl, string? ETag = null);

/// <summary>
/// The throttles' sliding windows in the Cosmos container <c>limits</c> (partition key <c>/id</c>, TTL on), one document per key:
/// an acquire reads it, drops the times that left the window, and (when allowed) writes it back with the new time, created (409
/// when another got there first) or replaced on its ETag (412), retried from a fresh read. So every instance counts in the same
/// window, and of N concurrent acquires with limit L exactly L are allowed.
/// </summary>
public sealed class CosmosRateWindowStore(Container limits) : IRateWindowStore
{
    public const string WindowType = "rate-window";
    public const string IdPrefix = "rate|";
    private const int Attempts = 100;

    public async Task<RateWindowDecision> TryAcquireAsync(string key, int limit, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var id = Id(key);
        var nowMs = now.ToUnixTimeMilliseconds();
        var since = nowMs - (long)window.TotalMilliseconds;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var existing = await ReadAsync(id, cancellationToken);
            var times = (existing?.Times ?? []).Where(t => t > since).Order().ToList();
            var decision = RateWindows.Decide(times.Select(DateTimeOffset.FromUnixTimeMilliseconds).ToList(), limit, window, now);
            if (!decision.Allowed) return decision;
            times.Add(nowMs);
            var next = new RateWindowDocument(id, WindowType, times, TtlSeconds(window));
            if (await TryWriteAsync(next, existing?.ETag, cancellationToken)) return decision;
            await Backoff(attempt, cancellationToken);
        }
        throw new InvalidOperationException($"Could not count a request under {id}: its window kept changing.");
    }

    public async Task ReleaseAsync(string key, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var id = Id(key);
        var atMs = at.ToUnixTimeMilliseconds();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (await ReadAsync(id, cancellationToken) is not { } existing) return;
            var times = existing.Times.ToList();
            var index = times.LastIndexOf(atMs);
            if (index < 0) return;
            times.RemoveAt(index);
            if (await TryWriteAsync(existing with { Times = times, ETag = null }, existing.ETag, cancellationToken)) return;
            await Backoff(attempt, cancellationToken);
        }
        throw new InvalidOperationException($"Could not give back a request under {id}: its window kept changing.");
    }

    public async Task ForgetAsync(string key, CancellationToken cancellationToken = default)
    {
        var id = Id(key);
        try
        {
            await limits.DeleteItemAsync<RateWindowDocument>(id, new PartitionKey(id), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    public static string Id(string key) => IdPrefix + RateWindows.StoredKey(key);

    /// <summary>The document outlives its last write by the window (and a second): by then every time in it has left the window.</summary>
    private static int TtlSeconds(TimeSpan window) => (int)Math.Min(int.MaxValue, Math.Ceiling(window.TotalSeconds) + 1);

    private static Task Backoff(int attempt, CancellationToken cancellationToken) =>
        attempt < 2 ? Task.CompletedTask : Task.Delay(Random.Shared.Next(1, 2 + Math.Min(attempt, 20)), cancellationToken);

    private async Task<RateWindowDocument?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var response = await limits.ReadItemAsync<RateWindowDocument>(id, new PartitionKey(id), cancellationToken: cancellationToken);
            return response.Resource with { ETag = response.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Creates the document (no <paramref name="etag"/>) or replaces the version read; false when another write got there first.</summary>
    private Task<bool> TryWriteAsync(RateWindowDocument document, string? etag, CancellationToken cancellationToken) =>
        limits.TryCreateOrReplaceAsync(document with { ETag = null }, document.Id, new PartitionKey(document.Id), etag, cancellationToken);
}
