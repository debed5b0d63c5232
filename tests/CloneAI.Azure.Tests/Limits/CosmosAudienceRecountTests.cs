using CloneAI.Azure.Chat;
using CloneAI.Azure.Clones;
using CloneAI.Azure.Tests.Cosmos;
using CloneAI.Core.Admin;
using CloneAI.Core.Audit;
using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloneAI.Azure.Tests.Limits;

/// <summary>
/// Finding 4 in Azure: Cosmos data stored before the fix kept per-session counts. The recount over the containers (with
/// Cosmos's semantics) counts one user's three sessions once with their latest rating, leaves the owner's own sessions out,
/// keeps what the live code already recorded, and changes nothing when run again.
/// </summary>
public sealed class CosmosAudienceRecountTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly Caller Admin = new("admin-1", "admin@example.com", "Admin", IsAdmin: true, IsCreator: false);

    private readonly InMemoryContainer _sessions = new("sessionId", typeof(SessionItem));
    private readonly InMemoryContainer _memories = new("userId", typeof(CloneAudienceDocument));
    private readonly InMemoryContainer _clones = new("id", typeof(Clone));
    private readonly List<AuditEntry> _audit = [];
    private readonly AudienceRecount _recount;

    public CosmosAudienceRecountTests()
    {
        var log = new Mock<IAuditLog>();
        log.Setup(l => l.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => _audit.Add(e)).Returns(Task.CompletedTask);
        var store = new CosmosCloneStore(_clones.Object, new Mock<Container>(MockBehavior.Strict).Object, new Mock<Database>(MockBehavior.Strict).Object, TimeProvider.System);
        _recount = new AudienceRecount(new CosmosAudienceRecountSource(_sessions.Object, _memories.Object, _clones.Object), store,
            new AuditTrail(log.Object, Mock.Of<IUserStore>(), TimeProvider.System), NullLogger<AudienceRecount>.Instance);
    }

    private async Task CloneAsync(string id, int sessionCount, double rating, int ratingCount) =>
        await _clones.Object.CreateItemAsync(new Clone
        {
            Id = id, Slug = id, OwnerId = "owner", Name = "Clone " + id, Category = "science", Status = CloneStatus.Published,
            SessionCount = sessionCount, Rating = rating, RatingCount = ratingCount,
        }, new PartitionKey(id));

    private int _minutes;

    private async Task<string> SessionAsync(string cloneId, string user, int? stars, DateTimeOffset? ratedAt = null, int messages = 2, bool preview = false,
        string status = SessionStatus.Ended)
    {
        var at = T0.AddMinutes(_minutes += 10);
        var id = $"s-{user}-{_minutes}";
        await new CosmosSessionStore(_sessions.Object).CreateAsync(new ChatSession
        {
            Id = id, UserId = user, CloneId = cloneId, CloneName = "Clone " + cloneId, OwnerId = "owner", Status = status,
            StartedAt = at, LastActivityAt = at.AddMinutes(5), EndedAt = status == SessionStatus.Ended ? at.AddMinutes(5) : null,
            MessageCount = messages, Rating = stars, RatedAt = ratedAt, Preview = preview,
        }, null);
        return id;
    }

    private async Task SeedOldDataAsync()
    {
        // Counted the old way: every used session, every rating (the owner's too).
        await CloneAsync("c-1", sessionCount: 8, rating: 4.0, ratingCount: 7);
        await CloneAsync("c-2", sessionCount: 2, rating: 5, ratingCount: 2);
        // One user, three sessions, three ratings: the third session is the latest started, the second the latest rated.
        await SessionAsync("c-1", "u-1", 5, ratedAt: T0.AddHours(1));
        await SessionAsync("c-1", "u-1", 4, ratedAt: T0.AddHours(5));
        await SessionAsync("c-1", "u-1", 2, ratedAt: T0.AddHours(3));
        // Another user rated before ratings had a time: their session's last activity stands for it.
        await SessionAsync("c-1", "u-2", 3);
        // Not counted: a session without a question, a session still running (counted when it ends), the owner's own.
        await SessionAsync("c-1", "u-3", null, messages: 0);
        await SessionAsync("c-1", "u-5", null, status: SessionStatus.Active);
        await SessionAsync("c-1", "owner", 5, ratedAt: T0.AddHours(2));
        await SessionAsync("c-1", "owner", null, preview: true);
        await SessionAsync("c-2", "owner", 5, ratedAt: T0.AddHours(2));
        await SessionAsync("c-2", "owner", 5, ratedAt: T0.AddHours(2));
        // A user the live code already counted after the upgrade: their record stands.
        var live = await SessionAsync("c-1", "u-4", 5, ratedAt: T0.AddDays(2));
        await new CosmosCloneAudienceStore(_memories.Object).AddUserAsync("c-1", "u-4");
        await new CosmosCloneAudienceStore(_memories.Object).SetRatingAsync("c-1", "u-4", 5, live, T0.AddDays(2));
    }

    private async Task<Clone> ReadCloneAsync(string id) => (await _clones.Object.ReadItemAsync<Clone>(id, new PartitionKey(id))).Resource;

    [Fact]
    public async Task OneUsersThreeSessionsCountOnceWithTheirLatestRatingAndTheOwnersOwnAreLeftOut()
    {
        await SeedOldDataAsync();

        var result = await _recount.RunAsync(Admin, "After upgrading to distinct-user popularity");

        var c1 = await ReadCloneAsync("c-1");
        Assert.Equal((3, 3, 4.0), (c1.SessionCount, c1.RatingCount, c1.Rating)); // u-1 (4), u-2 (3), u-4 (5)
        var c2 = await ReadCloneAsync("c-2");
        Assert.Equal((0, 0, 0.0), (c2.SessionCount, c2.RatingCount, c2.Rating));
        Assert.Equal(new AudienceRecountResult(Clones: 2, ClonesChanged: 2, Users: 3, Ratings: 3, RecordsWritten: 2), result);

        var u1 = Assert.Single(await new CosmosCloneAudienceStore(_memories.Object).ListByUserAsync("u-1"));
        Assert.Equal((true, 4), (u1.Counted, u1.Stars));
        Assert.Equal(T0.AddHours(5), u1.RatedAt);
        var u2 = Assert.Single(await new CosmosCloneAudienceStore(_memories.Object).ListByUserAsync("u-2"));
        Assert.Equal((true, 3), (u2.Counted, u2.Stars));
        Assert.Empty(await new CosmosCloneAudienceStore(_memories.Object).ListByUserAsync("owner"));
        Assert.Empty(await new CosmosCloneAudienceStore(_memories.Object).ListByUserAsync("u-3"));
        Assert.Empty(await new CosmosCloneAudienceStore(_memories.Object).ListByUserAsync("u-5"));

        var entry = Assert.Single(_audit);
        Assert.Equal((AuditActions.AudienceRecounted, AuditTargets.Maintenance, "admin-1"), (entry.Action, entry.TargetType, entry.ActorId));
        Assert.Equal("After upgrading to distinct-user popularity", entry.Reason);
        Assert.Contains("clones=2", entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunningItAgainGivesTheSameResultAndWritesNothing()
    {
        await SeedOldDataAsync();
        await _recount.RunAsync(Admin, "First run");
        var documents = _memories.Documents().Select(d => d.ToJsonString()).Order(StringComparer.Ordinal).ToList();
        var clones = _clones.Documents().Select(d => d.ToJsonString()).Order(StringComparer.Ordinal).ToList();

        var again = await _recount.RunAsync(Admin, "Second run");

        Assert.Equal(new AudienceRecountResult(Clones: 2, ClonesChanged: 0, Users: 3, Ratings: 3, RecordsWritten: 0), again);
        Assert.Equal(documents, _memories.Documents().Select(d => d.ToJsonString()).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(clones, _clones.Documents().Select(d => d.ToJsonString()).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(2, _audit.Count);
    }

    [Fact]
    public async Task OnlyAdminsRecountAndEveryRunNeedsAReason()
    {
        await SeedOldDataAsync();
        await Assert.ThrowsAsync<ForbiddenException>(() => _recount.RunAsync(Admin with { IsAdmin = false }, "Mine"));
        await Assert.ThrowsAsync<ValidationException>(() => _recount.RunAsync(Admin, "  "));
        Assert.Equal(8, (await ReadCloneAsync("c-1")).SessionCount);
        Assert.Empty(_audit);
    }
}
