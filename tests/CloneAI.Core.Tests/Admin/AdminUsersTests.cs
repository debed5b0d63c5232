using CloneAI.Core.Admin;
using CloneAI.Core.Audit;
using CloneAI.Core.Auth;
using CloneAI.Core.Blobs;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Tests.Admin;

public sealed class AdminUsersTests
{
    private static readonly Caller Admin = new("admin-1", "ada@example.com", "Ada", IsAdmin: true, IsCreator: false);
    private static readonly Caller Someone = new("u9", "u9@example.com", "Sam", IsAdmin: false, IsCreator: true);

    private readonly Dictionary<string, User> _users = new(StringComparer.Ordinal);
    private readonly Mock<IUserStore> _store = new(MockBehavior.Strict);
    private readonly Mock<IUserDirectory> _directory = new(MockBehavior.Strict);
    private readonly ListAuditLog _log = new();
    private readonly SteppedClock _clock = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));
    private int _replaces;

    public AdminUsersTests()
    {
        _store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => _users.GetValueOrDefault(id));
        _store.Setup(s => s.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((User u, CancellationToken _) =>
            {
                _replaces++;
                return _users[u.Id] = u;
            });
        Add("u1", "uma@example.com", "Uma");
        Add("admin-1", "ada@example.com", "Ada", admin: true);
    }

    private void Add(string id, string email, string name, bool admin = false) =>
        _users[id] = new User { Id = id, Email = email, DisplayName = name, IsAdmin = admin, SecurityStamp = "stamp-0" };

    private readonly Mock<IRefreshTokenRevoker> _refreshTokens = new();

    private AdminUsers Service() =>
        new(_store.Object, new UserService(_store.Object, Mock.Of<IBlobStore>(), Options.Create(new AuthOptions()), _clock, NullLogger<UserService>.Instance, _refreshTokens.Object),
            _directory.Object, new AuditTrail(_log, _store.Object, _clock), _clock, NullLogger<AdminUsers>.Instance);

    [Fact]
    public async Task DisablingSetsTheReasonEndsTheSignInsAndIsAuditLoggedOnceWhateverTheRetries()
    {
        var disabled = await Service().DisableAsync(Admin, "u1", "  Spam reports  ");
        _clock.Now = _clock.Now.AddMinutes(1);
        var again = await Service().DisableAsync(Admin, "u1", "Spam reports");

        Assert.Equal(_clock.Now.AddMinutes(-1), disabled.DisabledAt);
        Assert.Equal("Spam reports", disabled.DisabledReason);
        Assert.NotEqual("stamp-0", disabled.SecurityStamp);
        Assert.Equal(disabled.DisabledAt, again.DisabledAt);
        Assert.Equal(1, _replaces);
        _refreshTokens.Verify(r => r.RevokeAllAsync("u1", disabled.DisabledAt!.Value, It.IsAny<CancellationToken>()), Times.Once);
        var entry = Assert.Single(_log.Entries);
        Assert.Equal((AuditActions.UserDisabled, AuditTargets.User, "u1", "u1", "admin-1", "ada@example.com", "Spam reports"),
            (entry.Action, entry.TargetType, entry.TargetId, entry.SubjectUserId, entry.ActorId, entry.ActorEmail, entry.Reason));
    }

    [Fact]
    public async Task EnablingClearsTheDisablingAndIsAuditLogged()
    {
        await Service().DisableAsync(Admin, "u1", "Spam");
        var enabled = await Service().EnableAsync(Admin, "u1", "Appeal accepted");
        await Service().EnableAsync(Admin, "u1", "Appeal accepted"); // already enabled: nothing

        Assert.Null(enabled.DisabledAt);
        Assert.Null(enabled.DisabledReason);
        Assert.Equal([AuditActions.UserDisabled, AuditActions.UserEnabled], _log.Entries.Select(e => e.Action));
        Assert.Equal("Appeal accepted", _log.Entries[1].Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task EveryActionNeedsAReason(string? reason)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => Service().DisableAsync(Admin, "u1", reason));
        Assert.Contains("reason", e.Errors.Keys);
        await Assert.ThrowsAsync<ValidationException>(() => Service().EnableAsync(Admin, "u1", reason));
        await Assert.ThrowsAsync<ValidationException>(() => Service().SetRolesAsync(Admin, "u1", true, true, reason));
        Assert.Null(_users["u1"].DisabledAt);
        Assert.Empty(_log.Entries);
    }

    [Fact]
    public async Task AReasonOverFiveHundredCharactersIsRefused()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => Service().DisableAsync(Admin, "u1", new string('x', 501)));
        Assert.Contains("reason", e.Errors.Keys);
    }

    [Fact]
    public async Task OnlyAdminsManageAccounts()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => Service().DisableAsync(Someone, "u1", "Because"));
        await Assert.ThrowsAsync<ForbiddenException>(() => Service().SetRolesAsync(Someone, "u9", true, true, "Make me admin"));
        await Assert.ThrowsAsync<ForbiddenException>(() => Service().SearchAsync(Someone, null, null, null));
        Assert.Empty(_log.Entries);
    }

    [Fact]
    public async Task AnAdminCannotDisableThemselvesNorTakeTheirOwnAdminRole()
    {
        await Assert.ThrowsAsync<ConflictException>(() => Service().DisableAsync(Admin, "admin-1", "Oops"));
        await Assert.ThrowsAsync<ConflictException>(() => Service().SetRolesAsync(Admin, "admin-1", false, false, "Stepping down"));
        Assert.True(_users["admin-1"].IsAdmin);
        Assert.Null(_users["admin-1"].DisabledAt);
        // Keeping their admin role and changing another is fine.
        Assert.True((await Service().SetRolesAsync(Admin, "admin-1", true, true, "I create too")).IsCreator);
    }

    [Fact]
    public async Task RolesAreSetWithTheirBeforeAndAfterInTheLogAndTheSameRolesAgainWriteNothing()
    {
        var changed = await Service().SetRolesAsync(Admin, "u1", true, true, "New moderator");
        await Service().SetRolesAsync(Admin, "u1", true, true, "New moderator");

        Assert.True(changed.IsAdmin);
        Assert.True(changed.IsCreator);
        var entry = Assert.Single(_log.Entries);
        Assert.Equal(AuditActions.UserRolesChanged, entry.Action);
        Assert.Equal("admin: no -> yes; creator: no -> yes", entry.Details);
    }

    [Fact]
    public async Task RolesNeedBothFlags()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => Service().SetRolesAsync(Admin, "u1", null, null, "Why"));
        Assert.Contains("admin", e.Errors.Keys);
        Assert.Contains("creator", e.Errors.Keys);
    }

    [Fact]
    public async Task AnUnknownUserIsNotFound() =>
        await Assert.ThrowsAsync<NotFoundException>(() => Service().DisableAsync(Admin, "nobody", "Spam"));

    [Fact]
    public async Task SearchPassesTheTrimmedTextAndChecksThePageSize()
    {
        _directory.Setup(d => d.SearchAsync("uma", 20, null, It.IsAny<CancellationToken>())).ReturnsAsync(new Page<User>([_users["u1"]], null));

        Assert.Equal("u1", Assert.Single((await Service().SearchAsync(Admin, "  uma ", null, null)).Items).Id);
        var e = await Assert.ThrowsAsync<ValidationException>(() => Service().SearchAsync(Admin, null, 500, null));
        Assert.Contains("pageSize", e.Errors.Keys);
    }
}
