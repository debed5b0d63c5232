using CloneAI.Core.Accounts;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;

namespace CloneAI.Core.Tests.Accounts;

/// <summary>Queued account emails are stored jobs: sent and deleted, retried a few times when sending fails, and erased with the account.</summary>
public sealed class AccountEmailQueueTests
{
    private readonly AccountHarness _h = new();

    [Fact]
    public async Task KnownAndUnknownAddressesEachStoreOneJobOfJustTheKindAndAddress()
    {
        var user = _h.Seed();

        await _h.Service.ForgotPasswordAsync(user.Email.ToUpperInvariant());
        await _h.Service.ForgotPasswordAsync("nobody@example.com");
        await _h.Service.ResendVerificationAsync("someone@example.com");

        Assert.Equal(
            [(AccountEmailKinds.PasswordReset, user.Email), (AccountEmailKinds.PasswordReset, "nobody@example.com"), (AccountEmailKinds.Verification, "someone@example.com")],
            _h.EmailJobs.Jobs.Select(j => (j.Kind, j.Address)));
        Assert.All(_h.EmailJobs.Jobs, j => Assert.Equal(_h.Time.GetUtcNow(), j.CreatedAt));
    }

    [Fact]
    public async Task AJobIsDeletedOnceItsEmailWasSentAndAJobForNoAccountIsDeletedUnsent()
    {
        var user = _h.Seed();
        await _h.Service.ForgotPasswordAsync(user.Email);
        await _h.Service.ForgotPasswordAsync("nobody@example.com");

        await _h.Queue.RunPendingAsync();
        await _h.Queue.RunPendingAsync();

        Assert.Equal(user.Email, Assert.Single(_h.Sent).To);
        Assert.Empty(_h.EmailJobs.Jobs);
    }

    [Fact]
    public async Task ASendThatFailsIsTriedAgainLaterAndSentOnce()
    {
        var user = _h.Seed();
        var failures = 2;
        var sent = 0;
        _h.Email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Returns(() => failures-- > 0 ? Task.FromException(new IOException("the mail server is away")) : Task.FromResult(++sent));
        await _h.Service.ForgotPasswordAsync(user.Email);

        await _h.Queue.RunPendingAsync();
        Assert.Equal(1, Assert.Single(_h.EmailJobs.Jobs).Attempts);
        await _h.Queue.RunPendingAsync(); // not due yet
        Assert.Equal(1, Assert.Single(_h.EmailJobs.Jobs).Attempts);

        _h.Time.Advance(AccountEmailQueue.RetryDelay);
        await _h.Queue.RunPendingAsync();
        Assert.Equal(2, Assert.Single(_h.EmailJobs.Jobs).Attempts);
        _h.Time.Advance(AccountEmailQueue.RetryDelay * 2);
        await _h.Queue.RunPendingAsync();

        Assert.Equal(1, sent);
        Assert.Empty(_h.EmailJobs.Jobs);
    }

    [Fact]
    public async Task AJobThatKeepsFailingIsDroppedAfterTheLastAttempt()
    {
        var user = _h.Seed();
        var calls = 0;
        _h.Email.Setup(e => e.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Returns(() => { calls++; return Task.FromException(new IOException("the mail server is away")); });
        await _h.Service.ForgotPasswordAsync(user.Email);

        for (var i = 0; i < AccountEmailQueue.MaxAttempts + 2; i++)
        {
            await _h.Queue.RunPendingAsync();
            _h.Time.Advance(AccountEmailQueue.RetryDelay * AccountEmailQueue.MaxAttempts);
        }

        Assert.Equal(AccountEmailQueue.MaxAttempts, calls);
        Assert.Empty(_h.EmailJobs.Jobs);
    }

    [Fact]
    public async Task AClaimedJobIsNotClaimedAgainUntilItsLeaseEnds()
    {
        var user = _h.Seed();
        await _h.Service.ForgotPasswordAsync(user.Email);

        var first = await _h.EmailJobs.ClaimAsync(_h.Time.GetUtcNow(), AccountEmailQueue.Lease, 10);
        await _h.Queue.RunPendingAsync(); // another worker meanwhile

        Assert.Single(first);
        Assert.Empty(_h.Sent);
        _h.Time.Advance(AccountEmailQueue.Lease);
        await _h.Queue.RunPendingAsync(); // the first worker died: the job is sent after its lease
        Assert.Single(_h.Sent);
    }

    [Fact]
    public async Task DeletingTheAccountErasesTheEmailsStillQueuedForItsAddress()
    {
        var user = _h.Seed();
        var other = _h.Seed("bob@example.com");
        await _h.Service.ForgotPasswordAsync(user.Email);
        await _h.Service.ResendVerificationAsync(user.Email);
        await _h.Service.ForgotPasswordAsync(other.Email);

        await new AccountEmailJobsEraser(_h.Users.Object, _h.EmailJobs).EraseAsync(user.Id, "pseudonym");

        Assert.Equal([other.Email], _h.EmailJobs.Jobs.Select(j => j.Address));
        Assert.Equal(other.Email, Assert.Single(_h.Sent).To);
    }

    [Fact]
    public async Task AVerificationJobForAnAccountVerifiedMeanwhileSendsNothing()
    {
        var user = _h.Seed(verified: false);
        await _h.Service.ResendVerificationAsync(user.Email);
        _h.UserRecords[user.Id] = _h.UserRecords[user.Id] with { EmailVerified = true };

        Assert.Empty(_h.Sent);
        Assert.Empty(_h.EmailJobs.Jobs);
    }
}
