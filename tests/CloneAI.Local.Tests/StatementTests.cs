using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Billing;
using CloneAI.Core.Chat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloneAI.Local.Tests;

/// <summary>
/// Monthly statements through the local host's HTTP API: the wallet's money is posted through the host's own ledger (as top-ups
/// and session charges post it), and the statement is read as JSON, as an HTML page and as a PDF.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class StatementTests(LocalHostFixture host)
{
    private const string HostileName = "<script>alert(1)</script> Ada";

    private ILedger Ledger => host.App.Services.GetRequiredService<ILedger>();
    private BillingOptions Billing => host.App.Services.GetRequiredService<IOptions<BillingOptions>>().Value;

    /// <summary>A user whose wallet was topped up with 20.00, with a session with a clone called <see cref="HostileName"/> that was charged 2 minutes and a message.</summary>
    private async Task<(TestUser User, string SessionId, string Month)> PayerWithASessionAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var user = await host.NewUserAsync("payer");
        var maker = await host.NewUserAsync("maker", creator: true);
        await Ledger.PostAsync(LedgerPostings.TopUp(Guid.NewGuid().ToString("N"), user.Id, 2000, Billing.Currency, now));
        var clone = await host.CreateCloneAsync(maker.AccessToken, HostileName, publish: true);
        using var client = host.Client(user.AccessToken);
        var started = await client.PostAsync($"/api/clones/{clone.GetProperty("id").GetString()}/sessions", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        foreach (var (key, kind, amount) in new[] { ($"{sessionId}:message:e2e", UsageKinds.Message, 120L), ($"{sessionId}:minute:1", UsageKinds.Minutes, 50L), ($"{sessionId}:minute:2", UsageKinds.Minutes, 50L) })
        {
            var usage = new UsageEvent
            {
                Id = key, SessionId = sessionId, UserId = user.Id, CloneId = clone.GetProperty("id").GetString()!, OwnerId = maker.Id, Kind = kind, Quantity = 1, Amount = amount,
                Currency = Billing.Currency, CreatedAt = now,
            };
            await Ledger.PostAsync(UsageCharges.Charge(usage, Billing, now)!);
        }
        return (user, sessionId, now.ToString("yyyy-MM", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task MyStatementOfThisMonthListsTheTopUpAndTheSessionAsJsonHtmlAndPdf()
    {
        var (user, sessionId, month) = await PayerWithASessionAsync();
        using var client = host.Client(user.AccessToken);

        var list = await client.GetFromJsonAsync<JsonElement>("/api/me/invoices");
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(month, item.GetProperty("id").GetString());
        Assert.Equal("statement", item.GetProperty("kind").GetString());
        Assert.Equal("open", item.GetProperty("status").GetString());
        Assert.Equal(220, item.GetProperty("total").GetInt64());
        Assert.Equal(Billing.Currency, item.GetProperty("currency").GetString());
        var number = item.GetProperty("number").GetString()!;
        Assert.StartsWith("ST-" + month + "-", number, StringComparison.Ordinal);

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/me/invoices/{month}");
        var lines = detail.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(["Top-up", $"Session with {HostileName}: 2 minutes, 1 message"], lines.Select(l => l.GetProperty("description").GetString()));
        Assert.Equal([2000L, -220L], lines.Select(l => l.GetProperty("amount").GetInt64()));
        Assert.Equal(sessionId, lines[1].GetProperty("sessionId").GetString());
        Assert.Equal(0, detail.GetProperty("openingBalance").GetInt64());
        Assert.Equal(1780, detail.GetProperty("closingBalance").GetInt64());

        var html = await client.GetAsync($"/api/me/invoices/{month}/html");
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", string.Join(";", html.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        var page = await html.Content.ReadAsStringAsync();
        Assert.Contains(number, page, StringComparison.Ordinal);
        Assert.Contains("Session with &lt;script&gt;alert(1)&lt;/script&gt; Ada: 2 minutes, 1 message", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);

        var pdf = await client.GetAsync($"/api/me/invoices/{month}/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", pdf.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"cloneai-{number}.pdf", pdf.Content.Headers.ContentDisposition?.FileNameStar ?? pdf.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        using var document = UglyToad.PdfPig.PdfDocument.Open(bytes);
        var text = new string([.. document.GetPage(1).Text.Where(c => !char.IsWhiteSpace(c))]);
        Assert.Contains("Sessionwith<script>alert(1)</script>Ada:2minutes,1message", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherUserCannotReadMyStatement()
    {
        var (_, _, month) = await PayerWithASessionAsync();
        var other = await host.NewUserAsync("other");
        using var client = host.Client(other.AccessToken);

        var list = await client.GetFromJsonAsync<JsonElement>("/api/me/invoices");
        Assert.Empty(list.GetProperty("items").EnumerateArray());
        foreach (var suffix in new[] { "", "/html", "/pdf" })
        {
            var response = await client.GetAsync($"/api/me/invoices/{month}{suffix}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("2999-01")]
    [InlineData("2000-01")]
    public async Task AMonthWithoutAStatementIsNotFound(string id)
    {
        var (user, _, _) = await PayerWithASessionAsync();
        using var client = host.Client(user.AccessToken);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/me/invoices/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/me/invoices/{id}/pdf")).StatusCode);
    }
}
