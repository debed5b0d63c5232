using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CloneAI.Core.Blobs;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Users;
using CloneAI.Local.Backup;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests.Backup;

/// <summary>
/// Issue 15 part 6, the local restore drill: write data, back up while the host runs, write more, stop, restore, start, and
/// find exactly the first state (blob bytes included); a damaged archive and a running host are refused, changing nothing.
/// </summary>
public sealed class BackupDrillTests : IDisposable
{
    private static readonly Dictionary<string, string?> Settings = new() { ["Chat:ExtractiveWordDelayMs"] = "0" };
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloneai-drill-" + Guid.NewGuid().ToString("N"));
    private string Data => Path.Combine(_root, "data");
    private string Archive => Path.Combine(_root, "backups", "first.zip");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    private sealed record State(User Creator, User Buyer, Clone CloneRecord, KnowledgeDocument Document, byte[] DocumentBytes, string SessionId);

    private static async Task<State> WriteAsync(OwnHost host, string tag)
    {
        var creator = await host.UserAsync("creator-" + tag, creator: true);
        var buyer = await host.UserAsync("buyer-" + tag);
        await host.FundAsync(buyer);
        var clone = await host.PublishedCloneAsync(creator, "Drill " + tag, new PricingInput(PerMinute: 1, Currency: "USD"));
        using var owner = host.Client(creator);
        var bytes = Encoding.UTF8.GetBytes($"Notes {tag}: basalt cools quickly into fine crystals; granite cools slowly underground. " + Guid.NewGuid());
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "files", $"rocks-{tag}.txt" } };
        var upload = await owner.PostAsync($"/api/clones/{clone.Id}/documents", form);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var docId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0].GetProperty("id").GetString()!;
        var documents = host.Services.GetRequiredService<IDocumentStore>();
        for (var i = 0; i < 300 && !(await documents.GetAsync(clone.Id, docId))!.IsFinished; i++) await Task.Delay(100);
        var document = (await documents.GetAsync(clone.Id, docId))!;
        Assert.Equal(DocumentStatus.Ready, document.Status);

        using var http = host.Client(buyer);
        var started = await http.PostAsync($"/api/clones/{clone.Id}/sessions", null);
        var sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "How does basalt cool?", clientMessageId = "q1" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/sessions/{sessionId}/rating", new { stars = 4 })).StatusCode);
        return new State(creator, buyer, (await host.Services.GetRequiredService<ICloneStore>().GetAsync(clone.Id))!, document, bytes, sessionId);
    }

    [Fact]
    public async Task ABackupTakenWhileTheHostRunsRestoresExactlyTheFirstState()
    {
        State first, later;
        await using (var host = await OwnHost.StartAsync(Settings, dataDir: Data))
        {
            first = await WriteAsync(host, "first");

            // Backed up by the command ./run backup runs, while the host is up.
            var output = new StringWriter();
            Assert.Equal(0, await BackupCommand.RunAsync(["backup", "--to", Archive, "--data", Data], output, output));
            Assert.Contains("Backed up", output.ToString(), StringComparison.Ordinal);

            later = await WriteAsync(host, "later");
            // Changes to the first state after the backup: the clone renamed, its document deleted (blob and all), the user renamed.
            var creator = new Caller(first.Creator.Id, first.Creator.Email, first.Creator.DisplayName, false, true);
            await host.Services.GetRequiredService<CloneService>().UpdateAsync(creator, first.CloneRecord.Id, new CloneInput(Name: "Renamed after the backup"));
            await host.Services.GetRequiredService<KnowledgeService>().DeleteAsync(first.CloneRecord.Id, first.Document.Id);
            var users = host.Services.GetRequiredService<IUserStore>();
            await users.ReplaceAsync((await users.GetAsync(first.Buyer.Id))! with { DisplayName = "Renamed buyer" });

            // A restore under a running host is refused, and changes nothing.
            var refused = new StringWriter();
            Assert.Equal(1, await BackupCommand.RunAsync(["restore", "--from", Archive, "--data", Data], refused, refused));
            Assert.Contains("host is using", refused.ToString(), StringComparison.Ordinal);
            Assert.NotNull(await host.Services.GetRequiredService<ICloneStore>().GetAsync(later.CloneRecord.Id));
        }

        var restoreOutput = new StringWriter();
        Assert.Equal(0, await BackupCommand.RunAsync(["restore", "--from", Archive, "--data", Data], restoreOutput, restoreOutput));
        var kept = Directory.GetDirectories(_root, "data.before-restore-*").Single();
        Assert.Contains(kept, restoreOutput.ToString(), StringComparison.Ordinal);

        await using (var host = await OwnHost.StartAsync(Settings, dataDir: Data))
        {
            var users = host.Services.GetRequiredService<IUserStore>();
            var clones = host.Services.GetRequiredService<ICloneStore>();
            var documents = host.Services.GetRequiredService<IDocumentStore>();
            var sessions = host.Services.GetRequiredService<ISessionStore>();
            var blobs = host.Services.GetRequiredService<IBlobStore>();

            // Everything of the first state, as it was.
            Assert.Equal(first.Buyer.DisplayName, (await users.GetAsync(first.Buyer.Id))!.DisplayName);
            Assert.NotNull(await users.GetAsync(first.Creator.Id));
            var clone = (await clones.GetAsync(first.CloneRecord.Id))!;
            Assert.Equal(first.CloneRecord.Name, clone.Name);
            Assert.Equal(first.CloneRecord.RatingCount, clone.RatingCount);
            var document = (await documents.GetAsync(first.CloneRecord.Id, first.Document.Id))!;
            Assert.Equal(DocumentStatus.Ready, document.Status);
            Assert.Equal(first.DocumentBytes, (await blobs.GetAsync(document.BlobPath))!.Data);
            var session = (await sessions.GetAsync(first.SessionId))!;
            Assert.Equal(4, session.Rating);
            Assert.Equal(1, session.MessageCount);
            Assert.True((await sessions.GetMessagesAsync(first.SessionId)).Count >= 2);
            // The restored knowledge answers: the first document's text is searchable again.
            using var owner = host.Client(first.Creator);
            var hits = await owner.GetFromJsonAsync<JsonElement>($"/api/clones/{first.CloneRecord.Id}/knowledge/search?q=basalt&mode=keyword");
            Assert.NotEqual(0, hits.GetProperty("items").GetArrayLength());

            // Nothing of the later writes.
            Assert.Null(await users.GetAsync(later.Buyer.Id));
            Assert.Null(await users.GetAsync(later.Creator.Id));
            Assert.Null(await clones.GetAsync(later.CloneRecord.Id));
            Assert.Null(await documents.GetAsync(later.CloneRecord.Id, later.Document.Id));
            Assert.Null(await blobs.GetAsync(later.Document.BlobPath));
            Assert.Null(await sessions.GetAsync(later.SessionId));
        }
    }

    [Fact]
    public async Task ABackupTakenDuringWritesRestoresAConsistentState()
    {
        string restoredCheck;
        await using (var host = await OwnHost.StartAsync(Settings, dataDir: Data))
        {
            var creator = await host.UserAsync("busy-creator", creator: true);
            var caller = new Caller(creator.Id, creator.Email, creator.DisplayName, false, true);
            var clones = host.Services.GetRequiredService<CloneService>();
            var knowledge = host.Services.GetRequiredService<KnowledgeService>();
            var clone = await clones.CreateAsync(caller, new CloneInput(Name: "Busy", Category: "science"));
            var ready = await knowledge.AddOneAsync(clone, creator.Id, "first.txt", DocumentKinds.Txt, Encoding.UTF8.GetBytes("Pumice floats because of its trapped gas."), [], null);
            var documentStore = host.Services.GetRequiredService<IDocumentStore>();
            for (var i = 0; i < 300 && !(await documentStore.GetAsync(clone.Id, ready.Document.Id))!.IsFinished; i++) await Task.Delay(100);
            using var stop = new CancellationTokenSource();
            // Writers: clones, users and documents (record, then file, then ingestion) all the while the backup runs.
            var writer = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    await clones.CreateAsync(caller, new CloneInput(Name: $"Busy {i}", Category: "science"));
                    await host.UserAsync($"busy-user-{i}");
                    var text = Encoding.UTF8.GetBytes($"Note {i}: obsidian is volcanic glass that cools too fast for crystals. " + Guid.NewGuid());
                    await knowledge.AddOneAsync(clone, creator.Id, $"note-{i}.txt", DocumentKinds.Txt, text, [], null);
                    await Task.Delay(5);
                }
            });
            await Task.Delay(300);
            Assert.Equal(0, await BackupCommand.RunAsync(["backup", "--to", Archive, "--data", Data], TextWriter.Null, TextWriter.Null));
            await stop.CancelAsync();
            await writer;
            restoredCheck = clone.Id;
        }

        var restored = Path.Combine(_root, "restored");
        Assert.Equal(0, await BackupCommand.RunAsync(["restore", "--from", Archive, "--data", restored], TextWriter.Null, TextWriter.Null));
        await using (var host = await OwnHost.StartAsync(Settings, dataDir: restored))
        {
            var documents = host.Services.GetRequiredService<IDocumentStore>();
            var blobs = host.Services.GetRequiredService<IBlobStore>();
            var page = await documents.ListAsync(restoredCheck, new DocumentFilter(PageSize: 100));
            Assert.NotEmpty(page.Items);
            // Every document that was ready in the snapshot has its file and its extracted text.
            foreach (var document in page.Items.Where(d => d.Status == DocumentStatus.Ready))
            {
                Assert.NotNull(await blobs.GetAsync(document.BlobPath));
                Assert.NotNull(await blobs.GetAsync(WorkFiles.Extracted(document.CloneId, document.Id)));
            }
            Assert.Contains(page.Items, d => d.Status == DocumentStatus.Ready);
        }
    }

    [Fact]
    public async Task ADamagedArchiveIsRefusedAndTheDataFolderIsUntouched()
    {
        State state;
        await using (var host = await OwnHost.StartAsync(Settings, dataDir: Data))
        {
            state = await WriteAsync(host, "only");
            Assert.Equal(0, await BackupCommand.RunAsync(["backup", "--to", Archive, "--data", Data], TextWriter.Null, TextWriter.Null));
        }

        // One file's bytes changed inside an otherwise well-formed archive: its checksum no longer matches.
        var tampered = Path.Combine(_root, "backups", "tampered.zip");
        File.Copy(Archive, tampered);
        using (var zip = ZipFile.Open(tampered, ZipArchiveMode.Update))
        {
            var blob = zip.Entries.First(e => e.FullName.StartsWith("data/blobs/", StringComparison.Ordinal) && e.FullName.EndsWith(".txt", StringComparison.Ordinal));
            var name = blob.FullName;
            blob.Delete();
            await using var stream = zip.CreateEntry(name).Open();
            await stream.WriteAsync(Encoding.UTF8.GetBytes("replaced"));
        }
        // And a truncated one.
        var truncated = Path.Combine(_root, "backups", "truncated.zip");
        var bytes = await File.ReadAllBytesAsync(Archive);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);

        foreach (var damaged in new[] { tampered, truncated })
        {
            var error = new StringWriter();
            Assert.Equal(1, await BackupCommand.RunAsync(["restore", "--from", damaged, "--data", Data], error, error));
            Assert.Contains("damaged", error.ToString(), StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(["data"], Directory.GetDirectories(_root).Select(Path.GetFileName).Where(n => n!.StartsWith("data", StringComparison.Ordinal)));

        await using (var host = await OwnHost.StartAsync(Settings, dataDir: Data))
            Assert.NotNull(await host.Services.GetRequiredService<ICloneStore>().GetAsync(state.CloneRecord.Id));
    }

    [Fact]
    public async Task TheCommandsExplainTheirArguments()
    {
        var error = new StringWriter();
        Assert.Equal(2, await BackupCommand.RunAsync(["backup"], TextWriter.Null, error));
        Assert.Contains("--to FILE", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, await BackupCommand.RunAsync(["restore", "--to", "x.zip"], TextWriter.Null, TextWriter.Null));
        Assert.Equal(1, await BackupCommand.RunAsync(["backup", "--to", Archive, "--data", Path.Combine(_root, "nothing-here")], TextWriter.Null, TextWriter.Null));
    }
}
