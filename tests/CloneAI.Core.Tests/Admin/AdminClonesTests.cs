using CloneAI.Core.Admin;
using CloneAI.Core.Audit;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloneAI.Core.Tests.Admin;

public sealed class AdminClonesTests
{
    private static readonly Caller Admin = new("admin-1", "ada@example.com", "Ada", IsAdmin: true, IsCreator: false);
    private static readonly Caller Owner = new("owner-1", "olive@example.com", "Olive", IsAdmin: false, IsCreator: true);

    private readonly Dictionary<string, Clone> _clones = new(StringComparer.Ordinal);
    private readonly Mock<ICloneStore> _store = new(MockBehavior.Strict);
    private readonly ListAuditLog _log = new();
    private readonly SteppedClock _clock = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));

    public AdminClonesTests()
    {
        _store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((string id, CancellationToken _) => _clones.GetValueOrDefault(id));
        _store.Setup(s => s.GetBySlugAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string slug, CancellationToken _) => _clones.Values.FirstOrDefault(c => c.Slug == slug));
        _store.Setup(s => s.ReplaceAsync(It.IsAny<Clone>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync((Clone c, string? _, CancellationToken _) => _clones[c.Id] = c);
        _clones["c1"] = new Clone { Id = "c1", Slug = "tides", OwnerId = "owner-1", Name = "Tides", Category = "science", Status = CloneStatus.Published };
        _clones["c2"] = new Clone { Id = "c2", Slug = "draft", OwnerId = "owner-1", Name = "Draft", Category = "science", Status = CloneStatus.Draft };
    }

    private AdminClones Service() =>
        new(_store.Object, Mock.Of<ICloneDirectory>(), new AuditTrail(_log, Mock.Of<IUserStore>(), _clock), _clock, NullLogger<AdminClones>.Instance);

    [Fact]
    public async Task FeaturingVerifyingAndUnpublishingChangeTheCloneAndLogEachWithTheOwnerAsSubject()
    {
        Assert.True((await Service().FeatureAsync(Admin, "c1", "Great reviews")).Featured);
        _clock.Now = _clock.Now.AddSeconds(1);
        Assert.Equal(_clock.Now, (await Service().VerifyAsync(Admin, "tides", "Checked the expert's identity")).VerifiedAt);
        _clock.Now = _clock.Now.AddSeconds(1);
        Assert.False((await Service().UnfeatureAsync(Admin, "c1", "Rotation")).Featured);
        _clock.Now = _clock.Now.AddSeconds(1);
        Assert.Null((await Service().UnverifyAsync(Admin, "c1", "Credentials expired")).VerifiedAt);
        _clock.Now = _clock.Now.AddSeconds(1);
        Assert.Equal(CloneStatus.Draft, (await Service().UnpublishAsync(Admin, "c1", "Impersonates a real doctor")).Status);

        Assert.Equal(
            [AuditActions.CloneFeatured, AuditActions.CloneVerified, AuditActions.CloneUnfeatured, AuditActions.CloneUnverified, AuditActions.CloneUnpublished],
            _log.Entries.Select(e => e.Action));
        Assert.All(_log.Entries, e => Assert.Equal((AuditTargets.Clone, "c1", "owner-1"), (e.TargetType, e.TargetId, e.SubjectUserId)));
        Assert.Equal("Impersonates a real doctor", _log.Entries[^1].Reason);
    }

    [Fact]
    public async Task DoingAgainWhatIsAlreadySoChangesNothingAndWritesNothing()
    {
        await Service().FeatureAsync(Admin, "c1", "Great reviews");
        await Service().FeatureAsync(Admin, "c1", "Great reviews");
        await Service().UnpublishAsync(Admin, "c2", "Already a draft");

        Assert.Single(_log.Entries);
        _store.Verify(s => s.ReplaceAsync(It.IsAny<Clone>(), null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ADraftCannotBeFeatured()
    {
        await Assert.ThrowsAsync<ConflictException>(() => Service().FeatureAsync(Admin, "c2", "Looks good"));
        Assert.Empty(_log.Entries);
    }

    [Fact]
    public async Task OnlyAdminsCurateAndEveryActionNeedsAReason()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => Service().FeatureAsync(Owner, "c1", "My own clone is great"));
        var e = await Assert.ThrowsAsync<ValidationException>(() => Service().VerifyAsync(Admin, "c1", ""));
        Assert.Contains("reason", e.Errors.Keys);
        Assert.False(_clones["c1"].Featured);
        Assert.Null(_clones["c1"].VerifiedAt);
        Assert.Empty(_log.Entries);
    }

    [Fact]
    public async Task ADeletedOrUnknownCloneIsNotFound()
    {
        _clones["c3"] = _clones["c1"] with { Id = "c3", Slug = "gone", Status = CloneStatus.Deleted };
        await Assert.ThrowsAsync<NotFoundException>(() => Service().FeatureAsync(Admin, "c3", "Why not"));
        await Assert.ThrowsAsync<NotFoundException>(() => Service().FeatureAsync(Admin, "nope", "Why not"));
    }

    [Fact]
    public async Task SearchRefusesAnUnknownStatus()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => Service().SearchAsync(Admin, null, "deleted", null, null));
        Assert.Contains("status", e.Errors.Keys);
    }
}
