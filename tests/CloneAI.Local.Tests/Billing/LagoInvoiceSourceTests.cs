using CloneAI.Core.Billing;
using CloneAI.Core.Billing.Lago;

namespace CloneAI.Local.Tests.Billing;

/// <summary>Lago's invoices as the user's invoice source: theirs only, with fees as lines.</summary>
public sealed class LagoInvoiceSourceTests : IAsyncLifetime
{
    private FakeLago _lago = null!;
    private LagoInvoiceSource _source = null!;

    public async Task InitializeAsync()
    {
        _lago = await FakeLago.StartAsync();
        _source = new LagoInvoiceSource(LagoTestKit.Client(_lago));
    }

    public async Task DisposeAsync() => await _lago.DisposeAsync();

    [Fact]
    public async Task AUsersLagoInvoicesAreListedNewestFirstWithNumberPeriodTotalAndStatus()
    {
        _lago.AddInvoice("ada", "CLO-001", 300, issuingDate: "2026-10-01", fees: ("session_minutes", "6", 300));
        _lago.AddInvoice("ada", "CLO-002", 450, paymentStatus: "pending", issuingDate: "2026-11-01", fees: ("session_messages", "9", 450));
        _lago.AddInvoice("bob", "CLO-003", 999);

        var list = await _source.ListAsync("ada");
        Assert.Equal(["CLO-002", "CLO-001"], list.Select(i => i.Number));
        var newest = list[0];
        Assert.Equal(InvoiceKinds.Invoice, newest.Kind);
        Assert.Equal(450, newest.Total);
        Assert.Equal("USD", newest.Currency);
        Assert.Equal("open", newest.Status);
        Assert.Equal("paid", list[1].Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), newest.IssuedAt);
        Assert.Empty(await _source.ListAsync("nobody"));
        _lago.AssertNoViolations();
    }

    [Fact]
    public async Task AnInvoiceHasItsFeesAsLinesAndIsOnlyItsCustomers()
    {
        var invoice = _lago.AddInvoice("ada", "CLO-010", 375, fees: [("session_minutes", "5", 250), ("session_messages", "5", 125)]);
        var id = invoice["lago_id"]!.GetValue<string>();

        var detail = await _source.GetAsync("ada", id);
        Assert.NotNull(detail);
        Assert.Equal("CLO-010", detail.Summary.Number);
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), detail.Summary.PeriodStart);
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 23, 59, 59, TimeSpan.Zero), detail.Summary.PeriodEnd);
        Assert.Equal(["Session minutes", "Session messages"], detail.Lines.Select(l => l.Description));
        Assert.Equal([5L, 5L], detail.Lines.Select(l => l.Quantity));
        Assert.Equal(375, detail.Lines.Sum(l => l.Amount));

        Assert.Null(await _source.GetAsync("bob", id));            // another user's invoice is not found
        Assert.Null(await _source.GetAsync("ada", Guid.NewGuid().ToString()));
        Assert.Null(await _source.GetAsync("ada", "not-a-lago-id"));
        Assert.Equal(new Uri($"{_lago.Url}/files/{id}.pdf"), await _source.PdfUrlAsync("ada", id));
        Assert.Null(await _source.PdfUrlAsync("bob", id));
        _lago.AssertNoViolations();
    }
}
