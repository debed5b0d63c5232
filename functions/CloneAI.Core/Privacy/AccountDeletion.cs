using System.Security.Cryptography;
using CloneAI.Core.Accounts;
using CloneAI.Core.Auth;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Limits;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CloneAI.Core.UserData;

namespace CloneAI.Core.Privacy;

/// <summary>Deleting an account needs a recent sign-in (Entra mode) and this one did not come recently enough.</summary>
public sealed class SignInAgainException(string message) : AppException(message)
{
    public override int Status => 403;
    public override string Title => "Sign in again";
}

/// <summary>
/// Deleting an account (<c>DELETE /api/me</c>): the caller proves it is them (the password again locally, a sign-in within
/// <see cref="PrivacyOptions.RecentSignInMinutes"/> in Entra mode); then its sessions end
/// (<see cref="UserService.RevokeSessionsAsync"/>: a new security stamp, and no refresh token left), a deletion marker is
/// recorded, and every registered <see cref="IUserDataEraser"/> runs in order. A crash part-way leaves the marker, and <see cref="FinishPendingAsync"/> (at
/// start and on a timer) runs the erasers again; they are idempotent, so deleting twice is safe.
/// </summary>
public sealed class AccountDeletion(
    UserService userService, IAccountDeletionStore markers, IEnumerable<IUserDataEraser> erasers, IOptions<AuthOptions> auth,
    IOptions<PrivacyOptions> options, TimeProvider time, ILogger<AccountDeletion> logger, IRateWindowStore attempts, IAccountStore? accounts = null,
    IStorageCompactor? compactor = null, IDeletedAccounts? deletedAccounts = null)
{
    private static readonly TimeSpan AttemptWindow = TimeSpan.FromMinutes(15);

    private static string AttemptsKey(string userId) => "delete-password|" + userId;

    /// <summary>The erasers in the order they run.</summary>
    public IReadOnlyList<IUserDataEraser> Erasers { get; } = [.. erasers.OrderBy(e => e.Order).ThenBy(e => e.Name, StringComparer.Ordinal)];

    /// <summary>Local mode: the caller's password, checked and throttled (wrong: a field error; too many: 429 with Retry-After).</summary>
    public async Task VerifyPasswordAsync(Caller caller, string? password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(password)) throw new ValidationException("password", "Enter your password to delete your account.");
        // Each attempt is counted before the password is checked, in one step of the throttles' shared store, so a burst cannot
        // try more than the limit (on any instance); a right password gives its attempt back.
        var now = time.GetUtcNow();
        var decision = await attempts.TryAcquireAsync(AttemptsKey(caller.UserId), options.Value.DeletePasswordAttempts, AttemptWindow, now, cancellationToken);
        if (!decision.Allowed)
            throw new TooManyRequestsException($"Too many wrong passwords. Try again in {Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalMinutes))} min.", decision.RetryAfter);
        var credential = accounts is null ? null : await accounts.GetCredentialAsync(caller.UserId, cancellationToken);
        if (credential is not null && PasswordHashes.Verify(credential.PasswordHash, password) != PasswordCheck.Failed)
        {
            await attempts.ReleaseAsync(AttemptsKey(caller.UserId), now, cancellationToken);
            return;
        }
        throw new ValidationException("password", "That password is not right.");
    }

    /// <summary>Entra mode: the sign-in behind the token (its <c>auth_time</c>) must be recent.</summary>
    public void VerifyRecentSignIn(DateTimeOffset? signedInAt)
    {
        var limit = TimeSpan.FromMinutes(options.Value.RecentSignInMinutes);
        if (signedInAt is { } at && time.GetUtcNow() - at <= limit) return;
        throw new SignInAgainException(
            $"To delete your account, sign in again first: deleting needs a sign-in from the last {options.Value.RecentSignInMinutes} minutes.");
    }

    /// <summary>Whether deleting asks for the password (local accounts) rather than a fresh sign-in (Entra).</summary>
    public bool UsesPassword => auth.Value.IsLocal;

    /// <summary>Deletes the caller's account, after they proved it is them (see <see cref="VerifyPasswordAsync"/>).</summary>
    public async Task DeleteAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        // End every sign-in first: a new stamp (tokens carry it) and no refresh token left.
        await userService.RevokeSessionsAsync(caller.UserId, cancellationToken);
        // Entra: a token issued before now must not recreate the account once its record is gone.
        if (deletedAccounts is not null) await deletedAccounts.RememberAsync(caller.UserId, time.GetUtcNow(), cancellationToken);
        var marker = await markers.RecordAsync(new AccountDeletionMarker(caller.UserId, NewPseudonym(), time.GetUtcNow()), cancellationToken);
        await EraseAsync(marker, cancellationToken);
    }

    /// <summary>
    /// Finishes every deletion a crash left unfinished: at start all of them; the timer only those older than
    /// <paramref name="minAge"/>, so it does not race a deletion a request is still running.
    /// </summary>
    public async Task<int> FinishPendingAsync(TimeSpan minAge = default, CancellationToken cancellationToken = default)
    {
        var before = time.GetUtcNow() - minAge;
        var pending = (await markers.ListPendingAsync(cancellationToken)).Where(m => m.RequestedAt <= before).ToList();
        foreach (var marker in pending)
        {
            try
            {
                await EraseAsync(marker, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Could not finish the deletion of account {Pseudonym}", marker.Pseudonym);
            }
        }
        return pending.Count;
    }

    private async Task EraseAsync(AccountDeletionMarker marker, CancellationToken cancellationToken)
    {
        foreach (var eraser in Erasers)
        {
            await eraser.EraseAsync(marker.UserId, marker.Pseudonym, cancellationToken);
            logger.LogInformation("Account deletion {Pseudonym}: {Eraser} erased", marker.Pseudonym, eraser.Name);
            if (options.Value.EraseDelayMs > 0 && eraser == Erasers[0]) await Task.Delay(TimeSpan.FromMilliseconds(options.Value.EraseDelayMs), time, cancellationToken);
        }
        await markers.CompleteAsync(marker.UserId, cancellationToken);
        await attempts.ForgetAsync(AttemptsKey(marker.UserId), cancellationToken);
        // Last, so the marker's own row is gone from the storage too.
        if (compactor is null) return;
        try
        {
            await compactor.CompactAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The account is gone; only the storage's free space may still hold deleted bytes until the next compaction.
            logger.LogWarning(e, "Could not compact the storage after deleting account {Pseudonym}", marker.Pseudonym);
        }
        logger.LogInformation("Account deleted; its kept ledger rows name {Pseudonym}", marker.Pseudonym);
    }

    /// <summary>A random pseudonym for kept money records, <c>deleted-{16 hex}</c>: nothing ties it to the user id.</summary>
    public static string NewPseudonym() => "deleted-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
