using CloneAI.Core.Accounts;
using CloneAI.Core.Auth;
using CloneAI.Core.Blobs;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Core.Tests.Users;

public sealed class UserServiceTests
{
    private readonly Mock<IUserStore> _users = new();
    private readonly Mock<IBlobStore> _blobs = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));
    private readonly AuthOptions _options = new() { Mode = "entra", AdminEmails = ["Boss@Example.com "] };
    private readonly UserService _service;

    private static readonly User Alice = new() { Id = "alice", Email = "alice@example.com", DisplayName = "Alice", Bio = "old bio", Expertise = ["math"], Timezone = "UTC", ETag = "1" };

    public UserServiceTests()
    {
        _users.Setup(u => u.GetAsync("alice", It.IsAny<CancellationToken>())).ReturnsAsync(Alice);
        _users.Setup(u => u.CreateAsync(It.IsAny<User>(), It.IsAny<CancellationToken>())).ReturnsAsync((User u, CancellationToken _) => u with { ETag = "1" });
        _users.Setup(u => u.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>())).ReturnsAsync((User u, CancellationToken _) => u);
        _service = new UserService(_users.Object, _blobs.Object, Options.Create(_options), _time, NullLogger<UserService>.Instance);
    }

    private static Caller CallerFor(User user) => new(user.Id, user.Email, user.DisplayName, false, user.IsCreator);

    [Fact]
    public async Task AnEntraUserIsProvisionedOnTheirFirstCall()
    {
        var caller = await _service.ResolveCallerAsync(new TokenIdentity("new-oid", " New.Person@Example.com", "  New Person "));

        _users.Verify(u => u.CreateAsync(It.Is<User>(x =>
            x.Id == "new-oid" && x.Email == "new.person@example.com" && x.DisplayName == "New Person" && x.EmailVerified && !x.IsCreator &&
            x.CreatedAt == _time.Start), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(new Caller("new-oid", "new.person@example.com", "New Person", false, false), caller);
    }

    [Fact]
    public async Task AnEntraUserWithoutAUsableEmailGetsAPlaceholderAddressAndName()
    {
        var caller = await _service.ResolveCallerAsync(new TokenIdentity("oid-7", "not an email", null));

        Assert.Equal("oid-7@users.invalid", caller.Email);
        Assert.Equal("oid-7", caller.DisplayName);
    }

    [Fact]
    public async Task AnOverlongEntraDisplayNameIsCutToTheMaximum()
    {
        var caller = await _service.ResolveCallerAsync(new TokenIdentity("oid-8", "x@example.com", new string('n', 200)));

        Assert.Equal(AccountService.MaxDisplayNameLength, caller.DisplayName.Length);
    }

    [Fact]
    public async Task AnEntraUserSeenBeforeIsNotProvisionedAgain()
    {
        var caller = await _service.ResolveCallerAsync(new TokenIdentity("alice", "other@example.com", "Other"));

        Assert.Equal("alice@example.com", caller.Email);
        _users.Verify(u => u.CreateAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ProvisioningThatLosesARaceUsesTheRecordThatWon()
    {
        var winner = Alice with { Id = "racer", Email = "racer@example.com" };
        _users.SetupSequence(u => u.GetAsync("racer", It.IsAny<CancellationToken>())).ReturnsAsync((User?)null).ReturnsAsync(winner);
        _users.Setup(u => u.CreateAsync(It.IsAny<User>(), It.IsAny<CancellationToken>())).ThrowsAsync(new ConflictException("exists"));

        var caller = await _service.ResolveCallerAsync(new TokenIdentity("racer", "racer@example.com", "Racer"));

        Assert.Equal("racer", caller.UserId);
    }

    [Fact]
    public async Task AnEntraTokenIssuedBeforeTheAccountWasDeletedDoesNotCreateItAgainButANewSignInDoes()
    {
        var deletedAt = _time.GetUtcNow().AddMinutes(-5);
        var deleted = new Mock<IDeletedAccounts>();
        deleted.Setup(d => d.DeletedAtAsync("leaver", It.IsAny<CancellationToken>())).ReturnsAsync(deletedAt);
        var service = new UserService(_users.Object, _blobs.Object, Options.Create(_options), _time, NullLogger<UserService>.Instance, deletedAccounts: deleted.Object);

        // The old token: issued before the deletion, and one that does not say when it was issued.
        await Assert.ThrowsAsync<UnauthorizedException>(() => service.ResolveCallerAsync(
            new TokenIdentity("leaver", "leaver@example.com", "Leaver") { IssuedAt = deletedAt.AddMinutes(-30) }));
        await Assert.ThrowsAsync<UnauthorizedException>(() => service.ResolveCallerAsync(new TokenIdentity("leaver", "leaver@example.com", "Leaver")));
        _users.Verify(u => u.CreateAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()), Times.Never);

        // A sign-in after the deletion starts a new, empty account.
        var caller = await service.ResolveCallerAsync(new TokenIdentity("leaver", "leaver@example.com", "Leaver") { IssuedAt = deletedAt.AddMinutes(1) });
        Assert.Equal("leaver", caller.UserId);
        _users.Verify(u => u.CreateAsync(It.Is<User>(n => n.Id == "leaver"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public void ADeletedAccountsKeyDoesNotContainTheId()
    {
        var key = DeletedAccountKeys.Of("u-0123456789abcdef");
        Assert.Equal(64, key.Length);
        Assert.DoesNotContain("0123456789abcdef", key, StringComparison.Ordinal);
        Assert.Equal(key, DeletedAccountKeys.Of("u-0123456789abcdef"));
        Assert.NotEqual(key, DeletedAccountKeys.Of("u-0123456789abcdee"));
    }

    [Fact]
    public async Task ALocalTokenForAnUnknownSubjectIsUnauthorizedAndCreatesNobody()
    {
        _options.Mode = "local";

        await Assert.ThrowsAsync<UnauthorizedException>(() => _service.ResolveCallerAsync(new TokenIdentity("ghost", "ghost@example.com", "Ghost")));

        _users.Verify(u => u.CreateAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("boss@example.com", true)]
    [InlineData("BOSS@EXAMPLE.COM", true)]
    [InlineData("alice@example.com", false)]
    [InlineData("boss@example.com.evil", false)]
    public void LocallyAdminsAreTheConfiguredEmailsWhateverTheirCase(string email, bool isAdmin)
    {
        _options.Mode = "local";
        var caller = _service.ToCaller(Alice with { Email = email });

        Assert.Equal(isAdmin, caller.IsAdmin);
    }

    [Fact]
    public void AnAdminHasEveryRoleAndACreatorHasTwo()
    {
        _options.Mode = "local";
        Assert.Equal([Roles.User, Roles.Creator, Roles.Admin], _service.ToCaller(Alice with { Email = "boss@example.com" }).Roles);
        Assert.Equal([Roles.User, Roles.Creator], _service.ToCaller(Alice with { IsCreator = true }).Roles);
        Assert.Equal([Roles.User], _service.ToCaller(Alice).Roles);
    }

    [Theory]
    [InlineData("displayName")]
    [InlineData("bio")]
    [InlineData("expertise")]
    [InlineData("timezone")]
    public async Task AnInvalidProfileFieldIsReportedUnderItsOwnNameAndNothingIsSaved(string field)
    {
        var update = field switch
        {
            "displayName" => new ProfileUpdate("   ", null, null, null),
            "bio" => new ProfileUpdate(null, new string('b', UserService.MaxBio + 1), null, null),
            "expertise" => new ProfileUpdate(null, null, Enumerable.Range(0, UserService.MaxExpertise + 1).Select(i => $"topic {i}").ToList(), null),
            _ => new ProfileUpdate(null, null, null, "Mars/Olympus_Mons"),
        };

        var e = await Assert.ThrowsAsync<ValidationException>(() => _service.UpdateProfileAsync(CallerFor(Alice), update));

        Assert.Equal([field], e.Errors.Keys);
        _users.Verify(u => u.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("")]
    [InlineData("this entry is far too long to be an area of expertise")]
    public async Task EachExpertiseEntryNeedsOneToFortyCharacters(string entry)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() =>
            _service.UpdateProfileAsync(CallerFor(Alice), new ProfileUpdate(null, null, ["math", entry], null)));

        Assert.Contains("40", Assert.Single(e.Errors["expertise"]));
    }

    [Fact]
    public async Task AnOverlongDisplayNameIsRejected()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() =>
            _service.UpdateProfileAsync(CallerFor(Alice), new ProfileUpdate(new string('d', AccountService.MaxDisplayNameLength + 1), null, null, null)));

        Assert.Equal(["displayName"], e.Errors.Keys);
    }

    [Theory]
    [InlineData("Not/AZone")]
    [InlineData("../../etc/passwd")]
    [InlineData("Europe/Paris; DROP TABLE")]
    public async Task AnUnknownTimezoneIsAValidationError(string timezone)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() =>
            _service.UpdateProfileAsync(CallerFor(Alice), new ProfileUpdate(null, null, null, timezone)));

        Assert.Equal(["timezone"], e.Errors.Keys);
    }

    // On Linux a name that is a folder of the tz database ("Europe", "Etc") once made FindSystemTimeZoneById throw
    // SecurityException, which escaped as a 500.
    [Theory]
    [InlineData("Europe")]
    [InlineData("Etc")]
    public async Task ATimezoneThatNamesAFolderOfTheTimezoneDatabaseIsAValidationErrorNotACrash(string timezone)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() =>
            _service.UpdateProfileAsync(CallerFor(Alice), new ProfileUpdate(null, null, null, timezone)));

        Assert.Equal(["timezone"], e.Errors.Keys);
    }

    [Fact]
    public async Task AValidProfileUpdateChangesOnlyTheFieldsGivenAndCleansExpertise()
    {
        _time.Advance(TimeSpan.FromHours(1));

        var user = await _service.UpdateProfileAsync(CallerFor(Alice), new ProfileUpdate("  Alice L. ", null, [" Math ", "math", "Physics"], "Europe/Paris"));

        Assert.Equal("Alice L.", user.DisplayName);
        Assert.Equal("old bio", user.Bio);
        Assert.Equal(["Math", "Physics"], user.Expertise);
        Assert.Equal("Europe/Paris", user.Timezone);
        Assert.Equal(_time.Start.AddHours(1), user.UpdatedAt);
        Assert.Equal("1", user.ETag); // the concurrency token read is the one sent back
    }

    [Fact]
    public async Task BecomingACreatorSetsTheRoleOnce()
    {
        var user = await _service.BecomeCreatorAsync(CallerFor(Alice));
        Assert.True(user.IsCreator);

        _users.Setup(u => u.GetAsync("alice", It.IsAny<CancellationToken>())).ReturnsAsync(user);
        await _service.BecomeCreatorAsync(CallerFor(user));

        _users.Verify(u => u.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task AnAvatarIsStoredAsAPngUnderTheUsersPath()
    {
        var user = await _service.SetAvatarAsync(CallerFor(Alice), TestImages.Make(40, 40, SkiaSharp.SKEncodedImageFormat.Jpeg));

        Assert.Equal("avatars/users/alice.png", user.AvatarBlob);
        _blobs.Verify(b => b.PutAsync("avatars/users/alice.png", It.Is<byte[]>(d => d[0] == 0x89 && d[1] == (byte)'P'), "image/png", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task AnInvalidAvatarIsRejectedBeforeAnythingIsStored()
    {
        await Assert.ThrowsAsync<ValidationException>(() => _service.SetAvatarAsync(CallerFor(Alice), "GIF89a not really"u8.ToArray()));

        _blobs.Verify(b => b.PutAsync(It.IsAny<string>(), It.IsAny<byte[]>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _users.Verify(u => u.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AUserWithoutAnAvatarHasNone()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _service.GetAvatarAsync("alice"));
        await Assert.ThrowsAsync<NotFoundException>(() => _service.GetAvatarAsync("nobody"));
    }

    [Fact]
    public async Task AStyleIsStoredAndAnEmptyOneClearsIt()
    {
        var user = await _service.UpdateProfileAsync(CallerFor(Alice), new ProfileUpdate(null, null, null, null)
        {
            Style = new CommunicationStyle { Length = CommunicationStyle.Concise, Tone = CommunicationStyle.Formal },
        });
        Assert.Equal(new CommunicationStyle { Length = "concise", Tone = "formal" }, user.Style);
        Assert.Equal("old bio", user.Bio);

        var cleared = await _service.UpdateProfileAsync(CallerFor(Alice with { Style = user.Style }), new ProfileUpdate(null, null, null, null) { Style = new CommunicationStyle() });
        Assert.Null(cleared.Style);
    }

    [Fact]
    public async Task AnUpdateWithoutAStyleKeepsTheStoredOne()
    {
        var styled = Alice with { Style = new CommunicationStyle { Tone = CommunicationStyle.Casual } };
        _users.Setup(u => u.GetAsync("alice", It.IsAny<CancellationToken>())).ReturnsAsync(styled);

        var user = await _service.UpdateProfileAsync(CallerFor(Alice), new ProfileUpdate(null, "new bio", null, null));

        Assert.Equal(styled.Style, user.Style);
    }

    [Fact]
    public async Task AnUnknownLengthOrToneIsReportedPerPartAndNothingIsSaved()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _service.UpdateProfileAsync(CallerFor(Alice),
            new ProfileUpdate(null, null, null, null) { Style = new CommunicationStyle { Length = "medium", Tone = "rude" } }));

        Assert.Equal(["style.length", "style.tone"], e.Errors.Keys.Order());
        _users.Verify(u => u.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task InEntraModeTheEmailClaimNeverMakesAnAdminButTheAdminAppRoleDoes()
    {
        var boss = Alice with { Id = "boss", Email = "boss@example.com" };
        _users.Setup(u => u.GetAsync("boss", It.IsAny<CancellationToken>())).ReturnsAsync(boss);

        var byEmail = await _service.ResolveCallerAsync(new TokenIdentity("boss", "boss@example.com", "Boss"));
        var byOtherRole = await _service.ResolveCallerAsync(new TokenIdentity("boss", "boss@example.com", "Boss") { Roles = ["Reader", "admin"] });
        var byRole = await _service.ResolveCallerAsync(new TokenIdentity("alice", "alice@example.com", "Alice") { Roles = ["Reader", "Admin"] });

        Assert.False(byEmail.IsAdmin);
        Assert.False(byOtherRole.IsAdmin); // app role values are matched exactly
        Assert.True(byRole.IsAdmin);
    }

    [Fact]
    public async Task TheAdminAppRoleIsASetting()
    {
        _options.AdminAppRole = "CloneAI.Admin";

        Assert.False((await _service.ResolveCallerAsync(new TokenIdentity("alice", null, null) { Roles = ["Admin"] })).IsAdmin);
        Assert.True((await _service.ResolveCallerAsync(new TokenIdentity("alice", null, null) { Roles = ["CloneAI.Admin"] })).IsAdmin);
    }

    [Fact]
    public async Task LocallyARolesClaimMakesNobodyAnAdmin()
    {
        _options.Mode = "local";

        var caller = await _service.ResolveCallerAsync(new TokenIdentity("alice", null, null) { Roles = ["Admin"] });

        Assert.False(caller.IsAdmin);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("entra")]
    public void AnAdminGrantedInTheConsoleIsAnAdminInBothModes(string mode)
    {
        _options.Mode = mode;

        Assert.True(_service.ToCaller(Alice with { IsAdmin = true }).IsAdmin);
    }

    [Fact]
    public async Task ALocalTokenWhoseSecurityStampNoLongerMatchesIsRefused()
    {
        _options.Mode = "local";
        _users.Setup(u => u.GetAsync("alice", It.IsAny<CancellationToken>())).ReturnsAsync(Alice with { SecurityStamp = "new" });

        await Assert.ThrowsAsync<UnauthorizedException>(() => _service.ResolveCallerAsync(new TokenIdentity("alice", null, null) { SecurityStamp = "old" }));
        await Assert.ThrowsAsync<UnauthorizedException>(() => _service.ResolveCallerAsync(new TokenIdentity("alice", null, null)));
        Assert.Equal("alice", (await _service.ResolveCallerAsync(new TokenIdentity("alice", null, null) { SecurityStamp = "new" })).UserId);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("entra")]
    public async Task EveryRequestOfADisabledAccountIsForbidden(string mode)
    {
        _options.Mode = mode;
        _users.Setup(u => u.GetAsync("alice", It.IsAny<CancellationToken>())).ReturnsAsync(Alice with { DisabledAt = _time.GetUtcNow() });

        var e = await Assert.ThrowsAsync<ForbiddenException>(() => _service.ResolveCallerAsync(new TokenIdentity("alice", null, null) { SecurityStamp = "" }));

        Assert.Contains("disabled", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokingSessionsGivesANewStampAndRevokesEveryRefreshToken()
    {
        var refreshTokens = new Mock<IRefreshTokenRevoker>();
        User? saved = null;
        _users.Setup(u => u.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>())).ReturnsAsync((User u, CancellationToken _) => saved = u);
        var service = new UserService(_users.Object, _blobs.Object, Options.Create(_options), _time, NullLogger<UserService>.Instance, refreshTokens.Object);

        await service.RevokeSessionsAsync("alice");

        Assert.NotNull(saved);
        Assert.NotEqual(Alice.SecurityStamp, saved.SecurityStamp);
        Assert.False(string.IsNullOrEmpty(saved.SecurityStamp));
        refreshTokens.Verify(a => a.RevokeAllAsync("alice", _time.GetUtcNow(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task DisablingRecordsTheReasonAndEndsTheSessionsAndEnablingClearsIt()
    {
        User? saved = null;
        _users.Setup(u => u.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>())).ReturnsAsync((User u, CancellationToken _) => saved = u);

        var disabled = await _service.DisableAsync("alice", "spam");

        Assert.Equal(_time.GetUtcNow(), disabled.DisabledAt);
        Assert.Equal("spam", disabled.DisabledReason);
        Assert.NotEqual(Alice.SecurityStamp, disabled.SecurityStamp);
        _users.Setup(u => u.GetAsync("alice", It.IsAny<CancellationToken>())).ReturnsAsync(disabled);
        var enabled = await _service.EnableAsync("alice");
        Assert.Null(enabled.DisabledAt);
        Assert.Null(enabled.DisabledReason);
    }

    [Theory]
    [InlineData("Bob\\u0000\\u001b]0;pwned\\u0007", "Bob]0;pwned")]
    [InlineData("\\u202Eboj\\u202C \\u2067x\\u2069", "boj x")]
    [InlineData("B\\u200Bo\\u200Cb\\u2060", "Bob")]
    [InlineData("ｂｏｂ", "bob")]
    public async Task AProfileDisplayNameIsCleanedOfControlBidiAndZeroWidthCharacters(string raw, string stored)
    {
        var updated = await _service.UpdateProfileAsync(CallerFor(Alice), new ProfileUpdate(System.Text.RegularExpressions.Regex.Unescape(raw), null, null, null));

        Assert.Equal(stored, updated.DisplayName);
    }

    [Fact]
    public async Task AProfileDisplayNameOfOnlyInvisibleCharactersIsAFieldError()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() =>
            _service.UpdateProfileAsync(CallerFor(Alice), new ProfileUpdate("\u200B\u202E\u0000", null, null, null)));

        Assert.Equal(["displayName"], e.Errors.Keys);
        _users.Verify(u => u.ReplaceAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AnEntraDisplayNameIsCleanedWhenTheUserIsProvisioned()
    {
        var caller = await _service.ResolveCallerAsync(new TokenIdentity("oid-9", "n@example.com", "\u202Eevil\u0000"));

        Assert.Equal("evil", caller.DisplayName);
    }
}
