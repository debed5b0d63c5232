using CloneAI.Core.Billing;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Core.Tests.Clones;

/// <summary>A clone's prices are in the platform currency (Billing:Currency): new clones get it, and no other is taken.</summary>
public sealed class PlatformCurrencyTests
{
    private static readonly Caller Owner = new("owner", "owner@example.com", "Owner", IsAdmin: false, IsCreator: true);

    private readonly Mock<ICloneStore> _store = new();
    private readonly Dictionary<string, Clone> _clones = new(StringComparer.Ordinal);
    private readonly CloneService _service;

    public PlatformCurrencyTests()
    {
        _store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((string id, CancellationToken _) => _clones.GetValueOrDefault(id));
        _store.Setup(s => s.CreateAsync(It.IsAny<Clone>(), It.IsAny<CancellationToken>())).ReturnsAsync((Clone c, CancellationToken _) => _clones[c.Id] = c with { ETag = "1" });
        _store.Setup(s => s.ReplaceAsync(It.IsAny<Clone>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Clone c, string? _, CancellationToken _) => _clones[c.Id] = c);
        _service = new CloneService(_store.Object, new FakeTimeProvider(), NullLogger<CloneService>.Instance, Options.Create(new BillingOptions { Currency = "EUR" }));
    }

    [Fact]
    public async Task ANewClonesPricesAreInThePlatformCurrency()
    {
        var clone = await _service.CreateAsync(Owner, new CloneInput(Name: "Ada", Category: "science", Pricing: new PricingInput(PerMinute: 20)));
        Assert.Equal("EUR", clone.Pricing.Currency);
        var bare = await _service.CreateAsync(Owner, new CloneInput(Name: "Bea", Category: "science"));
        Assert.Equal("EUR", bare.Pricing.Currency);
    }

    [Fact]
    public async Task CreatingOrPatchingAClonePricedInAnotherCurrencyIsAFieldErrorAndChangesNothing()
    {
        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            _service.CreateAsync(Owner, new CloneInput(Name: "Ada", Category: "science", Pricing: new PricingInput(PerMinute: 20, Currency: "USD"))));
        Assert.Equal(["Prices are in the platform currency, EUR."], refused.Errors["pricing.currency"]);
        Assert.Empty(_clones);

        var clone = await _service.CreateAsync(Owner, new CloneInput(Name: "Ada", Category: "science", Pricing: new PricingInput(PerMinute: 20, Currency: "EUR")));
        var patch = await Assert.ThrowsAsync<ValidationException>(() => _service.UpdateAsync(Owner, clone.Id, new CloneInput(Pricing: new PricingInput(Currency: "JPY"))));
        Assert.Contains("pricing.currency", patch.Errors.Keys);
        Assert.Equal("EUR", _clones[clone.Id].Pricing.Currency);
    }
}
