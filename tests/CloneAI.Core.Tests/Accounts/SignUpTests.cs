using CloneAI.Core.Accounts;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;
using CloneAI.Core.Errors;
using Microsoft.AspNetCore.Identity;

namespace CloneAI.Core.Tests.Accounts;

public sealed class SignUpTests
{
    private readonly AccountHarness _h = new();

    [Theory]
    [InlineData("")]
    [InlineData("not-an-email")]
    [InlineData("alice@localhost")]
    [InlineData("alice smith@example.com")]
    [InlineData("Alice <alice@example.com>")]
    public async Task SigningUpWithAMalformedEmailIsRejectedOnTheEmailField(string email)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _h.SignUpAsync(email, AccountHarness.GoodPassword, "Alice"));

        Assert.Equal(["email"], e.Errors.Keys);
    }

    [Fact]
    public async Task APasswordShorterThanTenCharactersIsRejected()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _h.SignUpAsync("alice@example.com", "123456789", "Alice"));

        Assert.Contains("10", Assert.Single(e.Errors["password"]));
    }

    [Fact]
    public async Task APasswordOfExactlyTenCharactersIsAccepted()
    {
        var user = await _h.SignUpAsync("alice@example.com", "1234567890", "Alice");

        Assert.True(_h.Credentials.ContainsKey(user.Id));
    }

    [Fact]
    public async Task ADisplayNameLongerThanEightyCharactersIsRejected()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() =>
            _h.SignUpAsync("alice@example.com", AccountHarness.GoodPassword, new string('a', AccountService.MaxDisplayNameLength + 1)));

        Assert.Equal(["displayName"], e.Errors.Keys);
    }

    [Fact]
    public async Task EveryInvalidFieldIsReportedAtOnceAndNothingIsStoredOrSent()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _h.SignUpAsync("nope", "short", "  "));

        Assert.Equal(["displayName", "email", "password"], e.Errors.Keys.Order());
        _h.Users.Verify(u => u.CreateAsync(It.IsAny<User>(), It.IsAny<CancellationToken>()), Times.Never);
        _h.Accounts.Verify(a => a.CreateCredentialAsync(It.IsAny<Credential>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(_h.Sent);
    }

    [Fact]
    public async Task SigningUpWithAnEmailThatAlreadyHasAnAccountChangesNothingAndTellsTheOwnerWhateverItsCase()
    {
        var owner = _h.Seed("alice@example.com");

        var result = await _h.Service.SignUpAsync("  ALICE@Example.com ", AccountHarness.GoodPassword, "Visit https://evil.example now", acceptTerms: true);

        Assert.Null(result);
        Assert.Single(_h.UserRecords);
        Assert.Equal(AccountHarness.GoodPasswordHash, _h.CredentialOf(owner).PasswordHash);
        var mail = Assert.Single(_h.Sent);
        Assert.Equal("alice@example.com", mail.To);
        Assert.Contains("tried to sign up", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", mail.TextBody + mail.HtmlBody + mail.Subject, StringComparison.Ordinal);
        Assert.Empty(_h.TokenRecords); // no verification link: the stranger's password must never become the owner's
    }

    [Fact]
    public async Task SigningUpWithoutAcceptingTheTermsIsAFieldErrorAndNothingIsStored()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() =>
            _h.Service.SignUpAsync("alice@example.com", AccountHarness.GoodPassword, "Alice", acceptTerms: false));

        Assert.Equal(["acceptTerms"], e.Errors.Keys);
        Assert.Empty(_h.UserRecords);
        Assert.Empty(_h.Sent);
    }

    [Fact]
    public async Task TheNewAccountRecordsTheVersionOfTheTermsItAcceptedAndASecurityStamp()
    {
        var user = await _h.SignUpAsync("alice@example.com", AccountHarness.GoodPassword, "Alice");

        Assert.Equal(CloneAI.Core.UserData.Terms.CurrentVersion, user.TermsVersion);
        Assert.Equal(_h.Time.Start, user.TermsAcceptedAt);
        Assert.False(string.IsNullOrEmpty(user.SecurityStamp));
    }

    [Theory]
    [InlineData("Ali\\u0000ce\\u001b[31m", "Alice[31m")]
    [InlineData("\\u202Eecila\\u202C", "ecila")]
    [InlineData("A\\u200Bl\\u2066i\\u2069c\\u200De\\uFEFF", "Alice")]
    [InlineData("  Ａｌｉｃｅ\\tLiddell\\u0085 ", "Alice Liddell")]
    public async Task ControlBidiAndZeroWidthCharactersLeaveTheDisplayNameAndItIsNfkcNormalised(string raw, string stored)
    {
        var user = await _h.SignUpAsync("alice@example.com", AccountHarness.GoodPassword, System.Text.RegularExpressions.Regex.Unescape(raw));

        Assert.Equal(stored, user.DisplayName);
    }

    [Fact]
    public async Task ADisplayNameOfOnlyInvisibleCharactersIsAFieldError()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() =>
            _h.SignUpAsync("alice@example.com", AccountHarness.GoodPassword, "\u200B\u202E\u0000\u001b"));

        Assert.Equal(["displayName"], e.Errors.Keys);
        Assert.Empty(_h.UserRecords);
    }

    [Fact]
    public async Task TheNewAccountIsUnverifiedWithATrimmedNameAndANormalizedEmail()
    {
        var user = await _h.SignUpAsync(" Alice@Example.COM ", AccountHarness.GoodPassword, "  Alice Liddell ");

        Assert.Equal("alice@example.com", user.Email);
        Assert.Equal("Alice Liddell", user.DisplayName);
        Assert.False(user.EmailVerified);
        Assert.Equal(_h.Time.Start, user.CreatedAt);
    }

    [Fact]
    public async Task ThePasswordIsStoredHashedNeverInPlainText()
    {
        var user = await _h.SignUpAsync("alice@example.com", AccountHarness.GoodPassword, "Alice");

        var hash = _h.CredentialOf(user).PasswordHash;
        Assert.DoesNotContain(AccountHarness.GoodPassword, hash, StringComparison.Ordinal);
        Assert.NotEqual(PasswordVerificationResult.Failed, new PasswordHasher<string>().VerifyHashedPassword(user.Id, hash, AccountHarness.GoodPassword));
        Assert.Equal(PasswordVerificationResult.Failed, new PasswordHasher<string>().VerifyHashedPassword(user.Id, hash, "something else entirely"));
    }

    [Fact]
    public async Task SigningUpEmailsAVerificationLinkWhoseTokenIsStoredOnlyAsAHash()
    {
        var user = await _h.SignUpAsync("alice@example.com", AccountHarness.GoodPassword, "Alice");

        var mail = Assert.Single(_h.Sent);
        Assert.Equal("alice@example.com", mail.To);
        Assert.Contains(AccountHarness.BaseUrl + "/verify?token=", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("/verify?token=", mail.HtmlBody, StringComparison.Ordinal);
        var token = _h.TokenFromLastEmail("/verify");
        var stored = Assert.Single(_h.TokenRecords.Values);
        Assert.Equal(Tokens.Hash(token), stored.Hash);
        Assert.NotEqual(token, stored.Hash);
        Assert.Equal(TokenKinds.Verify, stored.Kind);
        Assert.Equal(user.Id, stored.UserId);
        Assert.Equal(_h.Time.Start.AddHours(_h.Options.VerificationTokenHours), stored.ExpiresAt);
    }

    [Fact]
    public async Task TheDisplayNameIsNotInTheVerificationEmail()
    {
        await _h.SignUpAsync("alice@example.com", AccountHarness.GoodPassword, "<script>x</script> Visit https://evil.example now");

        var mail = Assert.Single(_h.Sent);
        Assert.DoesNotContain("script", mail.HtmlBody + mail.TextBody + mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", mail.HtmlBody + mail.TextBody + mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLinkFromTheVerificationEmailVerifiesTheAccount()
    {
        var user = await _h.SignUpAsync("alice@example.com", AccountHarness.GoodPassword, "Alice");

        var verified = await _h.Service.VerifyEmailAsync(_h.TokenFromLastEmail("/verify"));

        Assert.True(verified.EmailVerified);
        Assert.True(_h.UserRecords[user.Id].EmailVerified);
    }

    [Fact]
    public async Task AVerificationLinkWorksOnlyOnce()
    {
        await _h.SignUpAsync("alice@example.com", AccountHarness.GoodPassword, "Alice");
        var token = _h.TokenFromLastEmail("/verify");
        await _h.Service.VerifyEmailAsync(token);

        var e = await Assert.ThrowsAsync<ValidationException>(() => _h.Service.VerifyEmailAsync(token));

        Assert.Contains("token", e.Errors.Keys);
    }

    [Fact]
    public async Task AnExpiredVerificationLinkIsRejected()
    {
        var user = await _h.SignUpAsync("alice@example.com", AccountHarness.GoodPassword, "Alice");
        _h.Time.Advance(TimeSpan.FromHours(_h.Options.VerificationTokenHours + 1));

        await Assert.ThrowsAsync<ValidationException>(() => _h.Service.VerifyEmailAsync(_h.TokenFromLastEmail("/verify")));

        Assert.False(_h.UserRecords[user.Id].EmailVerified);
    }

    [Fact]
    public async Task AVerificationIsRequestedAsAVerifyTokenSoAResetTokenDoesNotVerify()
    {
        var user = _h.Seed(verified: false);
        await _h.Service.ForgotPasswordAsync(user.Email);

        await Assert.ThrowsAsync<ValidationException>(() => _h.Service.VerifyEmailAsync(_h.TokenFromLastEmail("/reset-password")));

        Assert.False(_h.UserRecords[user.Id].EmailVerified);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task AMissingVerificationTokenIsAValidationError(string? token)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _h.Service.VerifyEmailAsync(token));

        Assert.Contains("token", e.Errors.Keys);
        _h.Accounts.Verify(a => a.ConsumeTokenAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ResendingAnswersBeforeTheAddressIsLookedUpOrAnythingIsSent()
    {
        _h.Seed("new@example.com", verified: false);
        _h.Users.Invocations.Clear();

        await _h.Service.ResendVerificationAsync("new@example.com");

        _h.Users.Verify(u => u.FindByEmailAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _h.Email.Verify(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Single(_h.Sent); // the host's worker sends it
    }

    [Fact]
    public async Task ResendingVerificationMailsOnlyUnverifiedAccounts()
    {
        var unverified = _h.Seed("new@example.com", verified: false);
        _h.Seed("old@example.com", verified: true);

        await _h.Service.ResendVerificationAsync("old@example.com");
        await _h.Service.ResendVerificationAsync("nobody@example.com");
        await _h.Service.ResendVerificationAsync("NEW@example.com");

        var mail = Assert.Single(_h.Sent);
        Assert.Equal(unverified.Email, mail.To);
    }
}
