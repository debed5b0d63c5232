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
    public async Task AWrongPasswordIsUnauthorizedAndCountsAsAFailedSignInOfThatAddressAndClient()
    {
        var user = _h.Seed();

        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync(user.Email, "wrong password!", Stranger));

        Assert.Equal(1, _h.LoginFailures[SignInGuard.AccountPrefix(user.Email) + Stranger].Failures);
        Assert.Equal(1, _h.LoginFailures[$"client:{Stranger}"].Failures);
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
    public async Task AfterTheThresholdOfWrongPasswordsTheRightPasswordFromThatClientMustWaitAndIsNotChecked()
    {
        var user = _h.Seed();
        await FailAsync(user.Email, Stranger, _h.Throttle.LoginFailuresBeforeSlowDown);

        var e = await Assert.ThrowsAsync<TooManyRequestsException>(() => _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword, Stranger));

        Assert.Equal(TimeSpan.FromSeconds(_h.Throttle.SlowDownBaseSeconds), e.RetryAfter);
        Assert.Empty(_h.TokenRecords);
    }

    [Fact]
    public async Task EachFurtherFailureDoublesTheWaitUpToTheLongest()
    {
        _h.Throttle.SlowDownMaxSeconds = 10;
        var user = _h.Seed();
        await FailAsync(user.Email, Stranger, _h.Throttle.LoginFailuresBeforeSlowDown);

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            var e = await Assert.ThrowsAsync<TooManyRequestsException>(() => _h.Service.LoginAsync(user.Email, "wrong password!", Stranger));
            waits.Add(e.RetryAfter);
            _h.Time.Advance(e.RetryAfter);
            await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync(user.Email, "wrong password!", Stranger));
        }

        Assert.Equal([2, 4, 8, 10], waits.Select(w => (int)w.TotalSeconds));
    }

    [Fact]
    public async Task AStrangerGuessingFromAnotherClientCannotLockTheOwnerOut()
    {
        var user = _h.Seed();
        await FailAsync(user.Email, Stranger, 12, advance: true);
        await Assert.ThrowsAsync<TooManyRequestsException>(() => _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword, Stranger));

        var pair = await _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword, Owner);

        Assert.NotEmpty(pair.AccessToken);
    }

    [Fact]
    public async Task OneClientGuessingManyAccountsIsSlowedDownOnEveryAccount()
    {
        _h.Throttle.ClientLoginFailuresBeforeSlowDown = 4;
        for (var i = 0; i < 4; i++)
            await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync($"victim{i}@example.com", "wrong password!", Stranger));
        _h.Seed("fresh@example.com");

        await Assert.ThrowsAsync<TooManyRequestsException>(() => _h.Service.LoginAsync("fresh@example.com", AccountHarness.GoodPassword, Stranger));
        Assert.NotEmpty((await _h.Service.LoginAsync("fresh@example.com", AccountHarness.GoodPassword, Owner)).AccessToken);
    }

    [Fact]
    public async Task AnUnknownAddressIsSlowedDownExactlyLikeARealOne()
    {
        var user = _h.Seed();
        await FailAsync(user.Email, Stranger, _h.Throttle.LoginFailuresBeforeSlowDown);
        await FailAsync("nobody@example.com", Stranger, _h.Throttle.LoginFailuresBeforeSlowDown);

        var real = await Assert.ThrowsAsync<TooManyRequestsException>(() => _h.Service.LoginAsync(user.Email, "wrong password!", Stranger));
        var unknown = await Assert.ThrowsAsync<TooManyRequestsException>(() => _h.Service.LoginAsync("nobody@example.com", "wrong password!", Stranger));

        Assert.Equal(real.Message, unknown.Message);
        Assert.Equal(real.RetryAfter, unknown.RetryAfter);
    }

    [Fact]
    public async Task ConcurrentWrongPasswordsCheckNoMoreThanTheAllowedNumber()
    {
        var user = _h.Seed();

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(async () =>
        {
            try { await _h.Service.LoginAsync(user.Email, "wrong password!", Stranger); return 200; }
            catch (UnauthorizedException) { return 401; }
            catch (TooManyRequestsException) { return 429; }
        })));

        Assert.Equal(_h.Throttle.LoginFailuresBeforeSlowDown, results.Count(r => r == 401));
        Assert.Equal(30 - _h.Throttle.LoginFailuresBeforeSlowDown, results.Count(r => r == 429));
    }

    [Fact]
    public async Task OneFailureFewerThanTheThresholdDoesNotSlowDown()
    {
        _h.Throttle.LoginFailuresBeforeSlowDown = 3;
        var user = _h.Seed();
        await FailAsync(user.Email, Stranger, 2);

        var pair = await _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword, Stranger);

        Assert.NotEmpty(pair.RefreshToken);
    }

    [Fact]
    public async Task TheWaitEndsAfterRetryAfter()
    {
        var user = _h.Seed();
        await FailAsync(user.Email, Stranger, _h.Throttle.LoginFailuresBeforeSlowDown);
        var e = await Assert.ThrowsAsync<TooManyRequestsException>(() => _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword, Stranger));
        _h.Time.Advance(e.RetryAfter);

        var pair = await _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword, Stranger);

        Assert.NotEmpty(pair.AccessToken);
        Assert.False(_h.LoginFailures.ContainsKey(SignInGuard.AccountPrefix(user.Email) + Stranger));
    }

    [Fact]
    public async Task ASuccessfulSignInResetsTheFailureCounter()
    {
        var user = _h.Seed();
        await FailAsync(user.Email, Owner, _h.Throttle.LoginFailuresBeforeSlowDown - 1);

        await _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword, Owner);

        // As many failures again must not slow down: the earlier ones no longer count.
        await FailAsync(user.Email, Owner, _h.Throttle.LoginFailuresBeforeSlowDown - 1);
        Assert.NotEmpty((await _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword, Owner)).AccessToken);
    }

    [Fact]
    public async Task ADisabledAccountGetsTheSameFailureAsAWrongPasswordEvenWithTheRightOne()
    {
        var user = _h.Seed();
        _h.UserRecords[user.Id] = user with { DisabledAt = _h.Time.GetUtcNow(), DisabledReason = "spam" };

        var disabled = await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword));
        var wrong = await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync("nobody@example.com", "wrong password!"));

        Assert.Equal(wrong.Message, disabled.Message);
        Assert.Empty(_h.TokenRecords);
    }

    [Fact]
    public async Task EachSignInStartsANewRefreshTokenFamily()
    {
        _h.Seed();

        var first = await _h.Service.LoginAsync("alice@example.com", AccountHarness.GoodPassword);
        var second = await _h.Service.LoginAsync("alice@example.com", AccountHarness.GoodPassword);

        Assert.NotEqual(_h.TokenRecords[Tokens.Hash(first.RefreshToken)].Family, _h.TokenRecords[Tokens.Hash(second.RefreshToken)].Family);
    }

    private const string Stranger = "203.0.113.66";
    private const string Owner = "198.51.100.7";

    /// <summary><paramref name="count"/> wrong passwords from <paramref name="client"/>, waiting out each slow-down when <paramref name="advance"/>.</summary>
    private async Task FailAsync(string email, string client, int count, bool advance = false)
    {
        for (var i = 0; i < count; i++)
        {
            try
            {
                await _h.Service.LoginAsync(email, "wrong password!", client);
            }
            catch (UnauthorizedException)
            {
            }
            catch (TooManyRequestsException e) when (advance)
            {
                _h.Time.Advance(e.RetryAfter);
                i--;
            }
        }
    }
}
