using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace CloneAI.Local.Tests.Privacy;

/// <summary>
/// Kills the local host process (SIGKILL) in the middle of an account deletion (Privacy:EraseDelayMs holds it after the first
/// eraser, with the deletion recorded), starts it again on the same data, and expects the deletion finished before the host
/// answers: no user, no marker, and no trace of the email or id in the data folder.
/// </summary>
public sealed class DeletionCrashTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cloneai-delete-crash-" + Guid.NewGuid().ToString("N"));
    private readonly string _url = $"http://127.0.0.1:{LocalHostFixture.FreePort()}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task AHostKilledMidDeletionFinishesItAtTheNextStart()
    {
        var host = HostProcess.Start(_data, _url, new Dictionary<string, string?> { ["Privacy:EraseDelayMs"] = "60000" });
        try
        {
            using var http = Contract.ContractClient.Create(new Uri(_url), TimeSpan.FromSeconds(90));
            await HostProcess.WaitHealthyAsync(http);
            var email = $"crash-leaver-{Guid.NewGuid():N}@cloneai.test";
            var (userId, token) = await SignUpAsync(http, email);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/me/memories", new { kind = "goal", text = "Finish the crash course" })).StatusCode);

            // The deletion starts and is held after its first eraser: recorded, the user still there.
            _ = http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { password = LocalHostFixture.Password }) });
            for (var i = 0; await ScalarAsync("SELECT COUNT(*) FROM account_deletions") == 0; i++)
            {
                Assert.True(i < 200, "the deletion was not recorded");
                await Task.Delay(100);
            }
            Assert.Equal(1, await ScalarAsync("SELECT COUNT(*) FROM users WHERE id = $p", userId));
            await HostProcess.KillAsync(host);

            host = HostProcess.Start(_data, _url);
            await HostProcess.WaitHealthyAsync(http);
            Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM account_deletions"));
            Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM users WHERE id = $p", userId));
            Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM memories WHERE user_id = $p", userId));
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/me")).StatusCode);
            await YourDataTests.CheckpointAsync(_data);
            Assert.Empty(YourDataTests.Traces(_data, email, userId));
        }
        finally
        {
            await HostProcess.KillAsync(host);
        }
    }

    private async Task<long> ScalarAsync(string sql, string? parameter = null)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_data, "cloneai.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        if (parameter is not null) command.Parameters.AddWithValue("$p", parameter);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<(string UserId, string AccessToken)> SignUpAsync(HttpClient http, string email)
    {
        var signup = await http.PostAsJsonAsync("/api/auth/signup", new { email, password = LocalHostFixture.Password, displayName = "Crash leaver", acceptTerms = true });
        Assert.True(signup.IsSuccessStatusCode, await signup.Content.ReadAsStringAsync());
        MimeMessage? mail = null;
        for (var i = 0; mail is null && i < 100; i++)
        {
            var outbox = Path.Combine(_data, "outbox");
            mail = Directory.Exists(outbox) ? Directory.GetFiles(outbox, "*.eml").Select(f => MimeMessage.Load(f)).FirstOrDefault(m => m.To.Mailboxes.Any(a => a.Address == email)) : null;
            if (mail is null) await Task.Delay(100);
        }
        var token = System.Text.RegularExpressions.Regex.Match(mail!.TextBody!, @"verify\?token=([A-Za-z0-9_\-]+)").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/api/auth/verify", new { token })).StatusCode);
        var login = await (await http.PostAsJsonAsync("/api/auth/login", new { email, password = LocalHostFixture.Password })).Content.ReadFromJsonAsync<Tokens>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login!.AccessToken);
        var me = await http.GetFromJsonAsync<JsonElement>("/api/me");
        return (me.GetProperty("id").GetString()!, login.AccessToken);
    }
}
