using System.Text;
using CloneAI.Core.Accounts;
using CloneAI.Core.Errors;
using CloneAI.Core.Limits;
using CloneAI.Local.Limits;
using CloneAI.Local.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Local.Tests.Limits;

/// <summary>
/// The throttles' counts in SQLite: two hosts over one data folder (as two scaled-out instances over one store) count in the
/// same window, a restart keeps it, concurrent acquires let exactly the limit through, and no key is readable in the file.
/// </summary>
public sealed class SqliteRateWindowStoreTests : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cloneai-ratewindows-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-06T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private string DbPath => Path.Combine(_dir, "cloneai.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private SqliteRateWindowStore Store() => new(new SqliteDatabase(DbPath, NullLogger<SqliteDatabase>.Instance));

    private UserRateLimiter Limiter(int sessionsPerMinute = 3) =>
        new(Store(), Options.Create(new RateLimitOptions { SessionsPerMinute = sessionsPerMinute }), _time);

    [Fact]
    public async Task TwoInstancesOverOneDatabaseShareOneCount()
    {
        var first = Limiter();
        var second = Limiter();
        await first.AcquireAsync(RatePolicies.Session, "u-1");
        _time.Advance(TimeSpan.FromSeconds(10));
        await second.AcquireAsync(RatePolicies.Session, "u-1");
        await first.AcquireAsync(RatePolicies.Session, "u-1");

        var refused = await Assert.ThrowsAsync<TooManyRequestsException>(() => second.AcquireAsync(RatePolicies.Session, "u-1"));
        Assert.Equal(TimeSpan.FromSeconds(50), refused.RetryAfter); // until the first one leaves the window
        await second.AcquireAsync(RatePolicies.Session, "u-2"); // another user is not affected
        _time.Advance(refused.RetryAfter);
        await second.AcquireAsync(RatePolicies.Session, "u-1");
        await Assert.ThrowsAsync<TooManyRequestsException>(() => first.AcquireAsync(RatePolicies.Session, "u-1"));
    }

    [Fact]
    public async Task ARestartKeepsTheCount()
    {
        var before = Limiter(sessionsPerMinute: 2);
        await before.AcquireAsync(RatePolicies.Session, "u-1");
        await before.AcquireAsync(RatePolicies.Session, "u-1");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var after = Limiter(sessionsPerMinute: 2);
        await Assert.ThrowsAsync<TooManyRequestsException>(() => after.AcquireAsync(RatePolicies.Session, "u-1"));
    }

    [Fact]
    public async Task OfManyConcurrentAcquiresExactlyTheLimitGetThrough()
    {
        const int limit = 7;
        var stores = new[] { Store(), Store() };
        var now = _time.GetUtcNow();
        var decisions = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => stores[i % 2].TryAcquireAsync("user|session|u-1", limit, Minute, now))));

        Assert.Equal(limit, decisions.Count(d => d.Allowed));
        Assert.All(decisions.Where(d => !d.Allowed), d => Assert.Equal(Minute, d.RetryAfter));
    }

    [Fact]
    public async Task ARefusedRequestCountsNothingAndOldEntriesArePruned()
    {
        var store = Store();
        var t0 = _time.GetUtcNow();
        Assert.True((await store.TryAcquireAsync("k", 1, Minute, t0)).Allowed);
        for (var i = 0; i < 5; i++) Assert.False((await store.TryAcquireAsync("k", 1, Minute, t0.AddSeconds(i))).Allowed);
        // Refusals did not extend the window: a minute after the one counted request, the key is free again.
        Assert.True((await store.TryAcquireAsync("k", 1, Minute, t0 + Minute)).Allowed);
        Assert.True((await store.TryAcquireAsync("other", 1, Minute, t0 + Minute)).Allowed);

        Assert.True((await store.TryAcquireAsync("late", 5, Minute, t0 + TimeSpan.FromHours(2))).Allowed);
        Assert.Equal(1, await RowsAsync()); // only the one still in its window
    }

    [Fact]
    public async Task ReleaseGivesBackOneCountAndForgetDropsTheKey()
    {
        var store = Store();
        var now = _time.GetUtcNow();
        Assert.True((await store.TryAcquireAsync("k", 2, Minute, now)).Allowed);
        Assert.True((await store.TryAcquireAsync("k", 2, Minute, now)).Allowed);
        Assert.False((await store.TryAcquireAsync("k", 2, Minute, now)).Allowed);
        await store.ReleaseAsync("k", now);
        Assert.True((await store.TryAcquireAsync("k", 2, Minute, now)).Allowed);
        Assert.False((await store.TryAcquireAsync("k", 2, Minute, now)).Allowed);

        await store.ForgetAsync("k");
        Assert.Equal(0, await RowsAsync());
        Assert.True((await store.TryAcquireAsync("k", 2, Minute, now)).Allowed);
    }

    [Fact]
    public async Task AnAddressRefusalGivesBackTheClientsCountAndNoAddressIsStored()
    {
        var options = Options.Create(new AuthThrottleOptions { ClientRequestsPerMinute = 2, EmailsPerAddressPerHour = 1 });
        var throttle = new AuthThrottle(Store(), options, _time);
        const string address = "alice.throttled@example.com";
        await throttle.AcquireAsync(AuthAction.ForgotPassword, "203.0.113.9", address);
        // The address is used up: this request is refused and must not use up the client's second request of the minute.
        await Assert.ThrowsAsync<TooManyRequestsException>(() => throttle.AcquireAsync(AuthAction.ForgotPassword, "203.0.113.9", address));
        await throttle.AcquireAsync(AuthAction.ForgotPassword, "203.0.113.9", "bob@example.com");

        // Another instance over the same file sees the address's count, until it is forgotten (account deletion).
        var other = new AuthThrottle(Store(), options, _time);
        await Assert.ThrowsAsync<TooManyRequestsException>(() => other.AcquireAsync(AuthAction.ForgotPassword, "198.51.100.1", address));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.DoesNotContain(Files(), f => Contains(f, address) || Contains(f, "203.0.113.9"));
        await other.ForgetAsync(address);
        await other.AcquireAsync(AuthAction.ForgotPassword, "198.51.100.1", address);
    }

    [Fact]
    public async Task AccountDeletionForgetsTheUsersCounts()
    {
        var limiter = Limiter(sessionsPerMinute: 1);
        await limiter.AcquireAsync(RatePolicies.Session, "u-leaver");
        await limiter.AcquireAsync(RatePolicies.Session, "u-stayer");

        await new UserRateLimitEraser(limiter).EraseAsync("u-leaver", "deleted-0123");

        Assert.Equal(1, await RowsAsync());
        await limiter.AcquireAsync(RatePolicies.Session, "u-leaver");
        await Assert.ThrowsAsync<TooManyRequestsException>(() => limiter.AcquireAsync(RatePolicies.Session, "u-stayer"));
    }

    private IEnumerable<byte[]> Files() => Directory.GetFiles(_dir).Select(File.ReadAllBytes);

    private static bool Contains(byte[] data, string text) => data.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private async Task<long> RowsAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DbPath}");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM rate_events";
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
