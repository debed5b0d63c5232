using CloneAI.Core.Billing;
using CloneAI.Core.Errors;
using CloneAI.Local.Billing;
using CloneAI.Local.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloneAI.Local.Tests.Billing;

/// <summary>The payout store on a real SQLite file: one payout per creator and key, ETag-guarded decisions, listings and sums.</summary>
public sealed class SqlitePayoutStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cloneai-payouts-" + Guid.NewGuid().ToString("N"));
    private readonly SqlitePayoutStore _store;

    public SqlitePayoutStoreTests() => _store = new SqlitePayoutStore(new SqliteDatabase(Path.Combine(_dir, "cloneai.db"), NullLogger<SqliteDatabase>.Instance));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static Payout Payout(string id, string creator = "c1", string key = "k1", long amount = 1_000) => new()
    {
        Id = id, CreatorId = creator, Amount = amount, Currency = "USD", IdempotencyKey = key, CreatedAt = At,
    };

    [Fact]
    public async Task ACreatorsIdempotencyKeyHoldsOnePayoutButAnotherCreatorMayUseTheSameKey()
    {
        var first = await _store.CreateAsync(Payout("p1"));

        await Assert.ThrowsAsync<ConflictException>(() => _store.CreateAsync(Payout("p2")));
        await _store.CreateAsync(Payout("p3", creator: "c2"));
        Assert.Equal("p1", (await _store.FindByKeyAsync("c1", "k1"))!.Id);
        Assert.Equal(first.ETag, (await _store.GetAsync("p1"))!.ETag);
        Assert.Null(await _store.GetAsync("p2"));
    }

    [Fact]
    public async Task ADecisionIsStoredOnlyOverTheETagItWasMadeOn()
    {
        var requested = await _store.CreateAsync(Payout("p1"));
        var paid = await _store.ReplaceAsync(requested with { Status = PayoutStatus.Paid, Reference = "BANK-1" });

        await Assert.ThrowsAsync<ConflictException>(() => _store.ReplaceAsync(requested with { Status = PayoutStatus.Rejected, RejectionReason = "late" }));
        var stored = await _store.GetAsync("p1");
        Assert.Equal((PayoutStatus.Paid, "BANK-1", paid.ETag), (stored!.Status, stored.Reference, stored.ETag));
    }

    [Fact]
    public async Task ListingsArePagedAndSumsCountOneStatusOfOneCreator()
    {
        for (var i = 0; i < 5; i++) await _store.CreateAsync(Payout($"p{i}", key: $"k{i}", amount: 1_000 + i));
        await _store.CreateAsync(Payout("other", creator: "c2", key: "k0", amount: 9_999));
        var paid = await _store.GetAsync("p1");
        await _store.ReplaceAsync(paid! with { Status = PayoutStatus.Paid });

        var first = await _store.ListByCreatorAsync("c1", 3, null);
        var second = await _store.ListByCreatorAsync("c1", 3, first.ContinuationToken);
        var requested = await _store.ListByStatusAsync(PayoutStatus.Requested, 10, null);

        Assert.Equal(["p4", "p3", "p2"], first.Items.Select(p => p.Id));
        Assert.Equal(["p1", "p0"], second.Items.Select(p => p.Id));
        Assert.Null(second.ContinuationToken);
        Assert.Equal(["p0", "p2", "p3", "p4", "other"], requested.Items.Select(p => p.Id));
        Assert.Equal(1_000 + 1_002 + 1_003 + 1_004, await _store.SumAsync("c1", PayoutStatus.Requested));
        Assert.Equal(1_001, await _store.SumAsync("c1", PayoutStatus.Paid));
        Assert.Equal(0, await _store.SumAsync("c3", PayoutStatus.Paid));
    }

    [Fact]
    public async Task APayoutAccountIsSetAndReplaced()
    {
        Assert.Null(await _store.GetAccountAsync("c1"));
        await _store.SetAccountAsync(new PayoutAccount("c1", "acct_1First", At));
        await _store.SetAccountAsync(new PayoutAccount("c1", "acct_1Second", At.AddDays(1)));

        Assert.Equal("acct_1Second", (await _store.GetAccountAsync("c1"))!.StripeAccountId);
    }
}
