using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CloneAI.Local.Tests;

/// <summary>
/// Session summaries in the local host: written by SummarizeSession when a session ends (202 while being written, then 200),
/// extractive without a model, in the export and the receipt; only the session's user reads one; deleting a session.
/// </summary>
public sealed class SessionSummaryTests : IAsyncLifetime
{
    public const string Plan = """
        # Marathon plan

        ## Long runs

        The long run is the heart of marathon training, because it teaches the body to burn fat over hours.
        Make sure your long run grows by no more than ten percent a week.
        You should rest a day after every long run, so the muscles repair.
        The long run builds endurance for the last ten kilometres of the marathon.

        ## Tapering

        Tapering means cutting your weekly mileage in the last three weeks before the race.
        A good taper leaves the legs fresh on race day.

        ## Race day nutrition

        Carbohydrate gels every forty minutes keep the glycogen stores from running empty during the race.
        """;

    private OwnHost _host = null!;
    private User _buyer = null!;
    private HttpClient _http = null!;
    private string _cloneId = null!;

    public async Task InitializeAsync()
    {
        _host = await OwnHost.StartAsync(new()
        {
            ["Chat:ExtractiveWordDelayMs"] = "0",
            // The write activity waits a moment, so that the 202 while it is being written can be seen.
            ["Summaries:WriteDelayMs"] = "1500",
            ["Summaries:RetryAfterSeconds"] = "1",
            ["Auth:AdminEmails:0"] = "admin-1@cloneai.test",
        });
        var maker = await _host.UserAsync("coach-maker", creator: true);
        _buyer = await _host.UserAsync("runner-1");
        await _host.FundAsync(_buyer);
        _http = _host.Client(_buyer);
        _cloneId = (await _host.PublishedCloneAsync(maker, "Marathon Coach", new PricingInput(PerMinute: 10, Currency: "USD"))).Id;
        using var creator = _host.Client(maker);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(Plan)), "files", "plan.md" } };
        var uploaded = await creator.PostAsync($"/api/clones/{_cloneId}/documents", form);
        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        var docId = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement.GetProperty("items")[0].GetProperty("id").GetString();
        for (var i = 0; ; i++)
        {
            var doc = await creator.GetFromJsonAsync<JsonElement>($"/api/clones/{_cloneId}/documents/{docId}");
            if (doc.GetProperty("status").GetString() == "ready") break;
            Assert.True(i < 600, "the plan was not indexed");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<string> SessionAsync(params string[] questions)
    {
        var started = await _http.PostAsync($"/api/clones/{_cloneId}/sessions", null);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        foreach (var q in questions)
        {
            var asked = await _http.PostAsJsonAsync($"/api/sessions/{id}/messages", new { content = q, clientMessageId = Guid.NewGuid().ToString("N") });
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        }
        return id;
    }

    private async Task<JsonElement> SummaryAsync(string sessionId)
    {
        for (var i = 0; i < 300; i++)
        {
            var response = await _http.GetAsync($"/api/sessions/{sessionId}/summary");
            if (response.StatusCode == HttpStatusCode.OK) return await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await Task.Delay(100);
        }
        throw new TimeoutException("the summary was not written");
    }

    [Fact]
    public async Task AnEndedSessionGetsAnExtractiveSummaryWith202WhileItIsBeingWritten()
    {
        var id = await SessionAsync("How should I do my long runs for the marathon?", "How fast should my long run grow each week?",
            "Should I rest after a long run?");
        Assert.Equal(HttpStatusCode.Conflict, (await _http.GetAsync($"/api/sessions/{id}/summary")).StatusCode); // still running
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync($"/api/sessions/{id}/end", null)).StatusCode);

        var pending = await _http.GetAsync($"/api/sessions/{id}/summary");
        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
        Assert.Equal("1", pending.Headers.GetValues("Retry-After").Single());
        Assert.Equal("writing", (await pending.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        var summary = await SummaryAsync(id);
        Assert.Equal("extractive", summary.GetProperty("method").GetString());
        Assert.Contains("long run", summary.GetProperty("summary").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("notes say", summary.GetProperty("summary").GetString(), StringComparison.Ordinal); // the persona's framing is not quoted
        Assert.True(summary.GetProperty("keyInsights").GetArrayLength() > 0, summary.ToString() + (await _http.GetStringAsync($"/api/sessions/{id}")));
        Assert.True(summary.GetProperty("actionItems").GetArrayLength() > 0, summary.ToString() + (await _http.GetStringAsync($"/api/sessions/{id}")));
        Assert.True(summary.GetProperty("nextTopics").GetArrayLength() > 0, summary.ToString() + (await _http.GetStringAsync($"/api/sessions/{id}")));
        Assert.Equal("plan.md", summary.GetProperty("citations")[0].GetProperty("fileName").GetString());

        // In the export, and as highlights in the receipt (sent once, after the summary).
        var markdown = await _http.GetStringAsync($"/api/sessions/{id}/export?format=markdown");
        Assert.Contains("## Extractive summary", markdown);
        Assert.Contains("### Action items", markdown);
        var json = await _http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}/export?format=json");
        Assert.Equal(summary.GetProperty("summary").GetString(), json.GetProperty("summary").GetProperty("summary").GetString());
        var pdf = await _http.GetAsync($"/api/sessions/{id}/export?format=pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", Encoding.ASCII.GetString(bytes, 0, 4));
        var receipt = Assert.Single(await ReceiptsAsync());
        Assert.Contains("Highlights:", receipt.TextBody);
        Assert.Contains("To do: ", receipt.TextBody);
        // The receipt is recorded as sent on the summary, so a restart does not look for it again.
        var store = _host.Services.GetRequiredService<CloneAI.Core.Summaries.ISessionSummaryStore>();
        for (var i = 0; i < 100 && (await store.GetAsync(_buyer.Id, id))!.ReceiptSentAt is null; i++) await Task.Delay(100);
        Assert.NotNull((await store.GetAsync(_buyer.Id, id))!.ReceiptSentAt);
        Assert.Empty(await _host.Services.GetRequiredService<CloneAI.Core.Summaries.SessionSummaries>().UnfinishedAsync());
    }

    [Fact]
    public async Task ASessionEndedBeforeItsFirstQuestionHasNoSummary()
    {
        var id = await SessionAsync();
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync($"/api/sessions/{id}/end", null)).StatusCode);
        var response = await _http.GetAsync($"/api/sessions/{id}/summary");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("before its first question", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task NobodyElseReadsTheSummaryNotEvenAnAdmin()
    {
        var id = await SessionAsync("What is tapering?");
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync($"/api/sessions/{id}/end", null)).StatusCode);
        await SummaryAsync(id);
        using var adminHttp = _host.Client(await _host.UserAsync("admin-1"));
        Assert.Equal(HttpStatusCode.OK, (await adminHttp.GetAsync($"/api/admin/sessions/{id}?reason=Support%20ticket")).StatusCode); // an admin reads the conversation with a reason…
        Assert.Equal(HttpStatusCode.NotFound, (await adminHttp.GetAsync($"/api/sessions/{id}")).StatusCode); // …and only so
        Assert.Equal(HttpStatusCode.NotFound, (await adminHttp.GetAsync($"/api/sessions/{id}/summary")).StatusCode); // …never its summary
        Assert.Equal(HttpStatusCode.NotFound, (await adminHttp.DeleteAsync($"/api/sessions/{id}")).StatusCode);
        using var other = _host.Client(await _host.UserAsync("runner-2"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/sessions/{id}/summary")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/sessions/{id}")).StatusCode);
    }

    [Fact]
    public async Task DeletingASessionRemovesItsMessagesAndSummaryButKeepsItsUsage()
    {
        var id = await SessionAsync("How should I do my long runs?");
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync($"/api/sessions/{id}/end", null)).StatusCode);
        await SummaryAsync(id);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/api/sessions/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/api/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/api/sessions/{id}/summary")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.DeleteAsync($"/api/sessions/{id}")).StatusCode);
        var list = await _http.GetFromJsonAsync<JsonElement>("/api/sessions");
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), s => s.GetProperty("id").GetString() == id);
        var store = _host.Services.GetRequiredService<ISessionStore>();
        Assert.Empty(await store.GetMessagesAsync(id));
        Assert.NotEmpty(await store.GetUsageAsync(id)); // the money it moved stays on record
        Assert.Null(await _host.Services.GetRequiredService<CloneAI.Core.Summaries.ISessionSummaryStore>().GetAsync(_buyer.Id, id));
    }

    [Fact]
    public async Task DeletingAnActiveSessionEndsItFirst()
    {
        var id = await SessionAsync("What is tapering?");
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/api/sessions/{id}")).StatusCode);
        var stored = await _host.Services.GetRequiredService<ISessionStore>().GetAsync(id);
        Assert.Equal(SessionStatus.Ended, stored!.Status);
        Assert.NotNull(stored.DeletedAt);
    }

    private async Task<List<MimeMessage>> ReceiptsAsync()
    {
        var outbox = Path.Combine(_host.DataDir, "outbox");
        List<MimeMessage> Read() => !Directory.Exists(outbox) ? [] : Directory.GetFiles(outbox, "*.eml").Select(f => MimeMessage.Load(f))
            .Where(m => (m.Subject ?? "").StartsWith("Your session with", StringComparison.Ordinal)).ToList();
        for (var i = 0; i < 300 && Read().Count == 0; i++) await Task.Delay(100);
        await Task.Delay(300);
        return Read();
    }
}
