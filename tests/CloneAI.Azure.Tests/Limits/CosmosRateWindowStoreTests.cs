using CloneAI.Azure.Limits;
using CloneAI.Azure.Tests.Cosmos;
using CloneAI.Core.Errors;
using CloneAI.Core.Limits;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Azure.Tests.Limits;

/// <summary>
/// The throttles' counts in Cosmos (the container <c>limits</c>, with Cosmos's ETag semantics): instances share one window per
/// key, concurrent acquires let exactly the limit through, refusals count nothing, and the documents hold no key and carry a TTL.
/// </summary>
public sealed class CosmosRateWindowStoreTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly InMemoryContainer _limits = new("id", typeof(RateWindowDocument));
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-06T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private UserRateLimiter Limiter() =>
        new(new CosmosRateWindowStore(_limits.Object), Options.Create(new RateLimitOptions { SessionsPerMinute = 3 }), _time);

    [Fact]
    public async Task TwoInstancesShareOneCountWithTheRetryAfterOfTheOldestRequest()
    {
        var first = Limiter();
        var second = Limiter();
        await first.AcquireAsync(RatePolicies.Session, "u-1");
        _time.Advance(TimeSpan.FromSeconds(20));
        await second.AcquireAsync(RatePolicies.Session, "u-1");
        await first.AcquireAsync(RatePolicies.Session, "u-1");

        var refused = await Assert.ThrowsAsync<TooManyRequestsException>(() => second.AcquireAsync(RatePolicies.Session, "u-1"));
        Assert.Equal(TimeSpan.FromSeconds(40), refused.RetryAfter);
        _time.Advance(refused.RetryAfter);
        await second.AcquireAsync(RatePolicies.Session, "u-1");
        await Assert.ThrowsAsync<TooManyRequestsException>(() => first.AcquireAsync(RatePolicies.Session, "u-1"));
    }

    [Fact]
    public async Task OfManyConcurrentAcquiresExactlyTheLimitGetThrough()
    {
        const int limit = 5;
        var stores = new[] { new CosmosRateWindowStore(_limits.Object), new CosmosRateWindowStore(_limits.Object) };
        var now = _time.GetUtcNow();
        var decisions = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            Task.Run(() => stores[i % 2].TryAcquireAsync("user|session|u-1", limit, Minute, now))));

        Assert.Equal(limit, decisions.Count(d => d.Allowed));
        var stored = Assert.Single(_limits.Documents());
        Assert.Equal(limit, stored["times"]!.AsArray().Count);
    }

    [Fact]
    public async Task ARefusalCountsNothingAReleaseGivesOneBackAndForgetDeletesTheDocument()
    {
        var store = new CosmosRateWindowStore(_limits.Object);
        var t0 = _time.GetUtcNow();
        Assert.True((await store.TryAcquireAsync("k", 1, Minute, t0)).Allowed);
        var refused = await store.TryAcquireAsync("k", 1, Minute, t0.AddSeconds(15));
        Assert.Equal((false, TimeSpan.FromSeconds(45)), (refused.Allowed, refused.RetryAfter));
        Assert.Single(Assert.Single(_limits.Documents())["times"]!.AsArray());

        await store.ReleaseAsync("k", t0);
        Assert.True((await store.TryAcquireAsync("k", 1, Minute, t0.AddSeconds(20))).Allowed);
        // Times that left the window are dropped on the next write.
        Assert.True((await store.TryAcquireAsync("k", 1, Minute, t0.AddSeconds(80))).Allowed);
        Assert.Single(Assert.Single(_limits.Documents())["times"]!.AsArray());

        await store.ForgetAsync("k");
        Assert.Empty(_limits.Documents());
        await store.ForgetAsync("k"); // nothing left: no error
    }

    [Fact]
    public async Task TheDocumentNamesOnlyAHashOfItsKeyAndExpiresAfterItsWindow()
    {
        var store = new CosmosRateWindowStore(_limits.Object);
        await store.TryAcquireAsync("auth|to|alice@example.com", 5, TimeSpan.FromHours(1), _time.GetUtcNow());

        var stored = Assert.Single(_limits.Documents());
        Assert.DoesNotContain("alice@example.com", stored.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(CosmosRateWindowStore.Id("auth|to|alice@example.com"), (string?)stored["id"]);
        Assert.Equal(CosmosRateWindowStore.WindowType, (string?)stored["type"]);
        Assert.Equal(3601, (int)stored["ttl"]!);
    }
}
