using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloneAI.Core.Accounts;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Privacy;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using CloneAI.Core.UserData;

namespace CloneAI.Local.Tests.Privacy;

/// <summary>
/// Your data (issue 15 part 5), on a host of the test's own: a user who wrote a unique phrase everywhere (a clone's description,
/// a document, a memory, a question in a paid session) exports their data, then deletes the account; afterwards not one byte
/// of the data folder (the SQLite file, its write-ahead log, blobs, outbox) holds their email, their id or the phrase.
/// </summary>
public sealed class YourDataTests
{
    public const string Password = "correct horse battery";

    /// <summary>A user with a password, made straight through the stores (a sign-up independent of the sign-up route's answers).</summary>
    internal static async Task<User> UserWithPasswordAsync(IServiceProvider services, string id, string email, bool creator = false)
    {
        var now = DateTimeOffset.UtcNow;
        var user = await services.GetRequiredService<CloneAI.Core.Users.IUserStore>().CreateAsync(new User
        {
            Id = id, Email = email, DisplayName = "Phrase writer", IsCreator = creator, EmailVerified = true,
            TermsVersion = Terms.CurrentVersion, TermsAcceptedAt = now, CreatedAt = now, UpdatedAt = now,
        });
        await services.GetRequiredService<IAccountStore>().CreateCredentialAsync(new Credential { UserId = id, PasswordHash = PasswordHashes.Hash(Password) });
        return user;
    }

    [Fact]
    public async Task DeletingAnAccountLeavesNoTraceOfItsEmailIdOrWordsInTheDataFolder()
    {
        await using var host = await OwnHost.StartAsync(new() { ["Chat:ExtractiveWordDelayMs"] = "0" });
        var unique = Guid.NewGuid().ToString("N");
        var phrase = $"Quillwort{unique[..12]} glimmers";
        var email = $"leaver-{unique}@cloneai.test";
        var userId = "leaver" + unique;
        var user = await UserWithPasswordAsync(host.Services, userId, email, creator: true);
        using var http = host.Client(user);

        // A clone of theirs whose description and document carry the phrase.
        var clones = host.Services.GetRequiredService<CloneService>();
        var caller = new Caller(user.Id, user.Email, user.DisplayName, false, true);
        var clone = await clones.CreateAsync(caller, new CloneInput(Name: "Leaver's clone", Category: "science", Description: "It knows " + phrase,
            Persona: new PersonaInput(Greeting: "Hi", Instructions: "Answer."), Pricing: new PricingInput(PerMessage: 5, Currency: "USD")));
        await clones.PublishAsync(caller, clone.Id);
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes($"# Notes\n\nThe {phrase} is what this document is about. It glimmers at dawn.\n")), "files", "notes.md" } })
            Assert.True((await http.PostAsync($"/api/clones/{clone.Id}/documents", form)).IsSuccessStatusCode);
        await WaitAsync(async () => (await http.GetFromJsonAsync<JsonElement>($"/api/clones/{clone.Id}/documents"))
            .GetProperty("items").EnumerateArray().All(d => d.GetProperty("status").GetString() == "ready"), "the document was not indexed");
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync("/api/me/avatar", Png())).StatusCode);
        // A clone they deleted themselves earlier still has its document on disk until the account goes.
        var old = await clones.CreateAsync(caller, new CloneInput(Name: "Old clone", Category: "science", Description: "Old " + phrase,
            Persona: new PersonaInput(Greeting: "Hi", Instructions: "Answer."), Pricing: new PricingInput(PerMessage: 5, Currency: "USD")));
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes($"Old notes on the {phrase}.")), "files", "old.txt" } })
            Assert.True((await http.PostAsync($"/api/clones/{old.Id}/documents", form)).IsSuccessStatusCode);
        await WaitAsync(async () => (await http.GetFromJsonAsync<JsonElement>($"/api/clones/{old.Id}/documents"))
            .GetProperty("items").EnumerateArray().All(d => d.GetProperty("status").GetString() == "ready"), "the old document was not indexed");
        await clones.DeleteAsync(caller, old.Id);

        // A memory, and a paid session with someone else's clone in which they wrote the phrase.
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/me/memories", new { kind = "preference", text = "I prefer answers about " + phrase })).StatusCode);
        var maker = await host.UserAsync("maker" + unique[..8], creator: true);
        var paid = await host.PublishedCloneAsync(maker, "Paid mentor", new PricingInput(PerMessage: 5, Currency: "USD"));
        await host.FundAsync(user);
        var started = await http.PostAsync($"/api/clones/{paid.Id}/sessions", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/sessions/{sessionId}/messages", new { content = $"Tell me about {phrase}, please.", clientMessageId = "q1" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/sessions/{sessionId}/rating", new { stars = 4, comment = "Fine on " + phrase })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/api/sessions/{sessionId}/end", null)).StatusCode);
        await WaitAsync(async () => (await http.GetAsync($"/api/sessions/{sessionId}/summary")).StatusCode == HttpStatusCode.OK, "no summary");

        // The export: asked twice while building, one export; its emailed link gives a zip of every section and the document.
        var first = await http.PostAsync("/api/me/export", null);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var exportId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await WaitAsync(async () => (await http.GetFromJsonAsync<JsonElement>("/api/me/exports")).GetProperty("items")[0].GetProperty("status").GetString() == "ready", "the export was not built");
        var token = await WaitForLinkAsync(host.DataDir, email, exportId);
        using var anonymous = new HttpClient { BaseAddress = new Uri(host.Url) };
        var zipBytes = await anonymous.GetByteArrayAsync($"/api/me/exports/{exportId}/download?token={token}");
        using (var zip = new ZipArchive(new MemoryStream(zipBytes)))
        {
            var names = zip.Entries.Select(e => e.FullName).ToList();
            foreach (var section in new[] { "profile.json", "clones.json", "sessions.json", "ratings.json", "memories.json", "summaries.json", "ledger.json" })
                Assert.Contains(section, names);
            Assert.Contains(names, n => n.StartsWith($"files/documents/{clone.Id}/", StringComparison.Ordinal) && n.EndsWith("-notes.md", StringComparison.Ordinal));
            Assert.Contains(email, Read(zip, "profile.json"));
            Assert.Contains(phrase, Read(zip, "sessions.json"));
            Assert.Contains(phrase, Read(zip, "memories.json"));
            Assert.Contains(phrase, Read(zip, "clones.json"));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/me/exports/{exportId}/download?token=wrong{token}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client(maker).GetAsync($"/api/me/exports/{exportId}/download?token={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/me/exports/{exportId}/download")).StatusCode);

        // The phrase is on disk before: the search below can find what it looks for.
        Assert.NotEmpty(Traces(host.DataDir, phrase, email, userId));

        // A wrong password deletes nothing; the right one deletes the account, and its token stops working at once.
        var wrong = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { password = "not my password" }) });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.True((await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("password", out _));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/me")).StatusCode);
        var deleted = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { password = Password }) });
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = Password })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/me/exports/{exportId}/download?token={token}")).StatusCode);
        // Remembered by a hash of the id (so an Entra token from before cannot bring the account back; see UserServiceTests).
        Assert.NotNull(await host.Services.GetRequiredService<CloneAI.Core.Users.IDeletedAccounts>().DeletedAtAsync(userId));
        // Deleting twice is safe: the erasers run again over nothing.
        Assert.Equal(0, await host.Services.GetRequiredService<AccountDeletion>().FinishPendingAsync());
        foreach (var eraser in host.Services.GetRequiredService<AccountDeletion>().Erasers) await eraser.EraseAsync(userId, AccountDeletion.NewPseudonym());

        // The money stays on the books under a pseudonym: the platform and the maker keep what the session paid.
        var ledger = host.Services.GetRequiredService<CloneAI.Core.Billing.ILedger>();
        Assert.True((await ledger.CheckAsync()).Balanced);
        Assert.NotEmpty(await ledger.TransactionsAsync(CloneAI.Core.Billing.LedgerAccounts.Earnings(maker.Id), 10));

        await CheckpointAsync(host.DataDir);
        var traces = Traces(host.DataDir, phrase, email, userId);
        Assert.True(traces.Count == 0, "Still in the data folder:\n" + string.Join("\n", traces));
    }

    [Fact]
    public async Task TheClonesOfADeletedCreatorShowAsDeletedInOtherUsersSessionsWhichStayTheirs()
    {
        await using var host = await OwnHost.StartAsync(new() { ["Chat:ExtractiveWordDelayMs"] = "0" });
        var unique = Guid.NewGuid().ToString("N");
        var creator = await UserWithPasswordAsync(host.Services, "creator" + unique, $"creator-{unique}@cloneai.test", creator: true);
        var clone = await host.PublishedCloneAsync(creator, "Soon gone " + unique[..6], new PricingInput(PerMessage: 5, Currency: "USD"));
        var learner = await host.UserAsync("learner" + unique[..8]);
        await host.FundAsync(learner);
        using var learnerHttp = host.Client(learner);
        var sessionId = (await (await learnerHttp.PostAsync($"/api/clones/{clone.Id}/sessions", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await learnerHttp.PostAsJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "My own question stays mine", clientMessageId = "q1" })).StatusCode);

        using var creatorHttp = host.Client(creator);
        var deleted = await creatorHttp.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { password = Password }) });
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var session = await learnerHttp.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}");
        Assert.Equal("Deleted clone", session.GetProperty("session").GetProperty("cloneName").GetString());
        Assert.Contains(session.GetProperty("messages").EnumerateArray(), m => m.GetProperty("content").GetString() == "My own question stays mine");
        Assert.Equal(HttpStatusCode.NotFound, (await learnerHttp.GetAsync($"/api/clones/{clone.Id}")).StatusCode);
        Assert.DoesNotContain(creator.Id, await File.ReadAllTextAsync(Path.Combine(host.DataDir, "cloneai.db"), Encoding.Latin1));
    }

    [Fact]
    public async Task TooManyWrongPasswordsAreThrottledWithRetryAfter()
    {
        await using var host = await OwnHost.StartAsync();
        var unique = Guid.NewGuid().ToString("N");
        var user = await UserWithPasswordAsync(host.Services, "guess" + unique, $"guess-{unique}@cloneai.test");
        using var http = host.Client(user);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { password = "guess " + i }) })).StatusCode);
        var throttled = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { password = Password }) });
        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.NotNull(throttled.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task AnExportIsAskedForOnceWhileItIsBeingBuilt()
    {
        await using var host = await OwnHost.StartAsync();
        var store = host.Services.GetRequiredService<IDataExportStore>();
        var userId = "exporter" + Guid.NewGuid().ToString("N");
        var (a, createdA) = await store.CreateUnlessBuildingAsync(new DataExport { Id = "a" + userId, UserId = userId, CreatedAt = DateTimeOffset.UtcNow });
        var (b, createdB) = await store.CreateUnlessBuildingAsync(new DataExport { Id = "b" + userId, UserId = userId, CreatedAt = DateTimeOffset.UtcNow });
        Assert.True(createdA);
        Assert.False(createdB);
        Assert.Equal(a.Id, b.Id);
        await store.ReplaceAsync(a with { Status = DataExportStatus.Ready });
        var (c, createdC) = await store.CreateUnlessBuildingAsync(new DataExport { Id = "c" + userId, UserId = userId, CreatedAt = DateTimeOffset.UtcNow });
        Assert.True(createdC);
        Assert.Equal("c" + userId, c.Id);
    }

    [Fact]
    public async Task GetTermsAndMeAgreeOnTheVersion()
    {
        await using var host = await OwnHost.StartAsync();
        var unique = Guid.NewGuid().ToString("N");
        var user = await UserWithPasswordAsync(host.Services, "terms" + unique, $"terms-{unique}@cloneai.test");
        using var http = host.Client(user);
        var terms = await http.GetFromJsonAsync<JsonElement>("/api/terms");
        var me = await http.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(Terms.CurrentVersion, terms.GetProperty("version").GetString());
        Assert.Equal(Terms.CurrentVersion, me.GetProperty("termsVersion").GetString());
        Assert.Equal(JsonValueKind.String, me.GetProperty("termsAcceptedAt").ValueKind);
    }

    /// <summary>Every file of the data folder (and every file or folder name) that holds any of the needles, byte for byte.</summary>
    internal static List<string> Traces(string dataDir, params string[] needles)
    {
        var found = new List<string>();
        var patterns = needles.SelectMany(n => new[] { Encoding.UTF8.GetBytes(n), Encoding.Unicode.GetBytes(n) }).ToList();
        foreach (var path in Directory.EnumerateFileSystemEntries(dataDir, "*", SearchOption.AllDirectories))
        {
            if (needles.Any(n => Path.GetRelativePath(dataDir, path).Contains(n, StringComparison.OrdinalIgnoreCase))) found.Add(path + " (name)");
            if (!File.Exists(path)) continue;
            byte[] bytes;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }
            foreach (var needle in patterns.Where(p => bytes.AsSpan().IndexOf(p) >= 0)) found.Add($"{path}: {Encoding.UTF8.GetString(needle)}");
        }
        return found;
    }

    /// <summary>Checkpoints the write-ahead log into the database file (what a reader of the folder would see at rest).</summary>
    internal static async Task CheckpointAsync(string dataDir)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(dataDir, "cloneai.db")};Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await command.ExecuteNonQueryAsync();
    }

    internal static async Task WaitAsync(Func<Task<bool>> done, string what)
    {
        for (var i = 0; i < 900; i++)
        {
            if (await done()) return;
            await Task.Delay(100);
        }
        Assert.Fail(what);
    }

    internal static async Task<string> WaitForLinkAsync(string dataDir, string email, string exportId)
    {
        for (var i = 0; i < 300; i++)
        {
            var outbox = Path.Combine(dataDir, "outbox");
            var mail = Directory.Exists(outbox)
                ? Directory.GetFiles(outbox, "*.eml").Select(f => MimeMessage.Load(f))
                    .FirstOrDefault(m => m.To.Mailboxes.Any(a => a.Address == email) && (m.TextBody ?? "").Contains(exportId, StringComparison.Ordinal))
                : null;
            if (mail is not null)
            {
                Assert.DoesNotContain("Phrase writer", mail.TextBody, StringComparison.Ordinal);
                return Regex.Match(mail.TextBody!, @"download\?token=([A-Za-z0-9_\-%]+)").Groups[1].Value;
            }
            await Task.Delay(100);
        }
        Assert.Fail("no export email");
        return "";
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static ByteArrayContent Png()
    {
        var content = new ByteArrayContent(TestImages.Png());
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return content;
    }
}
