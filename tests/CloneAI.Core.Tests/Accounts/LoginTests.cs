using CloneAI.Core.Accounts;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Tests.Accounts;

public sealed class LoginTests
{
    private readonly AccountHarness _h = new();

    [Fact]
    public async Task SigningInWithTheRightPasswordReturnsAnAccessTokenAndARefreshToken()
    {
        var user = _h.Seed();

        var pair = await _h.Service.LoginAsync("alice@example.com", AccountHarness.GoodPassword);

        Assert.StartsWith($"access-{user.Id}-", pair.AccessToken, StringComparison.Ordinal);
        Assert.Equal(900, pair.ExpiresIn);
        var refresh = _h.TokenRecords[Tokens.Hash(pair.RefreshToken)];
        Assert.Equal(TokenKinds.Refresh, refresh.Kind);
        Assert.Equal(user.Id, refresh.UserId);
        Assert.NotNull(refresh.Family);
        Assert.Equal(_h.Time.Start.AddDays(_h.Options.RefreshTokenDays), refresh.ExpiresAt);
    }

    [Fact]
    public async Task TheEmailIsMatchedWhateverItsCaseAndSurroundingSpaces()
    {
        _h.Seed();

        var pair = await _h.Service.LoginAsync("  ALICE@example.COM ", AccountHarness.GoodPassword);

        Assert.NotEmpty(pair.AccessToken);
    }

    [Fact]
    public async Task AWrongPasswordIsUnauthorizedAndCountsAsAFailedSignIn()
    {
        var user = _h.Seed();

        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync(user.Email, "wrong password!"));

        Assert.Equal(1, _h.CredentialOf(user).FailedLogins);
        _h.Issuer.Verify(i => i.Issue(It.IsAny<Domain.User>()), Times.Never);
    }

    [Fact]
    public async Task AnUnknownEmailGetsTheSameAnswerAsAWrongPassword()
    {
        var user = _h.Seed();
        var wrongPassword = await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync(user.Email, "wrong password!"));

        var unknown = await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync("nobody@example.com", AccountHarness.GoodPassword));

        Assert.Equal(wrongPassword.Message, unknown.Message);
    }

    [Fact]
    public async Task AnUnverifiedAccountCannotSignInEvenWithTheRightPassword()
    {
        var user = _h.Seed(verified: false);

        await Assert.ThrowsAsync<ForbiddenException>(() => _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword));

        Assert.Empty(_h.TokenRecords);
    }

    [Theory]
    [InlineData(null, "x", "email")]
    [InlineData("alice@example.com", "", "password")]
    public async Task AMissingEmailOrPasswordIsAValidationError(string? email, string? password, string field)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _h.Service.LoginAsync(email, password));

        Assert.Equal([field], e.Errors.Keys);
    }

    [Fact]
    public async Task AfterTheThresholdOfWrongPasswordsTheAccountIsLockedEvenForTheRightPassword()
    {
        var user = _h.Seed();
        for (var i = 0; i < _h.Options.LockoutThreshold; i++)
            await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync(user.Email, "wrong password!"));

        await Assert.ThrowsAsync<LockedOutException>(() => _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword));

        Assert.Equal(_h.Time.Start.AddMinutes(_h.Options.LockoutMinutes), _h.CredentialOf(user).LockedUntil);
        Assert.Empty(_h.TokenRecords);
    }

    [Fact]
    public async Task OneFailureFewerThanTheThresholdDoesNotLock()
    {
        _h.Options.LockoutThreshold = 3;
        var user = _h.Seed();
        for (var i = 0; i < 2; i++)
            await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync(user.Email, "wrong password!"));

        var pair = await _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword);

        Assert.NotEmpty(pair.RefreshToken);
    }

    [Fact]
    public async Task TheLockLiftsWhenTheLockoutPeriodHasPassed()
    {
        var user = _h.Seed();
        for (var i = 0; i < _h.Options.LockoutThreshold; i++)
            await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync(user.Email, "wrong password!"));
        _h.Time.Advance(TimeSpan.FromMinutes(_h.Options.LockoutMinutes) + TimeSpan.FromSeconds(1));

        var pair = await _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword);

        Assert.NotEmpty(pair.AccessToken);
        Assert.Null(_h.CredentialOf(user).LockedUntil);
    }

    [Fact]
    public async Task ASuccessfulSignInResetsTheFailureCounter()
    {
        var user = _h.Seed();
        for (var i = 0; i < _h.Options.LockoutThreshold - 1; i++)
            await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync(user.Email, "wrong password!"));

        await _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword);

        Assert.Equal(0, _h.CredentialOf(user).FailedLogins);
        // One more failure must not lock: the earlier ones no longer count.
        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync(user.Email, "wrong password!"));
        Assert.Null(_h.CredentialOf(user).LockedUntil);
    }

    [Fact]
    public async Task EachSignInStartsANewRefreshTokenFamily()
    {
        _h.Seed();

        var first = await _h.Service.LoginAsync("alice@example.com", AccountHarness.GoodPassword);
        var second = await _h.Service.LoginAsync("alice@example.com", AccountHarness.GoodPassword);

        Assert.NotEqual(_h.TokenRecords[Tokens.Hash(first.RefreshToken)].Family, _h.TokenRecords[Tokens.Hash(second.RefreshToken)].Family);
    }
}
