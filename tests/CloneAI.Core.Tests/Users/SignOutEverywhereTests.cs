using CloneAI.Core.Admin;
using CloneAI.Core.Auth;
using CloneAI.Core.Blobs;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Core.Tests.Users;

/// <summary>
/// Signing out everywhere: Entra tokens carry no security stamp, so in Entra mode a token issued (<c>iat</c>) before the user's
/// sessions were revoked is refused; local tokens are still judged by their stamp alone.
/// </summary>
public sealed class SignOutEverywhereTests
{
    private static readonly DateTimeOffset Revoked = new(2025, 3, 14, 9, 0, 0, 500, TimeSpan.Zero);

    private readonly Dictionary<string, User> _records = new(StringComparer.Ordinal);
    private readonly Mock<IUserStore> _users = new();
    private readonly FakeTimeProvider _time = new(Revoked);
    private readonly AuthOptions _options = new() { Mode = "entra" };
    private readonly UserService _service;

    public SignOutEverywhereTests()
    {
        _records["alice"] = new User { Id = "alice", Email = "alice@example.com", DisplayName = "Alice", SecurityStamp = "stamp-0", ETag = "1" };
        _users.Setup(u => u.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => _records.GetValueOrDefault(id));
        _users.Setup(u => u.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>())).ReturnsAsync((User u, CancellationToken _) => _records[u.Id] = u);
        _service = new UserService(_users.Object, Mock.Of<IBlobStore>(), Options.Create(_options), _time, NullLogger<UserService>.Instance);
    }

    private Task<Caller> ResolveAsync(DateTimeOffset? issuedAt, string? stamp = null) =>
        _service.ResolveCallerAsync(new TokenIdentity("alice", "alice@example.com", "Alice") { IssuedAt = issuedAt, SecurityStamp = stamp });

    private static DateTimeOffset Iat(DateTimeOffset at) => DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds()); // what a token carries

    [Fact]
    public async Task RevokingSessionsRecordsWhenWithANewStampAndDoingItAgainMovesTheTime()
    {
        await _service.RevokeSessionsAsync("alice");
        var first = _records["alice"];
        _time.Advance(TimeSpan.FromMinutes(3));
        await _service.RevokeSessionsAsync("alice");

        Assert.Equal(Revoked, first.SessionsRevokedAt);
        Assert.NotEqual("stamp-0", first.SecurityStamp);
        Assert.Equal(Revoked.AddMinutes(3), _records["alice"].SessionsRevokedAt);
        Assert.NotEqual(first.SecurityStamp, _records["alice"].SecurityStamp);
    }

    [Fact]
    public async Task InEntraModeATokenIssuedBeforeTheRevocationIsRefusedAndOneIssuedAfterIsAccepted()
    {
        Assert.Equal("alice", (await ResolveAsync(Iat(Revoked.AddMinutes(-10)))).UserId);
        await _service.RevokeSessionsAsync("alice");

        var refused = await Assert.ThrowsAsync<UnauthorizedException>(() => ResolveAsync(Iat(Revoked.AddMinutes(-10))));
        Assert.Equal("The session has ended. Sign in again.", refused.Message);
        // iat is in whole seconds: a token of the revocation's own second may have come before it, so it goes too.
        await Assert.ThrowsAsync<UnauthorizedException>(() => ResolveAsync(Iat(Revoked)));
        await Assert.ThrowsAsync<UnauthorizedException>(() => ResolveAsync(Iat(Revoked.AddMilliseconds(400))));
        Assert.Equal("alice", (await ResolveAsync(Iat(Revoked.AddSeconds(1)))).UserId);
        Assert.Equal("alice", (await ResolveAsync(Iat(Revoked.AddHours(1)))).UserId);
    }

    [Fact]
    public async Task InEntraModeATokenWithoutAnIssueTimeIsAcceptedUntilARevocationExists()
    {
        Assert.Equal("alice", (await ResolveAsync(issuedAt: null)).UserId);

        await _service.RevokeSessionsAsync("alice");

        await Assert.ThrowsAsync<UnauthorizedException>(() => ResolveAsync(issuedAt: null));
    }

    [Fact]
    public async Task LocalTokensAreStillJudgedByTheirStampAlone()
    {
        _options.Mode = "local";
        await _service.RevokeSessionsAsync("alice");
        var stamp = _records["alice"].SecurityStamp;

        // A token issued after the revocation carries the new stamp, whatever its iat says; one with the old stamp is refused.
        Assert.Equal("alice", (await ResolveAsync(Iat(Revoked.AddMinutes(-10)), stamp)).UserId);
        Assert.Equal("alice", (await ResolveAsync(issuedAt: null, stamp)).UserId);
        await Assert.ThrowsAsync<UnauthorizedException>(() => ResolveAsync(Iat(Revoked.AddMinutes(10)), "stamp-0"));
    }

    [Fact]
    public async Task AnAdminDisablingTheAccountEndsItsEntraSessionsSoEnablingItDoesNotBringOldTokensBack()
    {
        var audit = new Mock<CloneAI.Core.Audit.IAuditLog>();
        var admin = new AdminUsers(_users.Object, _service, Mock.Of<IUserDirectory>(), new AuditTrail(audit.Object, _users.Object, _time), _time, NullLogger<AdminUsers>.Instance);
        var boss = new Caller("boss", "boss@example.com", "Boss", IsAdmin: true, IsCreator: false);
        var before = Iat(Revoked.AddMinutes(-10));

        await admin.DisableAsync(boss, "alice", "Spam");
        await admin.EnableAsync(boss, "alice", "Appeal accepted");

        Assert.Equal(Revoked, _records["alice"].SessionsRevokedAt);
        await Assert.ThrowsAsync<UnauthorizedException>(() => ResolveAsync(before));
    }
}
