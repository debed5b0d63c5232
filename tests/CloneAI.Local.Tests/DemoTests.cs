using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

/// <summary>The demo clone that ./run seeds into a new data folder: a new user can chat with it at once.</summary>
public sealed class DemoTests
{
    private static async Task<(WebApplication App, HttpClient Http)> StartAsync(string data, bool demo)
    {
        var url = $"http://127.0.0.1:{LocalHostFixture.FreePort()}";
        var app = LocalHost.Build(["--data", data, "--urls", url, $"--Local:Demo={demo}"],
            b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }));
        await app.StartAsync();
        return (app, Contract.ContractClient.Create(new Uri(url)));
    }

    private static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static async Task<JsonElement[]> DemoClonesAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("/api/clones?q=Ada"))!.GetProperty("items").EnumerateArray()
            .Where(c => c.GetProperty("slug").GetString() == DemoSeeder.CloneSlug).ToArray();

    [Fact]
    public async Task ANewDataFolderGetsAPublishedDemoCloneThatAnswersFromItsDocumentsOnce()
    {
        var data = Path.Combine(Path.GetTempPath(), "cloneai-demo-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (app, http) = await StartAsync(data, demo: true);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && (await DemoClonesAsync(http)) is var found && found.Length == 0) await Task.Delay(200);
            var clone = Assert.Single(await DemoClonesAsync(http));
            Assert.Equal("published", clone.GetProperty("status").GetString());

            // A brand-new user asks; the seeded documents become ready within the test's patience.
            var email = $"newcomer-{Guid.NewGuid():N}@cloneai.test";
            (await http.PostAsJsonAsync("/api/auth/signup", new { email, password = LocalHostFixture.Password, displayName = "Newcomer", acceptTerms = true })).EnsureSuccessStatusCode();
            var mail = Directory.GetFiles(Path.Combine(data, "outbox"), "*.eml").Select(f => MimeKit.MimeMessage.Load(f))
                .Single(m => m.To.ToString().Contains(email, StringComparison.Ordinal));
            var link = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", @"/verify\?token=([A-Za-z0-9_\-%]+)");
            Assert.True(link.Success, "the verification email has a link");
            var raw = Uri.UnescapeDataString(link.Groups[1].Value);
            (await http.PostAsJsonAsync("/api/auth/verify", new { token = raw })).EnsureSuccessStatusCode();
            var login = await (await http.PostAsJsonAsync("/api/auth/login", new { email, password = LocalHostFixture.Password })).Content.ReadFromJsonAsync<JsonElement>();
            http.DefaultRequestHeaders.Authorization = new("Bearer", login.GetProperty("accessToken").GetString());
            // Every seeded document ingested, not just the first: an answer asked earlier could only quote the ready ones.
            var knowledge = app.Services.GetRequiredService<CloneAI.Core.Knowledge.KnowledgeService>();
            var cloneId = clone.GetProperty("id").GetString()!;
            var demoFiles = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "demo"), "*.md").Length;
            var ingested = DateTime.UtcNow.AddSeconds(120);
            while (DateTime.UtcNow < ingested && (await knowledge.GetStatsAsync(cloneId)).Stats.Ready < demoFiles) await Task.Delay(250);
            Assert.Equal(demoFiles, (await knowledge.GetStatsAsync(cloneId)).Stats.Ready);
            await Funding.FundSignedInAsync(app.Services, http); // the demo clone is paid per minute
            var session = await (await http.PostAsync($"/api/clones/{clone.GetProperty("id").GetString()}/sessions", null)).Content.ReadFromJsonAsync<JsonElement>();
            JsonElement answer = default;
            for (var attempt = 0; attempt < 60; attempt++)
            {
                answer = await (await http.PostAsJsonAsync($"/api/sessions/{session.GetProperty("id").GetString()}/messages",
                    new { content = "What causes spring tides?", clientMessageId = "demo-" + attempt })).Content.ReadFromJsonAsync<JsonElement>();
                if (answer.GetProperty("answerKind").GetString() != "dont-know") break;
                await Task.Delay(1000); // the documents are still being ingested
            }
            var content = answer.GetProperty("content").GetString()!;
            Assert.Contains("Moon", content, StringComparison.Ordinal);
            Assert.Contains("[1]", content, StringComparison.Ordinal);
            await StopAsync(app);

            // A restart does not seed again.
            (app, http) = await StartAsync(data, demo: true);
            await Task.Delay(500);
            Assert.Single(await DemoClonesAsync(http));
            await StopAsync(app);
        }
        finally
        {
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task NoDemoMeansNoDemoClone()
    {
        var data = Path.Combine(Path.GetTempPath(), "cloneai-nodemo-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (app, http) = await StartAsync(data, demo: false);
            await Task.Delay(500);
            Assert.Empty(await DemoClonesAsync(http));
            Assert.False(File.Exists(Path.Combine(data, DemoSeeder.Marker)));
            await StopAsync(app);
        }
        finally
        {
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }
}
