using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloneAI.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

/// <summary>
/// The demo clone answers a new user's questions with only relevant sentences, and each citation's quotes are exactly the
/// quoted sentences of the document's text.
/// </summary>
public sealed partial class DemoAnswerTests
{
    [Fact]
    public async Task TheDemoCloneQuotesOnlyRelevantSentencesAndItsCitationsPointAtThemExactly()
    {
        var data = Path.Combine(Path.GetTempPath(), "cloneai-demo-answers-" + Guid.NewGuid().ToString("N"));
        var url = $"http://127.0.0.1:{LocalHostFixture.FreePort()}";
        var app = LocalHost.Build(["--data", data, "--urls", url, "--Local:Demo=true"],
            b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                ["Chat:ExtractiveWordDelayMs"] = "0",
            }));
        await app.StartAsync();
        try
        {
            var http = Contract.ContractClient.Create(new Uri(url));
            var cloneId = await DemoCloneReadyAsync(app, http);
            await SignUpAsync(http, data);
            await Funding.FundSignedInAsync(app.Services, http); // the demo clone is paid per minute

            async Task<(string Session, JsonElement Answer)> AskAsync(string question)
            {
                var session = await (await http.PostAsync($"/api/clones/{cloneId}/sessions", null)).Content.ReadFromJsonAsync<JsonElement>();
                var id = session.GetProperty("id").GetString()!;
                var key = Guid.NewGuid().ToString("N");
                var response = await http.PostAsJsonAsync($"/api/sessions/{id}/messages", new { content = question, clientMessageId = key });
                response.EnsureSuccessStatusCode();
                var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
                // A retry replays the stored answer: the same citations, passages included.
                var replay = await http.PostAsJsonAsync($"/api/sessions/{id}/messages", new { content = question, clientMessageId = key });
                replay.EnsureSuccessStatusCode();
                var replayed = await replay.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal(answer.GetProperty("citations").GetRawText(), replayed.GetProperty("citations").GetRawText());
                return (id, answer);
            }

            var (tidesSession, tides) = await AskAsync("How does the Moon cause the tides?");
            var tidesText = WithoutFraming(tides.GetProperty("content").GetString()!);
            Assert.StartsWith("Tides are caused mainly by the gravitational pull of the Moon.", tidesText, StringComparison.Ordinal);
            Assert.DoesNotContain("eye damage", tidesText, StringComparison.Ordinal);
            Assert.DoesNotContain("Venus", tidesText, StringComparison.Ordinal);
            await QuotesAreTheQuotedSentencesAsync(http, tidesSession, tides);

            var (planetsSession, planets) = await AskAsync("Which planets can I see with binoculars?");
            var planetsText = planets.GetProperty("content").GetString()!;
            Assert.Contains("Jupiter", planetsText, StringComparison.Ordinal);
            Assert.DoesNotContain("tide", planetsText, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("eye damage", planetsText, StringComparison.Ordinal);
            await QuotesAreTheQuotedSentencesAsync(http, planetsSession, planets);

            var (starsSession, stars) = await AskAsync("How are stars born?");
            var starsText = WithoutFraming(stars.GetProperty("content").GetString()!);
            Assert.StartsWith("Stars form inside cold, dense clouds of molecular hydrogen and dust called molecular clouds.", starsText, StringComparison.Ordinal);
            Assert.DoesNotContain("binoculars", starsText, StringComparison.Ordinal);
            Assert.DoesNotContain("tide", starsText, StringComparison.OrdinalIgnoreCase);
            await QuotesAreTheQuotedSentencesAsync(http, starsSession, stars);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }

    private static string WithoutFraming(string answer) => AnswerText.WithoutFraming(answer);

    /// <summary>
    /// Marks run 1..k in order of first use with one citation per document, and the quoted sentences of each [n] are exactly the
    /// document's text at that citation's quotes (wrapped lines joined).
    /// </summary>
    private static async Task QuotesAreTheQuotedSentencesAsync(HttpClient http, string sessionId, JsonElement answer)
    {
        var content = WithoutFraming(answer.GetProperty("content").GetString()!);
        var citations = answer.GetProperty("citations").EnumerateArray().ToList();
        var marks = Mark().Matches(content).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        Assert.Equal(Enumerable.Range(1, citations.Count), marks);
        Assert.Equal(citations.Count, citations.Select(c => c.GetProperty("documentId").GetString()).Distinct().Count());
        // The answer's sentences, each with its number.
        var quoted = Quoted().Matches(content).Select(m => (Text: m.Groups[1].Value.Trim(), N: int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        foreach (var c in citations)
        {
            var n = c.GetProperty("n").GetInt32();
            var documentId = c.GetProperty("documentId").GetString()!;
            var quotes = c.GetProperty("quotes").EnumerateArray().Select(q => (Start: q.GetProperty("start").GetInt32(), End: q.GetProperty("end").GetInt32())).ToList();
            Assert.NotEmpty(quotes);
            Assert.Equal(quotes.Min(q => q.Start), c.GetProperty("start").GetInt32());
            Assert.Equal(quotes.Max(q => q.End), c.GetProperty("end").GetInt32());
            // The passages the quotes came from: retrieved chunks of the document, each quote inside one of them.
            var passages = c.GetProperty("passages").EnumerateArray().Select(p => (Start: p.GetProperty("start").GetInt32(), End: p.GetProperty("end").GetInt32())).ToList();
            Assert.NotEmpty(passages);
            Assert.All(passages, p => Assert.True(p.Start < p.End, $"passage {p}"));
            Assert.All(quotes, q => Assert.Contains(passages, p => p.Start <= q.Start && q.End <= p.End));
            var texts = new List<string>();
            foreach (var (start, end) in quotes)
            {
                var slice = await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}/sources/{documentId}/text?start={start}&end={end}");
                Assert.Equal((start, end), (slice.GetProperty("start").GetInt32(), slice.GetProperty("end").GetInt32()));
                texts.Add(OneLine(slice.GetProperty("text").GetString()!));
            }
            Assert.Equal(quoted.Where(q => q.N == n).Select(q => q.Text).OrderBy(t => t, StringComparer.Ordinal), texts.OrderBy(t => t, StringComparer.Ordinal));
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static async Task<string> DemoCloneReadyAsync(WebApplication app, HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement[] found = [];
        while (DateTime.UtcNow < deadline)
        {
            found = (await http.GetFromJsonAsync<JsonElement>("/api/clones?q=Ada"))!.GetProperty("items").EnumerateArray()
                .Where(c => c.GetProperty("slug").GetString() == DemoSeeder.CloneSlug).ToArray();
            if (found.Length > 0) break;
            await Task.Delay(200);
        }
        var cloneId = Assert.Single(found).GetProperty("id").GetString()!;
        var knowledge = app.Services.GetRequiredService<CloneAI.Core.Knowledge.KnowledgeService>();
        var demoFiles = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "demo"), "*.md").Length;
        var ingested = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < ingested && (await knowledge.GetStatsAsync(cloneId)).Stats.Ready < demoFiles) await Task.Delay(250);
        Assert.Equal(demoFiles, (await knowledge.GetStatsAsync(cloneId)).Stats.Ready);
        return cloneId;
    }

    private static async Task SignUpAsync(HttpClient http, string data)
    {
        var email = $"newcomer-{Guid.NewGuid():N}@cloneai.test";
        (await http.PostAsJsonAsync("/api/auth/signup", new { email, password = LocalHostFixture.Password, displayName = "Newcomer", acceptTerms = true })).EnsureSuccessStatusCode();
        var mail = Directory.GetFiles(Path.Combine(data, "outbox"), "*.eml").Select(f => MimeKit.MimeMessage.Load(f))
            .Single(m => m.To.ToString().Contains(email, StringComparison.Ordinal));
        var link = Regex.Match(mail.TextBody ?? "", @"/verify\?token=([A-Za-z0-9_\-%]+)");
        (await http.PostAsJsonAsync("/api/auth/verify", new { token = Uri.UnescapeDataString(link.Groups[1].Value) })).EnsureSuccessStatusCode();
        var login = await (await http.PostAsJsonAsync("/api/auth/login", new { email, password = LocalHostFixture.Password })).Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", login.GetProperty("accessToken").GetString());
    }

    [GeneratedRegex(@"\[(\d{1,2})\]")]
    private static partial Regex Mark();

    /// <summary>A quoted sentence (one or more sentences up to its mark) and its mark.</summary>
    [GeneratedRegex(@"\s*([^\[\]]+?)\s*\[(\d{1,2})\]")]
    private static partial Regex Quoted();
}
