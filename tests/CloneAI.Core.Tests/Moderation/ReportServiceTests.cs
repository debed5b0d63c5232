using CloneAI.Core.Audit;
using CloneAI.Core.Auth;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;
using CloneAI.Core.Errors;
using CloneAI.Core.Moderation;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Core.Tests.Moderation;

/// <summary>Reports and verification over in-memory ports: the rules, not the storage.</summary>
public sealed class ReportServiceTests
{
    private static readonly Caller Admin = new("admin", "admin@example.com", "Admin", IsAdmin: true, IsCreator: false);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));
    private readonly Dictionary<string, Clone> _clones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, User> _users = new(StringComparer.Ordinal);
    private readonly MemoryReports _reports = new();
    private readonly List<AuditEntry> _audit = [];
    private readonly List<EmailMessage> _sent = [];
    private readonly ModerationOptions _options = new();
    private readonly ReportService _service;
    private readonly VerificationService _verification;

    public ReportServiceTests()
    {
        var store = new Mock<ICloneStore>();
        store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((string id, CancellationToken _) => _clones.GetValueOrDefault(id));
        store.Setup(s => s.ReplaceAsync(It.IsAny<Clone>(), It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync((Clone c, string? _, CancellationToken _) => _clones[c.Id] = c);
        store.Setup(s => s.ListByOwnerAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string owner, int _, string? _, CancellationToken _) => new Page<Clone>(_clones.Values.Where(c => c.OwnerId == owner).ToList(), null));
        var users = new Mock<IUserStore>();
        users.Setup(u => u.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((string id, CancellationToken _) => _users.GetValueOrDefault(id));
        users.Setup(u => u.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>())).ReturnsAsync((User u, CancellationToken _) => _users[u.Id] = u);
        var audit = new Mock<IAuditLog>();
        audit.Setup(a => a.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Callback((AuditEntry e, CancellationToken _) => _audit.Add(e)).Returns(Task.CompletedTask);
        var email = new Mock<IEmailSender>();
        email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>())).Callback((EmailMessage m, CancellationToken _) => _sent.Add(m)).Returns(Task.CompletedTask);
        var auth = Options.Create(new AuthOptions { PublicBaseUrl = "https://cloneai.example" });
        var moderation = new CloneModeration(store.Object, users.Object, auth, _time, NullLogger<CloneModeration>.Instance, email.Object);
        _service = new ReportService(_reports, new CloneService(store.Object, _time, NullLogger<CloneService>.Instance), store.Object, new Mock<ISessionStore>().Object,
            users.Object, moderation, audit.Object, Options.Create(_options), _time, NullLogger<ReportService>.Instance, new Limits.MemoryRateWindowStore());
        _verification = new VerificationService(new MemoryVerifications(), users.Object, moderation, audit.Object, auth, _time, NullLogger<VerificationService>.Instance, email.Object);

        _users["owner"] = new User { Id = "owner", Email = "owner@example.com", DisplayName = "Owner", IsCreator = true };
        _clones["c1"] = new Clone { Id = "c1", Slug = "c1", OwnerId = "owner", Name = "Dr. \"Real\"\nVisit https://evil.example", Category = "science", Status = CloneStatus.Published };
    }

    private static Caller User(string id) => new(id, id + "@example.com", id, IsAdmin: false, IsCreator: false);

    [Fact]
    public async Task OpenReportsFromDistinctUsersHideTheCloneOnceAndTellTheOwner()
    {
        _options.AutoHideReports = 2;
        await _service.FileAsync(User("a"), "c1", new ReportInput(ReportReasons.Spam, null, null, null));
        Assert.Null(_clones["c1"].HiddenAt);
        await _service.FileAsync(User("b"), "c1", new ReportInput(ReportReasons.Impersonation, "Not them", null, null));
        Assert.NotNull(_clones["c1"].HiddenAt);
        Assert.Contains("impersonation", _clones["c1"].HiddenReason, StringComparison.Ordinal);
        // Hidden: to anyone else it is not found, and nothing more is sent.
        await Assert.ThrowsAsync<NotFoundException>(() => _service.FileAsync(User("c"), "c1", new ReportInput(ReportReasons.Spam, null, null, null)));
        Assert.Single(_sent);
        Assert.Single(_audit, e => e.Action == AuditActions.CloneHidden);
    }

    [Fact]
    public async Task ARepeatOfAnOpenReportIsTheSameReportAndCountsOnce()
    {
        var (first, created) = await _service.FileAsync(User("a"), "c1", new ReportInput(ReportReasons.Spam, "x", null, null));
        var (again, createdAgain) = await _service.FileAsync(User("a"), "c1", new ReportInput(ReportReasons.Harmful, "y", null, null));
        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first, again);
        Assert.Single(_reports.All);
    }

    [Fact]
    public async Task ReportsAreThrottledPerUserPerHourWithRetryAfter()
    {
        _options.ReportsPerHour = 2;
        for (var i = 0; i < 3; i++)
            _clones[$"k{i}"] = _clones["c1"] with { Id = $"k{i}", Slug = $"k{i}" };
        await _service.FileAsync(User("a"), "k0", new ReportInput(ReportReasons.Spam, null, null, null));
        _time.Advance(TimeSpan.FromMinutes(10));
        await _service.FileAsync(User("a"), "k1", new ReportInput(ReportReasons.Spam, null, null, null));
        var refused = await Assert.ThrowsAsync<TooManyRequestsException>(() => _service.FileAsync(User("a"), "k2", new ReportInput(ReportReasons.Spam, null, null, null)));
        Assert.Equal(TimeSpan.FromMinutes(50), refused.RetryAfter);
        Assert.Equal(2, _reports.All.Count);
        _time.Advance(TimeSpan.FromMinutes(51));
        await _service.FileAsync(User("a"), "k2", new ReportInput(ReportReasons.Spam, null, null, null));
    }

    [Fact]
    public async Task OnlyAdminsResolveAndEveryResolutionNeedsAReason()
    {
        var (report, _) = await _service.FileAsync(User("a"), "c1", new ReportInput(ReportReasons.Spam, null, null, null));
        await Assert.ThrowsAsync<ForbiddenException>(() => _service.ResolveAsync(User("owner"), report.Id, ReportActions.Restore, "mine"));
        await Assert.ThrowsAsync<ValidationException>(() => _service.ResolveAsync(Admin, report.Id, ReportActions.Hide, "  "));
        await Assert.ThrowsAsync<ValidationException>(() => _service.ResolveAsync(Admin, report.Id, "delete", "why"));
        Assert.Null(_clones["c1"].HiddenAt);
        Assert.Empty(_audit);
    }

    [Fact]
    public async Task DismissingTheReportsOfAHiddenCloneLeavesItHiddenUntilRestored()
    {
        _options.AutoHideReports = 1;
        var (report, _) = await _service.FileAsync(User("a"), "c1", new ReportInput(ReportReasons.Spam, null, null, null));
        Assert.NotNull(_clones["c1"].HiddenAt);
        await _service.ResolveAsync(Admin, report.Id, ReportActions.Dismiss, "Nothing wrong");
        Assert.NotNull(_clones["c1"].HiddenAt);
        await _service.ResolveAsync(Admin, report.Id, ReportActions.Restore, "Reviewed");
        Assert.Null(_clones["c1"].HiddenAt);
        Assert.Equal([AuditActions.CloneHidden, AuditActions.ReportResolved, AuditActions.CloneRestored], _audit.Select(e => e.Action));
        Assert.All(_audit.Skip(1), e => Assert.Equal("admin@example.com", e.ActorEmail));
    }

    [Fact]
    public async Task KeepingAnAutomaticallyHiddenCloneHiddenRecordsTheModeratorsReviewAndTellsTheOwner()
    {
        _options.AutoHideReports = 1;
        var (report, _) = await _service.FileAsync(User("a"), "c1", new ReportInput(ReportReasons.Impersonation, null, null, null));
        var hiddenAt = _clones["c1"].HiddenAt;
        Assert.NotNull(hiddenAt);
        Assert.StartsWith("Reported by", _clones["c1"].HiddenReason, StringComparison.Ordinal);
        Assert.Single(_sent);
        _time.Advance(TimeSpan.FromHours(2));

        var resolved = await _service.ResolveAsync(Admin, report.Id, ReportActions.Hide, "Confirmed: not the real person");
        Assert.Equal(ReportStatus.Upheld, resolved.Status);
        Assert.Equal(hiddenAt, _clones["c1"].HiddenAt); // hidden since the first time
        Assert.Contains("Moderator's note: “Confirmed: not the real person”", _clones["c1"].HiddenReason, StringComparison.Ordinal);
        Assert.Equal(2, _sent.Count);
        Assert.Contains("Confirmed: not the real person", _sent[^1].TextBody, StringComparison.Ordinal);
        Assert.Equal([AuditActions.CloneHidden, AuditActions.CloneHidden], _audit.Select(e => e.Action));
    }

    [Fact]
    public void ModerationEmailsQuoteUserTextOnOneLabelledLine()
    {
        var hidden = ModerationEmails.CloneHidden("o@example.com", "c1", "Dr. Evil\nVisit https://evil.example now\u202E", ["spam"], "Note\r\nClick here", "https://cloneai.example");
        Assert.DoesNotContain("evil", hidden.Subject, StringComparison.OrdinalIgnoreCase);
        var lines = hidden.TextBody.Split('\n');
        Assert.Contains("Clone name: “Dr. Evil Visit https://evil.example now”", lines);
        Assert.Contains("Moderator's note: “Note Click here”", lines);
        Assert.DoesNotContain('\u202E', hidden.TextBody);
        Assert.DoesNotContain("<script", ModerationEmails.CloneRestored("o@example.com", "c1", "<script>x</script>", "https://a").HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovalVerifiesTheCreatorAndEveryCloneOfTheirs()
    {
        var creator = new Caller("owner", "owner@example.com", "Owner", IsAdmin: false, IsCreator: true);
        await Assert.ThrowsAsync<ForbiddenException>(() => _verification.RequestAsync(User("plain"), ["https://example.com"], "A long enough statement here."));
        await Assert.ThrowsAsync<ValidationException>(() => _verification.RequestAsync(creator, ["ftp://example.com"], "A long enough statement here."));
        var request = await _verification.RequestAsync(creator, ["https://example.com/me"], "A long enough statement here.");
        await Assert.ThrowsAsync<ConflictException>(() => _verification.RequestAsync(creator, ["https://example.com/me"], "A long enough statement here."));
        await Assert.ThrowsAsync<ForbiddenException>(() => _verification.ApproveAsync(creator, request.Id, "self"));
        await _verification.ApproveAsync(Admin, request.Id, "Checked");
        Assert.NotNull(_users["owner"].VerifiedAt);
        Assert.True(_clones["c1"].OwnerVerified);
        Assert.Single(_audit, e => e.Action == AuditActions.VerificationApproved && e.SubjectUserId == "owner");
        await Assert.ThrowsAsync<ConflictException>(() => _verification.RequestAsync(creator, ["https://example.com/me"], "Once more, already verified."));
    }

    private sealed class MemoryReports : IReportStore
    {
        public List<Report> All { get; } = [];

        public Task<(Report Report, bool Created)> AddAsync(Report report, CancellationToken cancellationToken = default)
        {
            var existing = All.FirstOrDefault(r => r.Id == report.Id);
            if (existing is not null) return Task.FromResult((existing, false));
            All.Add(report);
            return Task.FromResult((report, true));
        }

        public Task<Report?> GetAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(All.FirstOrDefault(r => r.Id == id));

        public Task<Report> UpdateAsync(Report report, CancellationToken cancellationToken = default)
        {
            All[All.FindIndex(r => r.Id == report.Id)] = report;
            return Task.FromResult(report);
        }

        public Task<IReadOnlyList<Report>> ListOpenForCloneAsync(string cloneId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Report>>(All.Where(r => r.CloneId == cloneId && r.Status == ReportStatus.Open).ToList());

        public Task<Page<Report>> ListAsync(string status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
            Task.FromResult(new Page<Report>(All.Where(r => r.Status == status).Take(pageSize).ToList(), null));

        public Task<IReadOnlyList<Report>> ListByReporterAsync(string reporterId, int max, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Report>>(All.Where(r => r.ReporterId == reporterId).OrderByDescending(r => r.CreatedAt).Take(max).ToList());

        public Task DeleteByReporterAsync(string reporterId, CancellationToken cancellationToken = default)
        {
            All.RemoveAll(r => r.ReporterId == reporterId);
            return Task.CompletedTask;
        }
    }

    private sealed class MemoryVerifications : IVerificationStore
    {
        private readonly List<VerificationRequest> _all = [];

        public Task<VerificationRequest> CreateAsync(VerificationRequest request, CancellationToken cancellationToken = default)
        {
            if (_all.Any(r => r.Id == request.Id)) throw new ConflictException("exists");
            _all.Add(request);
            return Task.FromResult(request);
        }

        public Task<VerificationRequest?> GetAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(_all.FirstOrDefault(r => r.Id == id));

        public Task<VerificationRequest> UpdateAsync(VerificationRequest request, CancellationToken cancellationToken = default)
        {
            _all[_all.FindIndex(r => r.Id == request.Id)] = request;
            return Task.FromResult(request);
        }

        public Task<IReadOnlyList<VerificationRequest>> ListByUserAsync(string userId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<VerificationRequest>>(_all.Where(r => r.UserId == userId).OrderByDescending(r => r.CreatedAt).ToList());

        public Task<Page<VerificationRequest>> ListAsync(string status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
            Task.FromResult(new Page<VerificationRequest>(_all.Where(r => r.Status == status).ToList(), null));

        public Task DeleteByUserAsync(string userId, CancellationToken cancellationToken = default)
        {
            _all.RemoveAll(r => r.UserId == userId);
            return Task.CompletedTask;
        }
    }
}
