using CloneAI.Core.Accounts;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Tests.Accounts;

public sealed class RefreshTests
{
    private readonly AccountHarness _h = new();

    private async Task<TokenPair> SignInAsync()
    {
        if (_h.UserRecords.Count == 0) _h.Seed();
        return await _h.Service.LoginAsync("alice@example.com", AccountHarness.GoodPassword);
    }

    [Fact]
    public async Task RefreshingTradesTheTokenForANewPairInTheSameFamily()
    {
        var login = await SignInAsync();

        var next = await _h.Service.RefreshAsync(login.RefreshToken);

        Assert.NotEqual(login.RefreshToken, next.RefreshToken);
        Assert.NotEqual(login.AccessToken, next.AccessToken);
        var old = _h.TokenRecords[Tokens.Hash(login.RefreshToken)];
        var fresh = _h.TokenRecords[Tokens.Hash(next.RefreshToken)];
        Assert.NotNull(old.UsedAt);
        Assert.Null(fresh.UsedAt);
        Assert.Equal(old.Family, fresh.Family);
    }

    [Fact]
    public async Task ASpentRefreshTokenUsedAgainRevokesTheWholeFamily()
    {
        var login = await SignInAsync();
        var rotated = await _h.Service.RefreshAsync(login.RefreshToken);
        _h.Time.Advance(TimeSpan.FromSeconds(_h.Options.RefreshReuseGraceSeconds + 1)); // past the grace window for two tabs

        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.RefreshAsync(login.RefreshToken));

        var family = _h.TokenRecords[Tokens.Hash(login.RefreshToken)].Family!;
        _h.Accounts.Verify(a => a.RevokeFamilyAsync(family, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Once);
        // The legitimate-looking newest token dies with it.
        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.RefreshAsync(rotated.RefreshToken));
    }

    [Fact]
    public async Task ReuseRevokesOnlyThatLoginsFamily()
    {
        var phone = await SignInAsync();
        var laptop = await SignInAsync();
        await _h.Service.RefreshAsync(phone.RefreshToken);
        _h.Time.Advance(TimeSpan.FromSeconds(_h.Options.RefreshReuseGraceSeconds + 1));

        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.RefreshAsync(phone.RefreshToken));

        var stillSignedIn = await _h.Service.RefreshAsync(laptop.RefreshToken);
        Assert.NotEmpty(stillSignedIn.AccessToken);
    }

    [Fact]
    public async Task AnExpiredRefreshTokenEndsTheSessionWithoutRevokingTheFamily()
    {
        var login = await SignInAsync();
        _h.Time.Advance(TimeSpan.FromDays(_h.Options.RefreshTokenDays + 1));

        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.RefreshAsync(login.RefreshToken));

        _h.Accounts.Verify(a => a.RevokeFamilyAsync(It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AnUnknownRefreshTokenIsUnauthorized()
    {
        await SignInAsync();

        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.RefreshAsync("made-up-token"));

        _h.Issuer.Verify(i => i.Issue(It.IsAny<Domain.User>()), Times.Once); // only the login's
    }

    [Fact]
    public async Task ARefreshTokenOfAUserWhoNoLongerExistsIsUnauthorized()
    {
        var login = await SignInAsync();
        _h.UserRecords.Clear();

        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.RefreshAsync(login.RefreshToken));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task ABlankRefreshTokenIsAValidationError(string? token)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _h.Service.RefreshAsync(token));

        Assert.Equal(["refreshToken"], e.Errors.Keys);
    }

    [Fact]
    public async Task AnOverlongRefreshTokenIsRejectedBeforeTheStoreIsAsked()
    {
        await Assert.ThrowsAsync<ValidationException>(() => _h.Service.RefreshAsync(new string('x', 201)));

        _h.Accounts.Verify(a => a.ConsumeTokenAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task LoggingOutRevokesEveryTokenRotatedFromThatLogin()
    {
        var login = await SignInAsync();
        var rotated = await _h.Service.RefreshAsync(login.RefreshToken);

        await _h.Service.LogoutAsync(rotated.RefreshToken);

        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.RefreshAsync(rotated.RefreshToken));
        Assert.All(_h.TokenRecords.Values, t => Assert.NotNull(t.UsedAt));
    }

    [Fact]
    public async Task LoggingOutLeavesOtherLoginsSignedIn()
    {
        var phone = await SignInAsync();
        var laptop = await SignInAsync();

        await _h.Service.LogoutAsync(phone.RefreshToken);

        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.RefreshAsync(phone.RefreshToken));
        Assert.NotEmpty((await _h.Service.RefreshAsync(laptop.RefreshToken)).AccessToken);
    }

    [Fact]
    public async Task LoggingOutWithAnUnknownTokenQuietlyDoesNothing()
    {
        await _h.Service.LogoutAsync("made-up-token");

        _h.Accounts.Verify(a => a.RevokeFamilyAsync(It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task TwoTabsRefreshingTheSameTokenAtOnceBothStaySignedIn()
    {
        var login = await SignInAsync();
        var first = await _h.Service.RefreshAsync(login.RefreshToken);
        _h.Time.Advance(TimeSpan.FromSeconds(2));

        var second = await _h.Service.RefreshAsync(login.RefreshToken);

        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        var family = _h.TokenRecords[Tokens.Hash(login.RefreshToken)].Family;
        Assert.Equal(family, _h.TokenRecords[Tokens.Hash(second.RefreshToken)].Family);
        _h.Accounts.Verify(a => a.RevokeFamilyAsync(It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.NotEmpty((await _h.Service.RefreshAsync(first.RefreshToken)).AccessToken);
        Assert.NotEmpty((await _h.Service.RefreshAsync(second.RefreshToken)).AccessToken);
    }

    [Fact]
    public async Task TheGraceWindowDoesNotReviveATokenOfALoginThatLoggedOut()
    {
        var login = await SignInAsync();
        var rotated = await _h.Service.RefreshAsync(login.RefreshToken);
        await _h.Service.LogoutAsync(rotated.RefreshToken);

        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.RefreshAsync(login.RefreshToken));
    }

    [Fact]
    public async Task LoggingOutGivesTheUserANewSecurityStamp()
    {
        var login = await SignInAsync();
        var user = _h.UserRecords.Values.Single();

        await _h.Service.LogoutAsync(login.RefreshToken);

        Assert.NotEqual(user.SecurityStamp, _h.UserRecords[user.Id].SecurityStamp);
    }

    [Fact]
    public async Task ADisabledAccountCannotRefresh()
    {
        var login = await SignInAsync();
        var user = _h.UserRecords.Values.Single();
        _h.UserRecords[user.Id] = user with { DisabledAt = _h.Time.GetUtcNow() };

        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.RefreshAsync(login.RefreshToken));
    }
}
