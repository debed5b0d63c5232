using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace CloneAI.Local.Tests;

/// <summary>Kills the local host process in the middle of ingestion, starts it again on the same data, and expects every document Ready once.</summary>
public sealed class CrashResumeTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cloneai-crash-" + Guid.NewGuid().ToString("N"));
    private readonly string _url = $"http://127.0.0.1:{LocalHostFixture.FreePort()}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task AHostKilledMidIngestionResumesEveryDocumentOnRestartWithoutDuplicateChunks()
    {
        var host = HostProcess.Start(_data, _url);
        try
        {
            using var http = Contract.ContractClient.Create(new Uri(_url), TimeSpan.FromSeconds(60));
            await HostProcess.WaitHealthyAsync(http);
            var token = await CreatorAsync(http);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var clone = await (await http.PostAsJsonAsync("/api/clones", new { name = "Crash test", category = "science" })).Content.ReadFromJsonAsync<JsonElement>();
            var cloneId = clone.GetProperty("id").GetString()!;

            using var form = new MultipartFormDataContent();
            for (var i = 0; i < 6; i++) form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(Paper(i))), "files", $"paper-{i}.txt");
            var upload = await http.PostAsync($"/api/clones/{cloneId}/documents", form);
            Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());

            // Kill as soon as some work has started but not all of it is done.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            List<JsonElement> docs;
            do
            {
                docs = await ListAsync(http, cloneId);
                if (docs.Any(d => d.GetProperty("status").GetString() == "processing")) break;
                await Task.Delay(50);
            } while (DateTime.UtcNow < deadline);
            Assert.Contains(docs, d => d.GetProperty("status").GetString() != "ready");
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();

            host = HostProcess.Start(_data, _url);
            await HostProcess.WaitHealthyAsync(http);
            deadline = DateTime.UtcNow.AddSeconds(240);
            while (true)
            {
                docs = await ListAsync(http, cloneId);
                if (docs.All(d => d.GetProperty("status").GetString() is "ready" or "failed")) break;
                Assert.True(DateTime.UtcNow < deadline, "documents did not finish after the restart: " +
                    string.Join(", ", docs.Select(d => $"{d.GetProperty("fileName").GetString()}={d.GetProperty("status").GetString()}/{d.GetProperty("stage").GetString()}")));
                await Task.Delay(250);
            }
            Assert.All(docs, d => Assert.Equal("ready", d.GetProperty("status").GetString()));
            Assert.Equal(6, docs.Count);

            // Exactly one copy of every chunk: ordinals 0..n-1, once each, n = the document's chunk count.
            await using var db = new SqliteConnection($"Data Source={Path.Combine(_data, "cloneai.db")};Mode=ReadOnly;Pooling=False");
            await db.OpenAsync();
            foreach (var doc in docs)
            {
                await using var cmd = db.CreateCommand();
                cmd.CommandText = "SELECT COUNT(*), COUNT(DISTINCT ordinal), MIN(ordinal), MAX(ordinal) FROM chunks WHERE document_id = $id";
                cmd.Parameters.AddWithValue("$id", doc.GetProperty("id").GetString());
                await using var reader = await cmd.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                var expected = doc.GetProperty("chunkCount").GetInt32();
                Assert.True(expected > 0);
                Assert.Equal(expected, reader.GetInt32(0));
                Assert.Equal(expected, reader.GetInt32(1));
                Assert.Equal(0, reader.GetInt32(2));
                Assert.Equal(expected - 1, reader.GetInt32(3));
            }
        }
        finally
        {
            await HostProcess.KillAsync(host);
        }
    }

    private async Task<string> CreatorAsync(HttpClient http)
    {
        const string email = "crash@cloneai.test";
        await http.PostAsJsonAsync("/api/auth/signup", new { email, password = LocalHostFixture.Password, displayName = "Crash", acceptTerms = true });
        var mail = Directory.GetFiles(Path.Combine(_data, "outbox"), "*.eml").Select(f => MimeMessage.Load(f)).Single();
        var token = System.Text.RegularExpressions.Regex.Match(mail.TextBody!, @"verify\?token=([A-Za-z0-9_\-]+)").Groups[1].Value;
        await http.PostAsJsonAsync("/api/auth/verify", new { token });
        var login = await (await http.PostAsJsonAsync("/api/auth/login", new { email, password = LocalHostFixture.Password })).Content.ReadFromJsonAsync<Tokens>();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/me/creator");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", login!.AccessToken);
        await http.SendAsync(request);
        return login.AccessToken;
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient http, string cloneId) =>
        (await http.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents?pageSize=50")).GetProperty("items").EnumerateArray().ToList();

    /// <summary>A few kilobytes of varied prose, so that each document takes a moment to embed.</summary>
    private static string Paper(int seed)
    {
        var random = new Random(seed);
        string[] words = ["virus", "cell", "protein", "immune", "response", "patients", "study", "infection", "sample", "analysis", "gene", "model", "risk", "treatment", "data"];
        var sb = new StringBuilder($"Paper {seed}\n\n");
        for (var p = 0; p < 30; p++)
        {
            for (var s = 0; s < 6; s++)
            {
                var sentence = string.Join(' ', Enumerable.Range(0, 12 + random.Next(10)).Select(_ => words[random.Next(words.Length)]));
                sb.Append(char.ToUpperInvariant(sentence[0])).Append(sentence[1..]).Append(". ");
            }
            sb.Append("\n\n");
        }
        return sb.ToString();
    }
}
