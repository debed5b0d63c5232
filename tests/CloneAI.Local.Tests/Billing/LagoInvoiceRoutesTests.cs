using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CloneAI.Local.Tests.Billing;

/// <summary>
/// The invoice routes of a local host with <c>Billing:Provider=lago</c>: the list is Lago's invoices, and an invoice's PDF is the
/// file Lago issued (read from its <c>file_url</c> without Lago's API key), another user's invoice is 404.
/// </summary>
public sealed class LagoInvoiceRoutesTests : IAsyncLifetime
{
    private FakeLago _lago = null!;
    private OwnHost _host = null!;

    public async Task InitializeAsync()
    {
        _lago = await FakeLago.StartAsync();
        _host = await OwnHost.StartAsync(_lago.Settings());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _lago.DisposeAsync();
    }

    [Fact]
    public async Task AUsersLagoInvoicesAreListedAndTheirPdfIsLagosOwnFile()
    {
        var ada = await _host.UserAsync("lago-invoices-ada");
        var bob = await _host.UserAsync("lago-invoices-bob");
        var invoice = _lago.AddInvoice(ada.Id, "CLO-042", 375, fees: [("session_minutes", "5", 250), ("session_messages", "5", 125)]);
        var id = invoice["lago_id"]!.GetValue<string>();
        using var http = _host.Client(ada);

        var list = await http.GetFromJsonAsync<JsonElement>("/api/me/invoices");
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("CLO-042", item.GetProperty("number").GetString());
        Assert.Equal("invoice", item.GetProperty("kind").GetString());

        var pdf = await http.GetAsync($"/api/me/invoices/{id}/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal(FakeLago.FilePdf(id), await pdf.Content.ReadAsByteArrayAsync());

        using var other = _host.Client(bob);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/me/invoices/{id}/pdf")).StatusCode);
        _lago.AssertNoViolations();
    }
}
