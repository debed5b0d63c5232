using System.Collections.Concurrent;
using CloneAI.Core.Accounts;
using CloneAI.Core.Auth;
using CloneAI.Core.Blobs;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Privacy;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using CloneAI.Core.UserData;

namespace CloneAI.Core.Tests.Privacy;

public sealed class AccountDeletionTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));
    private readonly Markers _markers = new();
    private readonly List<string> _log = [];
    private readonly Mock<IUserStore> _users = new();
    private readonly Mock<IAccountStore> _accounts = new();

    private static readonly Caller Ada = new("ada", "ada@example.com", "Ada", false, false);

    private readonly Mock<IRefreshTokenRevoker> _refreshTokens = new();

    private AccountDeletion Deletion(string mode = "local", params IUserDataEraser[] erasers) => new(
        new UserService(_users.Object, Mock.Of<IBlobStore>(), Options.Create(new AuthOptions { Mode = mode }), _time, NullLogger<UserService>.Instance, _refreshTokens.Object),
        _markers, erasers, Options.Create(new AuthOptions { Mode = mode }), Options.Create(new PrivacyOptions()), _time,
        NullLogger<AccountDeletion>.Instance, new Limits.MemoryRateWindowStore(), _accounts.Object, new Compactor(_log));

    public AccountDeletionTests()
    {
        var user = new User { Id = "ada", Email = "ada@example.com", DisplayName = "Ada", SecurityStamp = "old" };
        _users.Setup(u => u.GetAsync("ada", It.IsAny<CancellationToken>())).ReturnsAsync(user);
        _users.Setup(u => u.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()))
            .Callback((User u, CancellationToken _) => _log.Add($"stamp:{(u.SecurityStamp != "old" && u.SecurityStamp.Length > 0 ? "new" : "same")}"))
            .ReturnsAsync((User u, CancellationToken _) => u);
        _accounts.Setup(a => a.GetCredentialAsync("ada", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Credential { UserId = "ada", PasswordHash = PasswordHashes.Hash("right password") });
    }

    [Fact]
    public async Task DeletingEndsSignInsFirstThenRunsEveryEraserInOrderThenCompletesAndCompacts()
    {
        var deletion = Deletion("local", new Eraser("account", 900, _log), new Eraser("sessions", 200, _log), new Eraser("avatar", 10, _log));
        await deletion.DeleteAsync(Ada);

        Assert.Equal(["stamp:new", "avatar", "sessions", "account", "compact"], _log);
        Assert.Empty(_markers.Pending);
        _refreshTokens.Verify(r => r.RevokeAllAsync("ada", It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task ADeletionThatFailedPartWayIsFinishedLaterUnderTheSamePseudonym()
    {
        var failing = new Eraser("sessions", 200, _log) { FailOnce = true };
        var deletion = Deletion("local", failing, new Eraser("ledger", 400, _log));
        await Assert.ThrowsAsync<InvalidOperationException>(() => deletion.DeleteAsync(Ada));
        var marker = Assert.Single(_markers.Pending);
        Assert.StartsWith("deleted-", marker.Pseudonym, StringComparison.Ordinal);
        Assert.DoesNotContain("ada", marker.Pseudonym, StringComparison.Ordinal);

        Assert.Equal(1, await deletion.FinishPendingAsync());
        Assert.Empty(_markers.Pending);
        Assert.Equal([marker.Pseudonym, marker.Pseudonym], failing.Pseudonyms);
        Assert.Equal(0, await deletion.FinishPendingAsync());
    }

    [Fact]
    public async Task TheTimerLeavesAloneADeletionThatARequestIsStillRunning()
    {
        await _markers.RecordAsync(new AccountDeletionMarker("ada", "deleted-1", _time.GetUtcNow()));
        var deletion = Deletion("local", new Eraser("sessions", 200, _log));
        Assert.Equal(0, await deletion.FinishPendingAsync(TimeSpan.FromMinutes(5)));
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, await deletion.FinishPendingAsync(TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task AWrongPasswordIsAFieldErrorAndTooManyAreThrottledEvenForTheRightOne()
    {
        var deletion = Deletion();
        await deletion.VerifyPasswordAsync(Ada, "right password");
        var missing = await Assert.ThrowsAsync<ValidationException>(() => deletion.VerifyPasswordAsync(Ada, ""));
        Assert.Contains("password", missing.Errors.Keys);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await Assert.ThrowsAsync<ValidationException>(() => deletion.VerifyPasswordAsync(Ada, "guess " + i));
            Assert.Contains("password", wrong.Errors.Keys);
        }
        var throttled = await Assert.ThrowsAsync<TooManyRequestsException>(() => deletion.VerifyPasswordAsync(Ada, "right password"));
        Assert.True(throttled.RetryAfter > TimeSpan.Zero);
        _time.Advance(TimeSpan.FromMinutes(16));
        await deletion.VerifyPasswordAsync(Ada, "right password");
    }

    [Fact]
    public void EntraDeletionNeedsASignInFromTheLastMinutes()
    {
        var deletion = Deletion(Names.AuthModeEntra);
        Assert.False(deletion.UsesPassword);
        deletion.VerifyRecentSignIn(_time.GetUtcNow().AddMinutes(-3));
        var old = Assert.Throws<SignInAgainException>(() => deletion.VerifyRecentSignIn(_time.GetUtcNow().AddMinutes(-30)));
        Assert.Equal(403, old.Status);
        Assert.Contains("sign in again", old.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<SignInAgainException>(() => deletion.VerifyRecentSignIn(null));
    }

    private sealed class Eraser(string name, int order, List<string> log) : IUserDataEraser
    {
        public bool FailOnce { get; set; }
        public List<string> Pseudonyms { get; } = [];
        public string Name => name;
        public int Order => order;

        public Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
        {
            Pseudonyms.Add(pseudonym);
            if (FailOnce)
            {
                FailOnce = false;
                throw new InvalidOperationException("The store went away.");
            }
            log.Add(name);
            return Task.CompletedTask;
        }
    }

    private sealed class Compactor(List<string> log) : IStorageCompactor
    {
        public Task CompactAsync(CancellationToken cancellationToken = default)
        {
            log.Add("compact");
            return Task.CompletedTask;
        }
    }

    private sealed class Markers : IAccountDeletionStore
    {
        private readonly ConcurrentDictionary<string, AccountDeletionMarker> _markers = new();
        public IReadOnlyList<AccountDeletionMarker> Pending => [.. _markers.Values];

        public Task<AccountDeletionMarker> RecordAsync(AccountDeletionMarker marker, CancellationToken cancellationToken = default) =>
            Task.FromResult(_markers.GetOrAdd(marker.UserId, marker));

        public Task<IReadOnlyList<AccountDeletionMarker>> ListPendingAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(Pending);

        public Task CompleteAsync(string userId, CancellationToken cancellationToken = default)
        {
            _markers.TryRemove(userId, out _);
            return Task.CompletedTask;
        }
    }
}

public sealed class DataExportsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));
    private readonly Exports _store = new();
    private readonly Blobs _blobs = new();
    private readonly Mock<IUserStore> _users = new();
    private readonly Mock<CloneAI.Core.Email.IEmailSender> _email = new();
    private readonly List<CloneAI.Core.Email.EmailMessage> _sent = [];

    public DataExportsTests()
    {
        _users.Setup(u => u.GetAsync("ada", It.IsAny<CancellationToken>())).ReturnsAsync(new User { Id = "ada", Email = "ada@example.com", DisplayName = "Visit https://evil.example now" });
        _email.Setup(e => e.SendAsync(It.IsAny<CloneAI.Core.Email.EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback((CloneAI.Core.Email.EmailMessage m, CancellationToken _) => _sent.Add(m)).Returns(Task.CompletedTask);
    }

    private DataExports Service() => new(_store, _blobs, _users.Object, [new Section()], [], Options.Create(new PrivacyOptions { ExportLinkHours = 48 }),
        Options.Create(new AuthOptions { PublicBaseUrl = "https://cloneai.example" }), _time, NullLogger<DataExports>.Instance, _email.Object);

    [Fact]
    public async Task TheEmailedLinkDownloadsTheZipUntilItExpiresAndOnlyWithItsToken()
    {
        var exports = Service();
        var (export, created) = await exports.RequestAsync(new Caller("ada", "ada@example.com", "Ada", false, false));
        Assert.True(created);
        await exports.BuildAsync("ada", export.Id);
        await exports.SendLinkAsync("ada", export.Id);
        await exports.SendLinkAsync("ada", export.Id);

        var mail = Assert.Single(_sent);
        Assert.Equal("ada@example.com", mail.To);
        Assert.DoesNotContain("evil.example", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", mail.HtmlBody, StringComparison.Ordinal);
        var token = System.Text.RegularExpressions.Regex.Match(mail.TextBody, @"download\?token=([A-Za-z0-9_\-]+)").Groups[1].Value;
        Assert.NotEmpty(token);
        Assert.DoesNotContain(token, _store.Get(export.Id).TokenHash!, StringComparison.Ordinal);

        var zip = await exports.DownloadAsync(export.Id, token, null);
        using (var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip.Data)))
            Assert.Contains(archive.Entries, e => e.FullName == "greeting.json");
        await Assert.ThrowsAsync<NotFoundException>(() => exports.DownloadAsync(export.Id, token + "x", null));
        await Assert.ThrowsAsync<NotFoundException>(() => exports.DownloadAsync(export.Id, token, "someone-else"));

        _time.Advance(TimeSpan.FromHours(49));
        await Assert.ThrowsAsync<NotFoundException>(() => exports.DownloadAsync(export.Id, token, null));
        Assert.Equal(1, await exports.PurgeExpiredAsync());
        Assert.Empty(_blobs.Paths);
        Assert.Equal(DataExportStatus.Expired, _store.Get(export.Id).Status);
    }

    private sealed class Section : IUserDataExporter
    {
        public string Name => "greeting";
        public Task<object?> ExportAsync(string userId, CancellationToken cancellationToken = default) => Task.FromResult<object?>(new { hello = userId });
    }

    private sealed class Blobs : IBlobStore
    {
        private readonly ConcurrentDictionary<string, byte[]> _blobs = new();
        public IReadOnlyCollection<string> Paths => [.. _blobs.Keys];
        public Task PutAsync(string path, byte[] data, string contentType, CancellationToken cancellationToken = default) { _blobs[path] = data; return Task.CompletedTask; }
        public Task<BlobContent?> GetAsync(string path, CancellationToken cancellationToken = default) =>
            Task.FromResult(_blobs.TryGetValue(path, out var d) ? new BlobContent(d, "application/zip") : null);
        public Task DeleteAsync(string path, CancellationToken cancellationToken = default) { _blobs.TryRemove(path, out _); return Task.CompletedTask; }
        public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
        {
            foreach (var key in _blobs.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))) _blobs.TryRemove(key, out _);
            return Task.CompletedTask;
        }
    }

    private sealed class Exports : IDataExportStore
    {
        private readonly ConcurrentDictionary<string, DataExport> _exports = new();
        public DataExport Get(string id) => _exports[id];

        public Task<(DataExport Export, bool Created)> CreateUnlessBuildingAsync(DataExport dataExport, CancellationToken cancellationToken = default)
        {
            var building = _exports.Values.FirstOrDefault(e => e.UserId == dataExport.UserId && e.Status == DataExportStatus.Building);
            if (building is not null) return Task.FromResult((building, false));
            _exports[dataExport.Id] = dataExport with { ETag = "1" };
            return Task.FromResult((_exports[dataExport.Id], true));
        }

        public Task<DataExport?> GetAsync(string userId, string id, CancellationToken cancellationToken = default) =>
            Task.FromResult(_exports.TryGetValue(id, out var e) && e.UserId == userId ? e : null);
        public Task<DataExport?> FindAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(_exports.GetValueOrDefault(id));
        public Task<DataExport> ReplaceAsync(DataExport dataExport, CancellationToken cancellationToken = default)
        {
            if (_exports[dataExport.Id].ETag != dataExport.ETag) throw new ConflictException("changed");
            return Task.FromResult(_exports[dataExport.Id] = dataExport with { ETag = Guid.NewGuid().ToString() });
        }
        public Task<IReadOnlyList<DataExport>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<DataExport>>([.. _exports.Values.Where(e => e.UserId == userId)]);
        public Task<IReadOnlyList<DataExport>> ListUnfinishedAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<DataExport>>([]);
        public Task<IReadOnlyList<DataExport>> ListExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<DataExport>>([.. _exports.Values.Where(e => e.Status == DataExportStatus.Ready && e.ExpiresAt <= now)]);
        public Task DeleteAllAsync(string userId, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
