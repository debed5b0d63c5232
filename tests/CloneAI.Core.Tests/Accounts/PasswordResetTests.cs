using CloneAI.Core.Accounts;
using CloneAI.Core.Email;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Tests.Accounts;

public sealed class PasswordResetTests
{
    private const string NewPassword = "a brand new passphrase";
    private readonly AccountHarness _h = new();

    [Fact]
    public async Task ForgettingThePasswordOfAnUnknownEmailSendsNothingAndSucceeds()
    {
        _h.Seed();

        await _h.Service.ForgotPasswordAsync("nobody@example.com");

        Assert.Empty(_h.Sent); // runs the queued work
        _h.Email.Verify(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(_h.TokenRecords);
    }

    [Fact]
    public async Task ForgettingThePasswordWithAMalformedEmailIsAValidationError()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _h.Service.ForgotPasswordAsync("alice"));

        Assert.Equal(["email"], e.Errors.Keys);
    }

    [Fact]
    public async Task ForgettingThePasswordEmailsAResetLink()
    {
        var user = _h.Seed();

        await _h.Service.ForgotPasswordAsync("Alice@Example.com");

        var mail = Assert.Single(_h.Sent);
        Assert.Equal(user.Email, mail.To);
        Assert.Contains(AccountHarness.BaseUrl + "/reset-password?token=", mail.TextBody, StringComparison.Ordinal);
        var stored = _h.TokenRecords[Tokens.Hash(_h.TokenFromLastEmail("/reset-password"))];
        Assert.Equal(TokenKinds.Reset, stored.Kind);
        Assert.Equal(_h.Time.Start.AddMinutes(_h.Options.ResetTokenMinutes), stored.ExpiresAt);
    }

    [Fact]
    public async Task ResettingSetsTheNewPasswordAndTheOldOneStopsWorking()
    {
        var user = _h.Seed();
        await _h.Service.ForgotPasswordAsync(user.Email);

        await _h.Service.ResetPasswordAsync(_h.TokenFromLastEmail("/reset-password"), NewPassword);

        Assert.NotEqual(AccountHarness.GoodPasswordHash, _h.CredentialOf(user).PasswordHash);
        Assert.DoesNotContain(NewPassword, _h.CredentialOf(user).PasswordHash, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword));
        Assert.NotEmpty((await _h.Service.LoginAsync(user.Email, NewPassword)).AccessToken);
    }

    [Fact]
    public async Task ResettingEndsEverySignedInSession()
    {
        var user = _h.Seed();
        var login = await _h.Service.LoginAsync(user.Email, AccountHarness.GoodPassword);
        await _h.Service.ForgotPasswordAsync(user.Email);

        await _h.Service.ResetPasswordAsync(_h.TokenFromLastEmail("/reset-password"), NewPassword);

        _h.Accounts.Verify(a => a.RevokeAllAsync(user.Id, TokenKinds.Refresh, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Once);
        await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.RefreshAsync(login.RefreshToken));
    }

    [Fact]
    public async Task AResetLinkWorksOnlyOnce()
    {
        var user = _h.Seed();
        await _h.Service.ForgotPasswordAsync(user.Email);
        var token = _h.TokenFromLastEmail("/reset-password");
        await _h.Service.ResetPasswordAsync(token, NewPassword);
        var hashAfterFirstReset = _h.CredentialOf(user).PasswordHash;

        var e = await Assert.ThrowsAsync<ValidationException>(() => _h.Service.ResetPasswordAsync(token, "yet another passphrase"));

        Assert.Contains("token", e.Errors.Keys);
        Assert.Equal(hashAfterFirstReset, _h.CredentialOf(user).PasswordHash);
    }

    [Fact]
    public async Task AnExpiredResetLinkIsRejected()
    {
        var user = _h.Seed();
        await _h.Service.ForgotPasswordAsync(user.Email);
        await _h.Queue.RunPendingAsync(); // the host's worker sends the email at once
        _h.Time.Advance(TimeSpan.FromMinutes(_h.Options.ResetTokenMinutes + 1));

        await Assert.ThrowsAsync<ValidationException>(() => _h.Service.ResetPasswordAsync(_h.TokenFromLastEmail("/reset-password"), NewPassword));

        Assert.Equal(AccountHarness.GoodPasswordHash, _h.CredentialOf(user).PasswordHash);
    }

    [Fact]
    public async Task AShortNewPasswordIsRejectedAndDoesNotSpendTheLink()
    {
        var user = _h.Seed();
        await _h.Service.ForgotPasswordAsync(user.Email);
        var token = _h.TokenFromLastEmail("/reset-password");

        var e = await Assert.ThrowsAsync<ValidationException>(() => _h.Service.ResetPasswordAsync(token, "short"));

        Assert.Equal(["password"], e.Errors.Keys);
        await _h.Service.ResetPasswordAsync(token, NewPassword); // still usable
    }

    [Fact]
    public async Task ResettingLiftsTheSlowDownFromEveryClient()
    {
        var user = _h.Seed();
        for (var i = 0; i < _h.Throttle.LoginFailuresBeforeSlowDown; i++)
            await Assert.ThrowsAsync<UnauthorizedException>(() => _h.Service.LoginAsync(user.Email, "wrong password!", "203.0.113.1"));
        await Assert.ThrowsAsync<TooManyRequestsException>(() => _h.Service.LoginAsync(user.Email, "wrong password!", "203.0.113.1"));
        await _h.Service.ForgotPasswordAsync(user.Email);

        await _h.Service.ResetPasswordAsync(_h.TokenFromLastEmail("/reset-password"), NewPassword);

        Assert.NotEmpty((await _h.Service.LoginAsync(user.Email, NewPassword, "203.0.113.1")).AccessToken);
    }

    [Fact]
    public async Task UsingANewerResetLinkMakesEveryOlderOneInvalid()
    {
        var user = _h.Seed();
        await _h.Service.ForgotPasswordAsync(user.Email);
        var older = _h.TokenFromLastEmail("/reset-password");
        await _h.Service.ForgotPasswordAsync(user.Email);
        var newer = _h.TokenFromLastEmail("/reset-password");

        await _h.Service.ResetPasswordAsync(newer, NewPassword);

        var e = await Assert.ThrowsAsync<ValidationException>(() => _h.Service.ResetPasswordAsync(older, "an attacker's password"));
        Assert.Contains("token", e.Errors.Keys);
        Assert.NotEmpty((await _h.Service.LoginAsync(user.Email, NewPassword)).AccessToken);
    }

    [Fact]
    public async Task ResettingGivesTheUserANewSecurityStampSoTheirAccessTokensStopWorking()
    {
        var user = _h.Seed();
        await _h.Service.ForgotPasswordAsync(user.Email);

        await _h.Service.ResetPasswordAsync(_h.TokenFromLastEmail("/reset-password"), NewPassword);

        Assert.NotEqual(user.SecurityStamp, _h.UserRecords[user.Id].SecurityStamp);
    }

    [Fact]
    public async Task ForgotPasswordAnswersBeforeTheEmailSenderIsCalledWhetherOrNotTheAddressHasAnAccount()
    {
        var user = _h.Seed();
        var release = new TaskCompletionSource();
        var calls = 0;
        _h.Email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Returns(async () => { Interlocked.Increment(ref calls); await release.Task; });
        _h.Users.Invocations.Clear();

        var real = _h.Service.ForgotPasswordAsync(user.Email);
        var unknown = _h.Service.ForgotPasswordAsync("nobody@example.com");

        Assert.True(real.IsCompletedSuccessfully);
        Assert.True(unknown.IsCompletedSuccessfully);
        Assert.Equal(0, calls);
        // Nothing about the address was even looked up on the request path.
        _h.Users.Verify(u => u.FindByEmailAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        var worker = _h.Queue.RunPendingAsync();
        release.SetResult();
        await worker;
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task ResettingProvesOwnershipOfTheAddressSoItBecomesVerified()
    {
        var user = _h.Seed(verified: false);
        await _h.Service.ForgotPasswordAsync(user.Email);

        await _h.Service.ResetPasswordAsync(_h.TokenFromLastEmail("/reset-password"), NewPassword);

        Assert.True(_h.UserRecords[user.Id].EmailVerified);
    }
}
