using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace CloneAI.Local.Tests;

/// <summary>
/// Kills the local host process (SIGKILL) while SummarizeSession is writing a summary (Summaries:WriteDelayMs holds the write
/// activity), starts it again on the same data, and expects the summary written exactly once: one row, one receipt.
/// </summary>
public sealed class SummaryCrashTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cloneai-summary-crash-" + Guid.NewGuid().ToString("N"));
    private readonly string _url = $"http://127.0.0.1:{LocalHostFixture.FreePort()}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task AHostKilledWhileWritingASummaryWritesItExactlyOnceAfterRestart()
    {
        var slow = new Dictionary<string, string?> { ["Summaries:WriteDelayMs"] = "60000", ["Chat:ExtractiveWordDelayMs"] = "0" };
        var host = HostProcess.Start(_data, _url, slow);
        try
        {
            using var http = Contract.ContractClient.Create(new Uri(_url), TimeSpan.FromSeconds(60));
            await HostProcess.WaitHealthyAsync(http);
            var creator = await SignUpAsync(http, "coach@cloneai.test", creator: true);
            var runner = await SignUpAsync(http, "runner@cloneai.test", creator: false);

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", creator);
            var created = await http.PostAsJsonAsync("/api/clones", LocalHostFixture.PublishableClone("Crash coach") as object);
            var cloneId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            using (var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(SessionSummaryTests.Plan)), "files", "plan.md" } })
                Assert.True((await http.PostAsync($"/api/clones/{cloneId}/documents", form)).IsSuccessStatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/api/clones/{cloneId}/publish", null)).StatusCode);
            for (var i = 0; ; i++)
            {
                var docs = await http.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents");
                if (docs.GetProperty("items").EnumerateArray().All(d => d.GetProperty("status").GetString() == "ready")) break;
                Assert.True(i < 600, "the plan was not indexed");
                await Task.Delay(200);
            }

            // The runner tops up (the test payment provider), asks once, and ends the session.
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", runner);
            var topUp = await (await http.PostAsJsonAsync("/api/wallet/top-ups", new { amount = 1000, idempotencyKey = "crash-top-up" })).Content.ReadFromJsonAsync<JsonElement>();
            var paid = await http.PostAsJsonAsync($"/api/wallet/top-ups/{topUp.GetProperty("id").GetString()}/test-pay", new { cardNumber = "4242 4242 4242 4242" });
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
            var started = await http.PostAsync($"/api/clones/{cloneId}/sessions", null);
            Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
            var sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var asked = await http.PostAsJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "How should I do my long runs?", clientMessageId = "c1" });
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/api/sessions/{sessionId}/end", null)).StatusCode);

            // Mid-way: the orchestration is in its write activity (held for a minute): nothing stored, no receipt yet.
            await Task.Delay(1500);
            Assert.Equal(HttpStatusCode.Accepted, (await http.GetAsync($"/api/sessions/{sessionId}/summary")).StatusCode);
            Assert.Equal(0, await RowsAsync(sessionId));
            Assert.Empty(Receipts());
            await HostProcess.KillAsync(host);

            host = HostProcess.Start(_data, _url, new Dictionary<string, string?> { ["Chat:ExtractiveWordDelayMs"] = "0" });
            await HostProcess.WaitHealthyAsync(http);
            JsonElement summary = default;
            for (var i = 0; ; i++)
            {
                var response = await http.GetAsync($"/api/sessions/{sessionId}/summary");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    summary = await response.Content.ReadFromJsonAsync<JsonElement>();
                    break;
                }
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                Assert.True(i < 600, "the summary was not written after the restart");
                await Task.Delay(100);
            }
            Assert.Equal("extractive", summary.GetProperty("method").GetString());
            for (var i = 0; i < 100 && Receipts().Count == 0; i++) await Task.Delay(100);
            await Task.Delay(1000);

            Assert.Equal(1, await RowsAsync(sessionId));
            var receipt = Assert.Single(Receipts());
            Assert.Contains("Highlights:", receipt.TextBody);
        }
        finally
        {
            await HostProcess.KillAsync(host);
        }
    }

    private async Task<long> RowsAsync(string sessionId)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_data, "cloneai.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM session_summaries WHERE session_id = $id";
        cmd.Parameters.AddWithValue("$id", sessionId);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private List<MimeMessage> Receipts() =>
        Directory.GetFiles(Path.Combine(_data, "outbox"), "*.eml").Select(f => MimeMessage.Load(f))
            .Where(m => (m.Subject ?? "").StartsWith("Your session with", StringComparison.Ordinal)).ToList();

    private async Task<string> SignUpAsync(HttpClient http, string email, bool creator)
    {
        http.DefaultRequestHeaders.Authorization = null;
        await http.PostAsJsonAsync("/api/auth/signup", new { email, password = LocalHostFixture.Password, displayName = email.Split('@')[0], acceptTerms = true });
        var mail = Directory.GetFiles(Path.Combine(_data, "outbox"), "*.eml").Select(f => MimeMessage.Load(f)).Single(m => m.To.Mailboxes.Any(a => a.Address == email));
        var token = System.Text.RegularExpressions.Regex.Match(mail.TextBody!, @"verify\?token=([A-Za-z0-9_\-]+)").Groups[1].Value;
        await http.PostAsJsonAsync("/api/auth/verify", new { token });
        var login = await (await http.PostAsJsonAsync("/api/auth/login", new { email, password = LocalHostFixture.Password })).Content.ReadFromJsonAsync<Tokens>();
        if (creator)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/me/creator");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", login!.AccessToken);
            await http.SendAsync(request);
        }
        return login!.AccessToken;
    }
}
