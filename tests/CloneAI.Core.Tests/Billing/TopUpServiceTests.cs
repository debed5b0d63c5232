using CloneAI.Core.Auth;
using CloneAI.Core.Billing;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Tests.Billing;

/// <summary>Top-ups against in-memory stand-ins for the store and the ledger, so failures can be placed exactly.</summary>
public sealed class TopUpServiceTests
{
    private static readonly Caller Ada = new("u-ada", "ada@example.com", "Ada", false, false);

    private readonly MemoryTopUpStore _store = new();
    private readonly MemoryLedger _ledger = new();

    private TopUpService Service(string provider = PaymentProviders.Test, params IPaymentProvider[] providers) =>
        new(_store, _ledger, providers.Length > 0 ? providers : [new TestPaymentProvider(Options.Create(new AuthOptions { PublicBaseUrl = "https://app.example/" }))],
            Options.Create(new BillingOptions { Provider = provider }), TimeProvider.System, NullLogger<TopUpService>.Instance);

    [Fact]
    public async Task ATopUpIsPendingWithTheTestCheckoutUnderThePublicBaseUrl()
    {
        var (topUp, created) = await Service().CreateAsync(Ada, 1000, "k1");
        Assert.True(created);
        Assert.Equal(TopUpStatus.Pending, topUp.Status);
        Assert.Equal($"https://app.example/checkout/{topUp.Id}", topUp.CheckoutUrl);
        Assert.Equal(PaymentProviders.Test, topUp.Provider);
        Assert.Equal("USD", topUp.Currency);
        Assert.Equal(0, await _ledger.BalanceAsync(LedgerAccounts.Wallet(Ada.UserId)));
    }

    [Fact]
    public void WithoutAPublicBaseUrlTheCheckoutIsRelative() =>
        Assert.Equal("/checkout/t%201", TestPaymentProvider.CheckoutUrl("", "t 1"));

    [Fact]
    public async Task TheProviderIsTheOneBillingProviderNames()
    {
        var lago = new Mock<IPaymentProvider>();
        lago.Setup(p => p.Name).Returns(PaymentProviders.Lago);
        lago.Setup(p => p.StartAsync(It.IsAny<TopUp>(), It.IsAny<PaymentCustomer>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PaymentCheckout("https://pay.example/abc", "wt_1"));
        var service = Service(PaymentProviders.Lago, new TestPaymentProvider(Options.Create(new AuthOptions())), lago.Object);

        var (topUp, _) = await service.CreateAsync(Ada, 500, "k1");

        Assert.Equal(("https://pay.example/abc", "wt_1", PaymentProviders.Lago), (topUp.CheckoutUrl, topUp.ProviderReference, topUp.Provider));
        lago.Verify(p => p.StartAsync(It.Is<TopUp>(t => t.Amount == 500), It.Is<PaymentCustomer>(c => c.UserId == "u-ada" && c.Email == "ada@example.com"), It.IsAny<CancellationToken>()));
        // A notice by the provider's reference finds it.
        var applied = await service.ApplyAsync(new PaymentNotice(PaymentProviders.Lago, null, "wt_1", true));
        Assert.Equal(TopUpStatus.Succeeded, applied!.Status);
        Assert.Equal(500, await _ledger.BalanceAsync(LedgerAccounts.Wallet(Ada.UserId)));
    }

    [Fact]
    public async Task ATopUpWhoseCheckoutCouldNotStartGetsItOnTheRetryWithTheSameKey()
    {
        var flaky = new Mock<IPaymentProvider>();
        flaky.Setup(p => p.Name).Returns(PaymentProviders.Test);
        flaky.SetupSequence(p => p.StartAsync(It.IsAny<TopUp>(), It.IsAny<PaymentCustomer>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new UpstreamException("The provider is down."))
            .ReturnsAsync(new PaymentCheckout("/checkout/x", null));
        var service = Service(PaymentProviders.Test, flaky.Object);

        await Assert.ThrowsAsync<UpstreamException>(() => service.CreateAsync(Ada, 700, "k1"));
        var (retried, created) = await service.CreateAsync(Ada, 700, "k1");

        Assert.False(created);
        Assert.Equal("/checkout/x", retried.CheckoutUrl);
        Assert.Single(_store.All);
    }

    [Theory]
    [InlineData(null, "k", "amount")]
    [InlineData(99L, "k", "amount")]
    [InlineData(100_001L, "k", "amount")]
    [InlineData(1000L, null, "idempotencyKey")]
    [InlineData(1000L, " ", "idempotencyKey")]
    [InlineData(1000L, "a\u0000b", "idempotencyKey")]
    public async Task BadInputIsAPerFieldErrorAndStoresNothing(long? amount, string? key, string field)
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() => Service().CreateAsync(Ada, amount, key));
        Assert.True(error.Errors.ContainsKey(field));
        Assert.Empty(_store.All);
    }

    [Fact]
    public async Task TheSameKeyForAnotherAmountIsAConflict()
    {
        var service = Service();
        await service.CreateAsync(Ada, 1000, "k1");
        await Assert.ThrowsAsync<ConflictException>(() => service.CreateAsync(Ada, 2000, "k1"));
    }

    [Fact]
    public async Task ACrashAfterTheCreditIsFinishedByTheNextNoticeWithoutASecondCredit()
    {
        var service = Service();
        var (topUp, _) = await service.CreateAsync(Ada, 1200, "k1");
        _store.FailNextReplace = true; // the process dies after the ledger post, before the top-up is marked

        await Assert.ThrowsAsync<IOException>(() => service.ApplyAsync(new PaymentNotice(PaymentProviders.Test, topUp.Id, null, true)));
        Assert.Equal(1200, await _ledger.BalanceAsync(LedgerAccounts.Wallet(Ada.UserId)));
        Assert.Equal(TopUpStatus.Pending, (await _store.FindAsync(topUp.Id))!.Status);

        var finished = await service.ApplyAsync(new PaymentNotice(PaymentProviders.Test, topUp.Id, null, true));
        var again = await service.ApplyAsync(new PaymentNotice(PaymentProviders.Test, topUp.Id, null, true));

        Assert.Equal(TopUpStatus.Succeeded, finished!.Status);
        Assert.Equal(TopUpStatus.Succeeded, again!.Status);
        Assert.Equal(1200, await _ledger.BalanceAsync(LedgerAccounts.Wallet(Ada.UserId)));
        Assert.Single(_ledger.Posted);
        Assert.Equal(LedgerPostings.TopUpKey(topUp.Id), _ledger.Posted.Single().IdempotencyKey);
    }

    [Fact]
    public async Task AFailedTopUpIsNeverCreditedAndASucceededOneIsNotFailedAfterwards()
    {
        var service = Service();
        var (declined, _) = await service.CreateAsync(Ada, 500, "k1");
        var (paid, _) = await service.CreateAsync(Ada, 800, "k2");

        Assert.Equal(TopUpStatus.Failed, (await service.ApplyAsync(new PaymentNotice(PaymentProviders.Test, declined.Id, null, false, "Declined.")))!.Status);
        Assert.Equal(TopUpStatus.Failed, (await service.ApplyAsync(new PaymentNotice(PaymentProviders.Test, declined.Id, null, true)))!.Status);
        await service.ApplyAsync(new PaymentNotice(PaymentProviders.Test, paid.Id, null, true));
        Assert.Equal(TopUpStatus.Succeeded, (await service.ApplyAsync(new PaymentNotice(PaymentProviders.Test, paid.Id, null, false)))!.Status);

        Assert.Equal(800, await _ledger.BalanceAsync(LedgerAccounts.Wallet(Ada.UserId)));
        Assert.Equal("Declined.", (await _store.FindAsync(declined.Id))!.FailureReason);
    }

    [Fact]
    public async Task TestPaymentsExistOnlyWithTheTestProviderAndOnlyForTheTopUpsUser()
    {
        var service = Service();
        var (topUp, _) = await service.CreateAsync(Ada, 1000, "k1");
        var lagoCheckout = new TestCheckout(_store, service, Options.Create(new BillingOptions { Provider = PaymentProviders.Lago }));
        var checkout = new TestCheckout(_store, service, Options.Create(new BillingOptions()));
        var bob = Ada with { UserId = "u-bob" };

        await Assert.ThrowsAsync<NotFoundException>(() => lagoCheckout.PayAsync(Ada, topUp.Id, "4242424242424242"));
        await Assert.ThrowsAsync<NotFoundException>(() => checkout.PayAsync(bob, topUp.Id, "4242424242424242"));
        Assert.Equal("cardNumber", Assert.Single((await Assert.ThrowsAsync<ValidationException>(() => checkout.PayAsync(Ada, topUp.Id, "4111 1111 1111 1111"))).Errors).Key);
        Assert.Equal(0, await _ledger.BalanceAsync(LedgerAccounts.Wallet(Ada.UserId)));

        Assert.Equal(TopUpStatus.Succeeded, (await checkout.PayAsync(Ada, topUp.Id, "4242 4242 4242 4242")).Status);
        Assert.Equal(1000, await _ledger.BalanceAsync(LedgerAccounts.Wallet(Ada.UserId)));
    }

    [Fact]
    public async Task ADeclinedTestCardIs402AndFailsTheTopUp()
    {
        var service = Service();
        var (topUp, _) = await service.CreateAsync(Ada, 1000, "k1");
        var checkout = new TestCheckout(_store, service, Options.Create(new BillingOptions()));

        var declined = await Assert.ThrowsAsync<CardDeclinedException>(() => checkout.PayAsync(Ada, topUp.Id, "4000 0000 0000 0002"));

        Assert.Equal(402, declined.Status);
        Assert.EndsWith("/card-declined", declined.Type, StringComparison.Ordinal);
        Assert.Equal(TopUpStatus.Failed, (await _store.FindAsync(topUp.Id))!.Status);
        Assert.Equal(0, await _ledger.BalanceAsync(LedgerAccounts.Wallet(Ada.UserId)));
    }

    [Fact]
    public async Task TheDefaultLedgerPagingReadsPagesNewestFirstByOffset()
    {
        for (var i = 1; i <= 5; i++) await _ledger.PostAsync(LedgerPostings.TopUp($"t{i}", "u", i * 100, "USD", DateTimeOffset.UtcNow));
        ILedger ledger = _ledger;
        var seen = new List<long>();
        string? token = null;
        do
        {
            var page = await ledger.TransactionsPageAsync(LedgerAccounts.Wallet("u"), 2, token);
            seen.AddRange(page.Items.Select(t => t.Entries.Single(e => e.Account == LedgerAccounts.Wallet("u")).Amount));
            token = page.ContinuationToken;
        }
        while (token is not null);
        Assert.Equal([500L, 400, 300, 200, 100], seen);
        await Assert.ThrowsAsync<ValidationException>(() => ledger.TransactionsPageAsync(LedgerAccounts.Wallet("u"), 2, "not-a-token"));
    }
}

/// <summary>Top-ups in memory with ETags; <see cref="FailNextReplace"/> makes the next replace throw as a crash would.</summary>
internal sealed class MemoryTopUpStore : ITopUpStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TopUp> _topUps = [];

    public bool FailNextReplace { get; set; }

    public IReadOnlyList<TopUp> All
    {
        get { lock (_lock) return [.. _topUps.Values]; }
    }

    public Task<TopUpCreation> CreateAsync(TopUp topUp, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var existing = _topUps.Values.FirstOrDefault(t => t.UserId == topUp.UserId && t.IdempotencyKey == topUp.IdempotencyKey);
            if (existing is not null) return Task.FromResult(new TopUpCreation(existing, false));
            var stored = topUp with { ETag = Guid.NewGuid().ToString("N") };
            _topUps[topUp.Id] = stored;
            return Task.FromResult(new TopUpCreation(stored, true));
        }
    }

    public Task<TopUp?> GetAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_topUps.GetValueOrDefault(id) is { } t && t.UserId == userId ? t : null);
    }

    public Task<TopUp?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_topUps.GetValueOrDefault(id));
    }

    public Task<TopUp?> FindByProviderReferenceAsync(string provider, string providerReference, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_topUps.Values.FirstOrDefault(t => t.Provider == provider && t.ProviderReference == providerReference));
    }

    public Task<TopUp> ReplaceAsync(TopUp topUp, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (FailNextReplace)
            {
                FailNextReplace = false;
                throw new IOException("The process died.");
            }
            if (_topUps.GetValueOrDefault(topUp.Id)?.ETag != topUp.ETag) throw new ConflictException("Changed meanwhile.");
            var stored = topUp with { ETag = Guid.NewGuid().ToString("N") };
            _topUps[topUp.Id] = stored;
            return Task.FromResult(stored);
        }
    }
}

/// <summary>A ledger in memory: one transaction per key, balances summed; only what the top-up tests need.</summary>
internal sealed class MemoryLedger : ILedger
{
    private readonly Lock _lock = new();
    private readonly List<LedgerTransaction> _posted = [];

    public IReadOnlyList<LedgerTransaction> Posted
    {
        get { lock (_lock) return [.. _posted]; }
    }

    public Task<LedgerPosting> PostAsync(LedgerTransaction transaction, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var existing = _posted.FirstOrDefault(t => t.IdempotencyKey == transaction.IdempotencyKey);
            if (existing is not null) return Task.FromResult(new LedgerPosting(existing, false));
            _posted.Add(transaction);
            return Task.FromResult(new LedgerPosting(transaction, true));
        }
    }

    public Task<long> BalanceAsync(string account, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_posted.SelectMany(t => t.Entries).Where(e => e.Account == account).Sum(e => e.Amount));
    }

    public Task<IReadOnlyList<LedgerTransaction>> TransactionsAsync(string account, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<LedgerTransaction>>(_posted.Where(t => t.Entries.Any(e => e.Account == account)).Reverse().Take(limit).ToList());
    }

    public Task<LedgerCheck> CheckAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
