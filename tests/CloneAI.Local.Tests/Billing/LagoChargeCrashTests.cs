using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace CloneAI.Local.Tests.Billing;

/// <summary>
/// kill -9 of the local host (its own process, <c>Billing:Provider=lago</c>) between a real session charge and its Lago event:
/// a user tops up through Lago (credited by the signed webhook), asks a paid question, and the host is killed while Lago holds
/// the charge's event unanswered. After a restart the event is delivered, Lago keeps it once under the usage key, the wallet
/// paid once, and the outbox marks it sent.
/// </summary>
public sealed class LagoChargeCrashTests : IAsyncLifetime
{
    private const int Price = 25;
    private const int TopUp = 2500;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cloneai-lago-charge-crash-" + Guid.NewGuid().ToString("N"));
    private readonly string _url = $"http://127.0.0.1:{LocalHostFixture.FreePort()}";
    private FakeLago _lago = null!;

    public async Task InitializeAsync() => _lago = await FakeLago.StartAsync();

    public async Task DisposeAsync()
    {
        await _lago.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task AHostKilledBetweenAChargeAndItsLagoEventDeliversTheEventOnceAfterARestart()
    {
        var host = StartHost();
        try
        {
            using var http = Contract.ContractClient.Create(new Uri(_url), TimeSpan.FromSeconds(60));
            await HostProcess.WaitHealthyAsync(http);
            var creator = await SignUpAsync(http, "creator@cloneai.test", creator: true);
            var payer = await SignUpAsync(http, "payer@cloneai.test", creator: false);

            // A clone that costs 25 cents a message from the first one.
            var created = await Send(http, HttpMethod.Post, "/api/clones", creator,
                new { name = "Crash billing", category = "science", tagline = "Answers", description = "A clone for the crash test.", tags = new[] { "test" },
                    persona = new { greeting = "Hello!", tone = "friendly", answerLength = "short", instructions = "Answer.", dontKnowMessage = "I don't know." },
                    pricing = new { perMinute = (long?)null, perMessage = Price, currency = "USD", freeMessages = 0 } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var cloneId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            Assert.Equal(HttpStatusCode.OK, (await Send(http, HttpMethod.Post, $"/api/clones/{cloneId}/publish", creator)).StatusCode);

            // The payer's top-up goes through Lago; Lago's signed webhook credits it.
            var topUp = await Send(http, HttpMethod.Post, "/api/wallet/top-ups", payer, new { amount = TopUp, idempotencyKey = "crash-top-up" });
            Assert.Equal(HttpStatusCode.Created, topUp.StatusCode);
            var walletTransaction = Assert.Single(_lago.WalletTransactions).Key;
            var settled = _lago.WalletTransactionWebhook(walletTransaction);
            using (var webhook = new HttpClient { BaseAddress = new Uri(_url) })
                Assert.Equal(HttpStatusCode.OK, (await FakeLago.SendWebhookAsync(webhook, "/api/billing/lago/webhook", settled, "hmac", _lago.SignHmac(settled), Guid.NewGuid().ToString())).StatusCode);
            Assert.Equal(TopUp, await BalanceAsync(http, payer));

            var session = await Send(http, HttpMethod.Post, $"/api/clones/{cloneId}/sessions", payer);
            Assert.Equal(HttpStatusCode.Created, session.StatusCode);
            var sessionId = (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

            // Lago takes the charge's event but does not answer: the host is killed while it waits.
            _lago.HoldEvents = true;
            var asked = await Send(http, HttpMethod.Post, $"/api/sessions/{sessionId}/messages", payer, new { content = "What is this clone about?", clientMessageId = "q1" });
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
            var key = $"{sessionId}:message:q1";
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!_lago.Events.ContainsKey(key))
            {
                Assert.True(DateTime.UtcNow < deadline, "the host did not send the charge's event");
                Assert.False(host.HasExited, "the host stopped");
                await Task.Delay(50);
            }
            host.Kill(entireProcessTree: true); // SIGKILL
            await host.WaitForExitAsync();
            Assert.Equal("pending", await OutboxStatusAsync(key));

            _lago.HoldEvents = false;
            _lago.ReleaseHeldEvents();
            host = StartHost();
            await HostProcess.WaitHealthyAsync(http);
            deadline = DateTime.UtcNow.AddSeconds(90);
            while (await OutboxStatusAsync(key) != "sent")
            {
                Assert.True(DateTime.UtcNow < deadline, "the restarted host did not deliver the charge's event");
                Assert.False(host.HasExited, "the restarted host stopped");
                await Task.Delay(100);
            }

            // Lago keeps the event once (it was sent again after the restart, under the same transaction_id); the wallet paid once.
            Assert.Equal(2, _lago.EventPosts[key]);
            var sessionEvents = _lago.Events.Keys.Where(k => k.StartsWith(sessionId, StringComparison.Ordinal)).ToList();
            Assert.Equal(new[] { key }, sessionEvents);
            Assert.Equal("session_messages", _lago.Events[key]["code"]!.GetValue<string>());
            Assert.Equal(TopUp - Price, await BalanceAsync(http, payer));
            _lago.AssertNoViolations();
        }
        finally
        {
            await HostProcess.KillAsync(host);
        }
    }

    private async Task<string?> OutboxStatusAsync(string key)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_data, "cloneai.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT status FROM billing_outbox WHERE key = $key";
        cmd.Parameters.AddWithValue("$key", key);
        return await cmd.ExecuteScalarAsync() as string;
    }

    private static async Task<long> BalanceAsync(HttpClient http, string token) =>
        (await (await Send(http, HttpMethod.Get, "/api/wallet", token)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("balance").GetInt64();

    private static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return http.SendAsync(request);
    }

    private async Task<string> SignUpAsync(HttpClient http, string email, bool creator)
    {
        await http.PostAsJsonAsync("/api/auth/signup", new { email, password = LocalHostFixture.Password, displayName = email.Split('@')[0], acceptTerms = true });
        var mail = Directory.GetFiles(Path.Combine(_data, "outbox"), "*.eml").Select(f => MimeMessage.Load(f))
            .Single(m => m.To.Mailboxes.Any(b => b.Address == email));
        var token = System.Text.RegularExpressions.Regex.Match(mail.TextBody!, @"verify\?token=([A-Za-z0-9_\-]+)").Groups[1].Value;
        await http.PostAsJsonAsync("/api/auth/verify", new { token });
        var login = await (await http.PostAsJsonAsync("/api/auth/login", new { email, password = LocalHostFixture.Password })).Content.ReadFromJsonAsync<Tokens>();
        if (creator) Assert.Equal(HttpStatusCode.OK, (await Send(http, HttpMethod.Post, "/api/me/creator", login!.AccessToken)).StatusCode);
        return login!.AccessToken;
    }

    private System.Diagnostics.Process StartHost() => HostProcess.Start(_data, _url, _lago.Settings().Concat(new Dictionary<string, string?>
    {
        ["Lago:Outbox:PollInterval"] = "00:00:00.500",
        ["Lago:Outbox:BaseDelay"] = "00:00:00.200",
    }));
}
