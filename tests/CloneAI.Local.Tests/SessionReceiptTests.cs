using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CloneAI.Local.Tests;

/// <summary>A session that was used or cost something ends with one emailed receipt (the local host's outbox).</summary>
public sealed class SessionReceiptTests : IAsyncLifetime
{
    private readonly ShiftedTime _time = new();
    private OwnHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = await OwnHost.StartAsync(new()
        {
            ["Chat:IdleTimeoutMinutes"] = "5",
            ["Chat:ExtractiveWordDelayMs"] = "0",
            ["Auth:PublicBaseUrl"] = "https://cloneai.example",
        }, services => services.AddSingleton<TimeProvider>(_time));
        var buyer = await _host.UserAsync("buyer-1");
        await _host.FundAsync(buyer);
        _http = _host.Client(buyer);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<string> CloneAsync(string name, PricingInput pricing) =>
        (await _host.PublishedCloneAsync(await _host.UserAsync("maker-1", creator: true), name, pricing)).Id;

    private async Task<string> StartAsync(string cloneId) =>
        (await (await _http.PostAsync($"/api/clones/{cloneId}/sessions", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

    private async Task AskAsync(string sessionId) =>
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsJsonAsync($"/api/sessions/{sessionId}/messages",
            new { content = "Anything there?", clientMessageId = Guid.NewGuid().ToString("N") })).StatusCode);

    private List<MimeMessage> Receipts()
    {
        var outbox = Path.Combine(_host.DataDir, "outbox");
        return !Directory.Exists(outbox) ? [] : Directory.GetFiles(outbox, "*.eml").Select(f => MimeMessage.Load(f))
            .Where(m => m.To.Mailboxes.Any(a => a.Address == "buyer-1@cloneai.test") && (m.Subject ?? "").StartsWith("Your session with", StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>
    /// The receipts once <paramref name="expected"/> have arrived: the SummarizeSession orchestration sends a used session's receipt
    /// after writing its summary, so it arrives shortly after the end. A little longer is waited to see that no second one follows.
    /// </summary>
    private async Task<List<MimeMessage>> ReceiptsAsync(int expected)
    {
        for (var i = 0; i < 300 && Receipts().Count < expected; i++) await Task.Delay(100);
        await Task.Delay(500);
        return Receipts();
    }

    [Fact]
    public async Task EndingAUsedSessionSendsOneReceiptWithTheFinalCostAndALinkBack()
    {
        var id = await StartAsync(await CloneAsync("Ada & Co", new PricingInput(PerMinute: 20, PerMessage: 5, Currency: "USD")));
        await AskAsync(id);
        _time.Offset += TimeSpan.FromSeconds(70); // two started minutes

        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync($"/api/sessions/{id}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync($"/api/sessions/{id}/end", null)).StatusCode); // ending again sends nothing

        var receipt = Assert.Single(await ReceiptsAsync(1));
        Assert.Equal("Your session with “Ada & Co”: 0.45 USD", receipt.Subject); // 2 minutes × 20 + 1 message × 5
        Assert.Contains("Messages: 1", receipt.TextBody);
        Assert.Contains("Total: 0.45 USD", receipt.TextBody);
        Assert.Contains($"https://cloneai.example/sessions/{id}", receipt.TextBody);
        Assert.Contains("Ada &amp; Co", receipt.HtmlBody);
        Assert.DoesNotContain("Ada & Co", receipt.HtmlBody);
    }

    [Fact]
    public async Task ASessionThatWasNeitherUsedNorChargedEndsWithoutAReceipt()
    {
        var id = await StartAsync(await CloneAsync("Per Question", new PricingInput(PerMessage: 5, Currency: "USD")));

        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync($"/api/sessions/{id}/end", null)).StatusCode);

        Assert.Empty(await ReceiptsAsync(0));
    }

    [Fact]
    public async Task ASessionTheTimerEndsForIdlenessGetsItsReceiptToo()
    {
        var id = await StartAsync(await CloneAsync("Quiet One", new PricingInput(PerMinute: 10, Currency: "USD")));
        await AskAsync(id);
        _time.Offset += TimeSpan.FromMinutes(6);

        Assert.Equal(1, await _host.Services.GetRequiredService<SessionService>().EndExpiredAsync());
        Assert.Equal(0, await _host.Services.GetRequiredService<SessionService>().EndExpiredAsync());

        var receipt = Assert.Single(await ReceiptsAsync(1));
        Assert.Equal("Your session with “Quiet One”: 0.10 USD", receipt.Subject);
        Assert.Contains("ended after a quiet spell", receipt.TextBody);
    }
}
