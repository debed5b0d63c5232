using CloneAI.Core.Admin;
using CloneAI.Core.Audit;
using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;

namespace CloneAI.Core.Tests.Admin;

public sealed class AuditTrailTests
{
    private static readonly Caller Admin = new("admin-1", "ada@example.com", "Ada", IsAdmin: true, IsCreator: false);
    private static readonly Caller Uma = new("u1", "uma@example.com", "Uma", IsAdmin: false, IsCreator: false);

    private readonly ListAuditLog _log = new();
    private readonly Mock<IUserStore> _users = new();
    private readonly Mock<ISessionStore> _sessions = new(MockBehavior.Strict);
    private readonly SteppedClock _clock = new(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));

    public AuditTrailTests()
    {
        _users.Setup(u => u.GetAsync("admin-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new User { Id = "admin-1", Email = "ada@example.com", DisplayName = "Ada Admin" });
        _sessions.Setup(s => s.GetAsync("s1", It.IsAny<CancellationToken>())).ReturnsAsync(new ChatSession
        {
            Id = "s1", UserId = "u1", CloneId = "c1", CloneName = "Tides", OwnerId = "owner-1",
        });
        _sessions.Setup(s => s.GetAsync("gone", It.IsAny<CancellationToken>())).ReturnsAsync((ChatSession?)null);
        _sessions.Setup(s => s.GetMessagesAsync("s1", It.IsAny<CancellationToken>()))
            .ReturnsAsync([new SessionMessage { Id = "m1", SessionId = "s1", Role = MessageRoles.User, Content = "A private question" }]);
    }

    private AuditTrail Trail() => new(_log, _users.Object, _clock);

    [Fact]
    public async Task ReadingAConversationNeedsAReasonAndEveryReadIsLoggedWithTheSessionsUserAsSubject()
    {
        var access = new ConversationAccess(_sessions.Object, Trail());

        var e = await Assert.ThrowsAsync<ValidationException>(() => access.ReadAsync(Admin, "s1", null));
        Assert.Contains("reason", e.Errors.Keys);
        Assert.Empty(_log.Entries);

        var (session, messages) = await access.ReadAsync(Admin, "s1", "Report #12 about an answer");
        await access.ReadAsync(Admin, "s1", "Second look");

        Assert.Equal("s1", session.Id);
        Assert.Equal("A private question", Assert.Single(messages).Content);
        Assert.Equal(2, _log.Entries.Count); // two reads, two entries
        Assert.All(_log.Entries, x => Assert.Equal((AuditActions.ConversationRead, AuditTargets.Session, "s1", "u1"), (x.Action, x.TargetType, x.TargetId, x.SubjectUserId)));
        await Assert.ThrowsAsync<ForbiddenException>(() => access.ReadAsync(Uma, "s1", "Curious"));
        await Assert.ThrowsAsync<NotFoundException>(() => access.ReadAsync(Admin, "gone", "Report #13"));
        Assert.Equal(2, _log.Entries.Count);
    }

    [Fact]
    public async Task TheUserSeesWhoWhatWhenAndWhyAboutThemAndNothingAboutOthers()
    {
        var trail = Trail();
        await trail.RecordAsync(Admin, AuditActions.ConversationRead, AuditTargets.Session, "s1", "u1", "Report #12");
        await trail.RecordAsync(Admin, AuditActions.UserDisabled, AuditTargets.User, "u2", "u2", "Spam");
        await trail.RecordAsync(Admin with { UserId = "admin-gone" }, AuditActions.UserRolesChanged, AuditTargets.User, "u1", "u1", "Creator");

        var log = await trail.AccessLogAsync(Uma);

        Assert.Equal(2, log.Count);
        Assert.Equal(("CloneAI admin", AuditActions.UserRolesChanged), (log[0].Who, log[0].Action)); // an admin without a record: the role only
        Assert.Equal(("CloneAI admin (Ada Admin)", AuditActions.ConversationRead, "Report #12", _clock.Now), (log[1].Who, log[1].Action, log[1].Reason, log[1].At));
    }

    [Fact]
    public async Task TheLogIsForAdminsAndFiltersByActionAndTargetAcrossPages()
    {
        var trail = Trail();
        for (var i = 0; i < 5; i++)
        {
            await trail.RecordAsync(Admin, AuditActions.CloneFeatured, AuditTargets.Clone, $"c{i}", "owner", "Good");
            await trail.RecordAsync(Admin, AuditActions.UserDisabled, AuditTargets.User, $"u{i}", $"u{i}", "Spam");
        }

        await Assert.ThrowsAsync<ForbiddenException>(() => trail.ListAsync(Uma, null, null, null, null));
        var all = await trail.ListAsync(Admin, null, null, 4, null);
        Assert.Equal(4, all.Items.Count);
        Assert.NotNull(all.ContinuationToken);

        var first = await trail.ListAsync(Admin, AuditActions.UserDisabled, null, 3, null);
        Assert.Equal(["u4", "u3", "u2"], first.Items.Select(e => e.TargetId));
        var rest = await trail.ListAsync(Admin, AuditActions.UserDisabled, null, 3, first.ContinuationToken);
        Assert.Equal(["u1", "u0"], rest.Items.Select(e => e.TargetId));
        Assert.Null(rest.ContinuationToken);
        Assert.Equal(5, (await trail.ListAsync(Admin, null, AuditTargets.Clone, 50, null)).Items.Count);

        var bad = await Assert.ThrowsAsync<ValidationException>(() => trail.ListAsync(Admin, null, null, 0, null));
        Assert.Contains("pageSize", bad.Errors.Keys);
    }

    [Fact]
    public async Task ARetriedChangeWithTheSameIdIsStoredOnce()
    {
        var trail = Trail();
        var id = AuditTrail.ChangeId(AuditActions.CloneFeatured, "c1", _clock.Now);
        await trail.RecordAsync(Admin, AuditActions.CloneFeatured, AuditTargets.Clone, "c1", "owner", "Good", id: id);
        await trail.RecordAsync(Admin, AuditActions.CloneFeatured, AuditTargets.Clone, "c1", "owner", "Good", id: id);
        Assert.Single(_log.Entries);
    }
}
