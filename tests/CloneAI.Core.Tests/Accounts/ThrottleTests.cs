using CloneAI.Core.Accounts;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Tests.Accounts;

public sealed class ThrottleTests
{
    private readonly AccountHarness _h = new();

    [Fact]
    public async Task ForgotPasswordForOneAddressIsCappedPerHourWhateverTheClient()
    {
        var user = _h.Seed();
        for (var i = 0; i < _h.Throttle.EmailsPerAddressPerHour; i++)
            await _h.Service.ForgotPasswordAsync(user.Email, $"203.0.113.{i}");

        var e = await Assert.ThrowsAsync<TooManyRequestsException>(() => _h.Service.ForgotPasswordAsync(user.Email, "203.0.113.200"));

        Assert.Equal(_h.Throttle.EmailsPerAddressPerHour, _h.Sent.Count);
        Assert.True(e.RetryAfter > TimeSpan.FromMinutes(59));
        _h.Time.Advance(e.RetryAfter);
        await _h.Service.ForgotPasswordAsync(user.Email, "203.0.113.200");
        Assert.Equal(_h.Throttle.EmailsPerAddressPerHour + 1, _h.Sent.Count);
    }

    [Fact]
    public async Task AnUnknownAddressIsCappedExactlyLikeARealOne()
    {
        _h.Seed();
        for (var i = 0; i < _h.Throttle.EmailsPerAddressPerHour; i++)
            await _h.Service.ForgotPasswordAsync("nobody@example.com", $"203.0.113.{i}");

        await Assert.ThrowsAsync<TooManyRequestsException>(() => _h.Service.ForgotPasswordAsync("nobody@example.com", "203.0.113.200"));
    }

    [Fact]
    public async Task OneClientIsCappedPerMinuteAcrossAddresses()
    {
        for (var i = 0; i < _h.Throttle.ClientRequestsPerMinute; i++)
            await _h.Service.ResendVerificationAsync($"someone{i}@example.com", "203.0.113.9");

        var e = await Assert.ThrowsAsync<TooManyRequestsException>(() => _h.Service.ResendVerificationAsync("another@example.com", "203.0.113.9"));

        Assert.InRange(e.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        await _h.Service.ResendVerificationAsync("another@example.com", "198.51.100.1"); // another client is not affected
        _h.Time.Advance(e.RetryAfter);
        await _h.Service.ResendVerificationAsync("another@example.com", "203.0.113.9");
    }

    [Fact]
    public async Task SignUpsForOneAddressAreCappedSoAStrangerCannotFloodItsOwnersInbox()
    {
        _h.Seed("alice@example.com");
        for (var i = 0; i < _h.Throttle.EmailsPerAddressPerHour; i++)
            Assert.Null(await _h.Service.SignUpAsync("alice@example.com", AccountHarness.GoodPassword, "X", acceptTerms: true, $"203.0.113.{i}"));

        await Assert.ThrowsAsync<TooManyRequestsException>(() =>
            _h.Service.SignUpAsync("alice@example.com", AccountHarness.GoodPassword, "X", acceptTerms: true, "203.0.113.200"));

        Assert.Equal(_h.Throttle.EmailsPerAddressPerHour, _h.Sent.Count);
    }

    [Fact]
    public async Task SignUpsFromOneClientAreCappedPerMinute()
    {
        for (var i = 0; i < _h.Throttle.ClientRequestsPerMinute; i++)
            await _h.SignUpAsync($"new{i}@example.com", AccountHarness.GoodPassword, "New", "203.0.113.9");

        await Assert.ThrowsAsync<TooManyRequestsException>(() => _h.SignUpAsync("one-more@example.com", AccountHarness.GoodPassword, "New", "203.0.113.9"));

        Assert.Equal(_h.Throttle.ClientRequestsPerMinute, _h.UserRecords.Count);
    }

    [Fact]
    public async Task ZeroTurnsALimitOff()
    {
        _h.Throttle.ClientRequestsPerMinute = 0;
        _h.Throttle.EmailsPerAddressPerHour = 0;

        for (var i = 0; i < 50; i++) await _h.Service.ForgotPasswordAsync("nobody@example.com", "203.0.113.9");
    }
}
