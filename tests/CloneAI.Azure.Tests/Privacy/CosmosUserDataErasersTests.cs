using System.Text.Json.Nodes;
using CloneAI.Azure.Cosmos;
using CloneAI.Azure.Privacy;
using CloneAI.Azure.UserData;
using CloneAI.Azure.Users;
using CloneAI.Azure.Tests.Cosmos;
using CloneAI.Core.Blobs;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Privacy;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;
using CloneAI.Core.UserData;

namespace CloneAI.Azure.Tests.Privacy;

/// <summary>
/// The Azure side of "delete my account": the Cosmos erasers run over in-memory containers (with Cosmos's semantics) that hold
/// a user's email, id and a phrase they wrote in every kind of document, with a search index and blob store fake through their
/// ports; afterwards no container, index entry or blob holds any of the three, and the kept money names the pseudonym.
/// </summary>
public sealed class CosmosUserDataErasersTests
{
    private const string User = "u-leaver-7f3a";
    private const string Email = "leaver-7f3a@cloneai.test";
    private const string Phrase = "Quillwort7f3a glimmers";
    private const string Other = "u-learner-91c2";

    private readonly Dictionary<string, InMemoryContainer> _containers = new()
    {
        [AzureNames.UsersContainer] = new("id", typeof(JsonObject), typeof(CloneAI.Core.Domain.User), typeof(CloneAI.Azure.Accounts.AccountEmailJobDocument)),
        [AzureNames.ClonesContainer] = new("id", typeof(JsonObject), typeof(Clone)),
        [AzureNames.SlugsContainer] = new("id", typeof(JsonObject)),
        [AzureNames.DocumentsContainer] = new("cloneId", typeof(JsonObject)),
        [AzureNames.SessionsContainer] = new("sessionId", typeof(JsonObject)),
        [AzureNames.LedgerContainer] = new("account", typeof(JsonObject)),
        [AzureNames.TopUpsContainer] = new("userId", typeof(JsonObject)),
        [AzureNames.PayoutsContainer] = new("creatorId", typeof(JsonObject)),
        [AzureNames.BillingContainer] = new("id", typeof(JsonObject)),
        [AzureNames.MemoriesContainer] = new("userId", typeof(JsonObject)),
        [AzureNames.SummariesContainer] = new("userId", typeof(JsonObject)),
        [AzureNames.PrivacyContainer] = new("userId", typeof(JsonObject), typeof(ExportItem), typeof(ExportLockItem), typeof(DeletionItem), typeof(DeletedAccountItem)),
        [AzureNames.AuditContainer] = new("shard", typeof(JsonObject)),
        [AzureNames.ReportsContainer] = new("cloneId", typeof(JsonObject)),
        [AzureNames.VerificationsContainer] = new("userId", typeof(JsonObject)),
        [AzureNames.LimitsContainer] = new("id", typeof(JsonObject)),
    };

    private readonly FakeIndex _index = new();
    private readonly FakeBlobs _blobs = new();

    private CosmosContainers Cosmos()
    {
        var client = new Mock<CosmosClient>();
        client.Setup(c => c.GetDatabase(It.IsAny<string>())).Returns(Mock.Of<Database>());
        client.Setup(c => c.GetContainer(It.IsAny<string>(), It.IsAny<string>())).Returns((string _, string name) => _containers[name].Object);
        return new CosmosContainers(client.Object, Options.Create(new CosmosOptions { Database = AzureNames.CosmosDatabase, Endpoint = new Uri("https://x.documents.azure.com:443/") }));
    }

    private async Task PutAsync(string container, string json) =>
        await _containers[container].Object.CreateItemAsync(JsonNode.Parse(json)!.AsObject());

    private async Task SeedAsync()
    {
        await PutAsync(AzureNames.UsersContainer, $$$"""{"id":"{{{User}}}","email":"{{{Email}}}","displayName":"Leaver","bio":"I wrote {{{Phrase}}}"}""");
        await PutAsync(AzureNames.UsersContainer, $$$"""{"id":"{{{Users.CosmosUserStore.EmailReservationId(Email)}}}","ownerId":"{{{User}}}"}""");
        await PutAsync(AzureNames.UsersContainer, $$$"""{"id":"{{{Other}}}","email":"learner@cloneai.test","displayName":"Learner"}""");
        // A password reset still queued for the user's address.
        await PutAsync(AzureNames.UsersContainer, $$$"""{"id":"account-email|j-leaver","type":"account-email-job","kind":"password-reset","address":"{{{Email}}}","createdAt":1,"attempts":0,"dueAt":1}""");
        foreach (var (clone, status) in new[] { ("c-live", "published"), ("c-gone", "deleted") })
        {
            await PutAsync(AzureNames.ClonesContainer, $$$"""{"id":"{{{clone}}}","slug":"{{{clone}}}-slug","ownerId":"{{{User}}}","name":"Clone of {{{Phrase}}}","description":"{{{Phrase}}}","category":"science","status":"{{{status}}}","ownerName":"Leaver","avatarBlob":"avatars/clones/{{{clone}}}.png"}""");
            await PutAsync(AzureNames.SlugsContainer, $$$"""{"id":"{{{clone}}}-slug","ownerId":"{{{clone}}}"}""");
            await PutAsync(AzureNames.DocumentsContainer, $$$"""{"id":"d-{{{clone}}}","cloneId":"{{{clone}}}","ownerId":"{{{User}}}","blobPath":"knowledge/{{{clone}}}/d-{{{clone}}}/notes.md","summary":"{{{Phrase}}}"}""");
            await _blobs.PutAsync($"knowledge/{clone}/d-{clone}/notes.md", System.Text.Encoding.UTF8.GetBytes(Phrase), "text/markdown");
            await _blobs.PutAsync($"extracted/{clone}/d-{clone}/text.json", System.Text.Encoding.UTF8.GetBytes(Phrase), "application/json");
            await _blobs.PutAsync($"avatars/clones/{clone}.png", [1, 2, 3], "image/png");
            _index.Add(clone, $"d-{clone}", Phrase);
        }
        // The user's own paid session with someone else's clone, and another user's session with the user's clone.
        await PutAsync(AzureNames.SessionsContainer, $$$"""{"id":"s-own","sessionId":"s-own","type":"session","userId":"{{{User}}}","cloneId":"c-maker","session":{"userId":"{{{User}}}","cloneName":"Maker"}}""");
        await PutAsync(AzureNames.SessionsContainer, $$$"""{"id":"m-own","sessionId":"s-own","type":"message","message":{"content":"Tell me about {{{Phrase}}}"}}""");
        await PutAsync(AzureNames.SessionsContainer, $$$"""{"id":"s-own:minute:1","sessionId":"s-own","type":"usage","cloneId":"c-maker","usage":{"userId":"{{{User}}}","ownerId":"u-maker","amount":5}}""");
        await PutAsync(AzureNames.SessionsContainer, $$$"""{"id":"s-other","sessionId":"s-other","type":"session","userId":"{{{Other}}}","cloneId":"c-live","session":{"userId":"{{{Other}}}","ownerId":"{{{User}}}","cloneName":"Clone of {{{Phrase}}}","cloneSlug":"c-live-slug"}}""");
        await PutAsync(AzureNames.SessionsContainer, $$$"""{"id":"m-other","sessionId":"s-other","type":"message","message":{"content":"The learner's own words"}}""");
        await PutAsync(AzureNames.SessionsContainer, $$$"""{"id":"s-other:minute:1","sessionId":"s-other","type":"usage","cloneId":"c-live","usage":{"userId":"{{{Other}}}","ownerId":"{{{User}}}","amount":5}}""");
        await PutAsync(AzureNames.MemoriesContainer, $$$"""{"id":"mem1","userId":"{{{User}}}","type":"memory","item":{"text":"I prefer {{{Phrase}}}"}}""");
        await PutAsync(AzureNames.MemoriesContainer, $$$"""{"id":"prefs|c-maker","userId":"{{{User}}}","type":"clone-preferences"}""");
        await PutAsync(AzureNames.SummariesContainer, $$$"""{"id":"s-own","userId":"{{{User}}}","type":"summary","summary":{"summary":"About {{{Phrase}}}"}}""");
        await PutAsync(AzureNames.LedgerContainer, $$$"""{"id":"e1","account":"wallet:{{{User}}}","kind":"entry","amount":-5,"transaction":{"entries":[{"account":"wallet:{{{User}}}","amount":-5},{"account":"earnings:u-maker","amount":5}]}}""");
        await PutAsync(AzureNames.LedgerContainer, $$$"""{"id":"e2","account":"earnings:u-maker","kind":"entry","amount":5,"transaction":{"entries":[{"account":"wallet:{{{User}}}","amount":-5},{"account":"earnings:u-maker","amount":5}]}}""");
        await PutAsync(AzureNames.LedgerContainer, $$$"""{"id":"balance","account":"wallet:{{{User}}}","kind":"balance","balance":995}""");
        await PutAsync(AzureNames.TopUpsContainer, $$$"""{"id":"t1","userId":"{{{User}}}","type":"topup","topUp":{"userId":"{{{User}}}","amount":1000}}""");
        await PutAsync(AzureNames.PayoutsContainer, $$$"""{"id":"p1","creatorId":"{{{User}}}","type":"payout","payout":{"creatorId":"{{{User}}}","amount":5}}""");
        await PutAsync(AzureNames.PayoutsContainer, $$$"""{"id":"account","creatorId":"{{{User}}}","type":"payout-account","account":{"stripeAccountId":"acct_leaver"}}""");
        await PutAsync(AzureNames.BillingContainer, $$$"""{"id":"usage|s-own:minute:1","event":{"external_customer_id":"{{{User}}}"}}""");
    }

    private List<string> Traces(params string[] needles)
    {
        var found = new List<string>();
        foreach (var (name, container) in _containers)
            foreach (var doc in container.Documents())
                found.AddRange(needles.Where(n => doc.ToJsonString().Contains(n, StringComparison.OrdinalIgnoreCase)).Select(n => $"{name}: {n} in {doc.ToJsonString()}"));
        found.AddRange(_index.Texts().SelectMany(t => needles.Where(n => t.Contains(n, StringComparison.Ordinal)).Select(n => $"index: {n}")));
        found.AddRange(_blobs.All().SelectMany(b => needles.Where(n => b.Path.Contains(n, StringComparison.Ordinal) || System.Text.Encoding.UTF8.GetString(b.Data).Contains(n, StringComparison.Ordinal))
            .Select(n => $"blob {b.Path}: {n}")));
        return found;
    }

    [Fact]
    public async Task AfterTheErasersNoContainerIndexOrBlobHoldsTheUsersEmailIdOrWords()
    {
        await SeedAsync();
        Assert.NotEmpty(Traces(Email, User, Phrase));
        var cosmos = Cosmos();
        var time = TimeProvider.System;
        IUserDataEraser[] erasers =
        [
            new DataExportEraser(new CosmosDataExportStore(cosmos.Privacy), _blobs),
            new CloneAI.Core.Accounts.AccountEmailJobsEraser(new CosmosUserStore(cosmos.Users), new CloneAI.Azure.Accounts.CosmosAccountEmailJobs(cosmos.Users)),
            new CosmosSessionDataEraser(cosmos), new CosmosCloneEraser(cosmos, _index, _blobs, time), new CosmosLedgerPseudonymiser(cosmos), new CosmosAccountEraser(cosmos),
        ];
        const string pseudonym = "deleted-0123456789abcdef";
        foreach (var eraser in erasers.OrderBy(e => e.Order)) await eraser.EraseAsync(User, pseudonym);

        Assert.Empty(Traces(Email, User, Phrase));

        // What stays: the money under the pseudonym, the other user's account and their own conversation, with the clone
        // shown as deleted.
        var ledger = _containers[AzureNames.LedgerContainer].Documents();
        Assert.Contains(ledger, d => (string?)d["account"] == $"wallet:{pseudonym}" && (string?)d["kind"] == "balance");
        Assert.Contains(ledger, d => (string?)d["account"] == "earnings:u-maker");
        Assert.Contains(_containers[AzureNames.TopUpsContainer].Documents(), d => (string?)d["userId"] == pseudonym);
        Assert.DoesNotContain(_containers[AzureNames.PayoutsContainer].Documents(), d => (string?)d["type"] == "payout-account");
        var sessions = _containers[AzureNames.SessionsContainer].Documents();
        Assert.Contains(sessions, d => (string?)d["id"] == "m-other");
        Assert.Equal("Deleted clone", (string?)sessions.Single(d => (string?)d["id"] == "s-other")["session"]!["cloneName"]);
        Assert.DoesNotContain(sessions, d => (string?)d["id"] is "m-own" or "s-own");
        Assert.Contains(sessions, d => (string?)d["id"] == "s-own:minute:1");
        var clones = _containers[AzureNames.ClonesContainer].Documents();
        var tombstone = Assert.Single(clones);
        Assert.Equal("c-live", (string?)tombstone["id"]);
        Assert.Equal("deleted", (string?)tombstone["status"]);
        Assert.Single(_containers[AzureNames.UsersContainer].Documents());

        // Deleting twice is safe.
        foreach (var eraser in erasers.OrderBy(e => e.Order)) await eraser.EraseAsync(User, pseudonym);
        Assert.Empty(Traces(Email, User, Phrase));
    }

    [Fact]
    public async Task AnExportIsBuiltOncePerUserAtATimeAndAMarkerOncePerDeletion()
    {
        var cosmos = Cosmos();
        var exports = new CosmosDataExportStore(cosmos.Privacy);
        var (a, createdA) = await exports.CreateUnlessBuildingAsync(new DataExport { Id = "e1", UserId = User, CreatedAt = DateTimeOffset.UtcNow });
        var (b, createdB) = await exports.CreateUnlessBuildingAsync(new DataExport { Id = "e2", UserId = User, CreatedAt = DateTimeOffset.UtcNow });
        Assert.True(createdA);
        Assert.False(createdB);
        Assert.Equal("e1", b.Id);
        Assert.Equal(["e1"], (await exports.ListUnfinishedAsync()).Select(e => e.Id));
        await exports.ReplaceAsync(a with { Status = DataExportStatus.Ready, EmailedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddHours(-1) });
        Assert.Empty(await exports.ListUnfinishedAsync());
        Assert.Equal(["e1"], (await exports.ListExpiredAsync(DateTimeOffset.UtcNow)).Select(e => e.Id));
        var (c, createdC) = await exports.CreateUnlessBuildingAsync(new DataExport { Id = "e3", UserId = User, CreatedAt = DateTimeOffset.UtcNow });
        Assert.True(createdC);
        Assert.Equal("e3", c.Id);
        Assert.Equal("e3", (await exports.FindAsync("e3"))!.Id);

        var markers = new CosmosAccountDeletionStore(cosmos.Privacy);
        var first = await markers.RecordAsync(new AccountDeletionMarker(User, "deleted-1", DateTimeOffset.UtcNow));
        var second = await markers.RecordAsync(new AccountDeletionMarker(User, "deleted-2", DateTimeOffset.UtcNow));
        Assert.Equal("deleted-1", second.Pseudonym);
        Assert.Equal([User], (await markers.ListPendingAsync()).Select(m => m.UserId));
        await markers.CompleteAsync(User);
        Assert.Empty(await markers.ListPendingAsync());
        Assert.Equal("deleted-1", first.Pseudonym);
    }

    [Fact]
    public async Task ADeletedAccountIsRememberedByAHashOfItsIdWithTheLatestTime()
    {
        var deleted = new CosmosDeletedAccounts(Cosmos().Privacy);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_765_000_000_000);
        Assert.Null(await deleted.DeletedAtAsync(User));

        await deleted.RememberAsync(User, at);
        await deleted.RememberAsync(User, at.AddMinutes(-10)); // an older time does not move it back
        Assert.Equal(at, await deleted.DeletedAtAsync(User));
        await deleted.RememberAsync(User, at.AddMinutes(10));
        Assert.Equal(at.AddMinutes(10), await deleted.DeletedAtAsync(User));
        Assert.Null(await deleted.DeletedAtAsync(Other));
        Assert.Empty(Traces(Email, User, Phrase));
    }

    private sealed class FakeIndex : IKnowledgeIndex
    {
        private readonly List<(string Clone, string Document, string Text)> _chunks = [];
        public void Add(string clone, string document, string text) => _chunks.Add((clone, document, text));
        public IEnumerable<string> Texts() => _chunks.Select(c => c.Text + " " + c.Clone + " " + c.Document);
        public Task UpsertDocumentAsync(string cloneId, string documentId, EmbeddingModelInfo model, IReadOnlyList<IndexedChunk> chunks, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task DeleteDocumentAsync(string cloneId, string documentId, CancellationToken cancellationToken = default)
        {
            _chunks.RemoveAll(c => c.Clone == cloneId && c.Document == documentId);
            return Task.CompletedTask;
        }
        public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<EmbeddingModelInfo>> GetModelsAsync(string cloneId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    private sealed class FakeBlobs : IBlobStore
    {
        private readonly Dictionary<string, byte[]> _blobs = [];
        public IEnumerable<(string Path, byte[] Data)> All() => _blobs.Select(b => (b.Key, b.Value));
        public Task PutAsync(string path, byte[] data, string contentType, CancellationToken cancellationToken = default) { _blobs[path] = data; return Task.CompletedTask; }
        public Task<BlobContent?> GetAsync(string path, CancellationToken cancellationToken = default) => Task.FromResult(_blobs.TryGetValue(path, out var d) ? new BlobContent(d, "x") : null);
        public Task DeleteAsync(string path, CancellationToken cancellationToken = default) { _blobs.Remove(path); return Task.CompletedTask; }
        public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
        {
            foreach (var key in _blobs.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList()) _blobs.Remove(key);
            return Task.CompletedTask;
        }
    }
}
