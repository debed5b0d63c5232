using CloneAI.Core.Billing;
using CloneAI.Core.Errors;
using CloneAI.Local.Billing;
using CloneAI.Local.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloneAI.Local.Tests.Billing;

/// <summary>Top-ups on a real SQLite file: one per user and key, found by id and by the provider's reference, replaced on the ETag.</summary>
public sealed class SqliteTopUpStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cloneai-topups-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteTopUpStore _store;

    public SqliteTopUpStoreTests() => _store = new SqliteTopUpStore(new SqliteDatabase(Path.Combine(_dir, "cloneai.db"), NullLogger<SqliteDatabase>.Instance));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static TopUp TopUp(string id, string user = "u-1", string key = "k1", long amount = 1000) => new()
    {
        Id = id, UserId = user, Amount = amount, Currency = "USD", IdempotencyKey = key, Provider = PaymentProviders.Test, CreatedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task OneTopUpPerUserAndKeyEvenUnderConcurrentCreates()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => _store.CreateAsync(TopUp("t" + i))));
        var created = Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(created.TopUp.Id, r.TopUp.Id));
        Assert.True((await _store.CreateAsync(TopUp("other", user: "u-2"))).Created);
        Assert.Null(await _store.GetAsync("u-2", created.TopUp.Id));
        Assert.NotNull(await _store.GetAsync("u-1", created.TopUp.Id));
    }

    [Fact]
    public async Task ReplaceIsConditionalOnTheETagAndTheReferenceIsFound()
    {
        var (topUp, _) = await _store.CreateAsync(TopUp("t1"));
        var updated = await _store.ReplaceAsync(topUp with { CheckoutUrl = "/checkout/t1", ProviderReference = "ref-1" });
        Assert.NotEqual(topUp.ETag, updated.ETag);
        await Assert.ThrowsAsync<ConflictException>(() => _store.ReplaceAsync(topUp with { Status = TopUpStatus.Succeeded }));

        var found = await _store.FindByProviderReferenceAsync(PaymentProviders.Test, "ref-1");
        Assert.Equal(("t1", "/checkout/t1", updated.ETag), (found!.Id, found.CheckoutUrl, found.ETag));
        Assert.Null(await _store.FindByProviderReferenceAsync(PaymentProviders.Lago, "ref-1"));
        Assert.Equal(TopUpStatus.Pending, (await _store.FindAsync("t1"))!.Status);
    }
}
