using CloneAI.Core.Errors;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Chat;

/// <summary>
/// How sessions end: by their user, after an idle spell, at their maximum length, or when the wallet is out of credit. Ending
/// stores the session with the usage events of its started minutes not recorded yet, once, charges them to the wallet (with
/// <see cref="SessionCharges"/>), counts a used session on the clone, and sends the receipt (when the host sends them). A preview
/// (the owner trying their clone) is free, is not counted on the clone and gets no receipt. An <see cref="ISessionEndObserver"/> (when
/// the host registers one) is told of every end, whatever its reason.
/// </summary>
public sealed class SessionLifecycle(
    ISessionStore sessions,
    CloneAggregates aggregates,
    SessionClock clock,
    TimeProvider time,
    IOptions<ChatSettings> options,
    SessionReceipts? receipts = null,
    SessionCharges? charges = null,
    ISessionEndObserver? observer = null)
{
    private ChatSettings Settings => options.Value;

    /// <summary>The session, ended first when its idle timeout or maximum length has passed.</summary>
    public async Task<ChatSession> ExpireIfDueAsync(ChatSession session, CancellationToken cancellationToken = default)
    {
        if (!session.IsActive) return session;
        var now = time.GetUtcNow();
        var maxEnd = session.StartedAt.AddMinutes(Settings.MaxSessionMinutes);
        var idleEnd = session.LastActivityAt.AddMinutes(Settings.IdleTimeoutMinutes);
        // Whichever came first ends it. An idle session is billed up to its last activity, not up to when it was noticed.
        if (now >= idleEnd && idleEnd <= maxEnd) return await EndAsync(session, session.LastActivityAt, EndReasons.Idle, cancellationToken);
        if (now >= maxEnd) return await EndAsync(session, maxEnd, EndReasons.MaxLength, cancellationToken);
        return session;
    }

    /// <summary>Ends an active session now, as its user asked.</summary>
    public Task<ChatSession> EndByUserAsync(ChatSession session, CancellationToken cancellationToken = default) =>
        EndAsync(session, time.GetUtcNow(), EndReasons.User, cancellationToken);

    /// <summary>Ends an active session now because its wallet cannot pay the next minute or message.</summary>
    public Task<ChatSession> EndOutOfCreditAsync(ChatSession session, CancellationToken cancellationToken = default) =>
        EndAsync(session, time.GetUtcNow(), EndReasons.OutOfCredit, cancellationToken);

    /// <summary>Ends every session whose idle timeout or maximum length has passed.</summary>
    public async Task<int> EndExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var due = await sessions.ListExpiredAsync(now.AddMinutes(-Settings.IdleTimeoutMinutes), now.AddMinutes(-Settings.MaxSessionMinutes), 500, cancellationToken);
        var ended = 0;
        foreach (var s in due)
        {
            try
            {
                if (!(await ExpireIfDueAsync(s, cancellationToken)).IsActive) ended++;
            }
            catch (ConflictException)
            {
                // Changed meanwhile (a message or an explicit end): the next sweep looks again.
            }
        }
        return ended;
    }

    private async Task<ChatSession> EndAsync(ChatSession session, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        var ended = session with { Status = SessionStatus.Ended, EndedAt = at, EndReason = reason };
        // The started minutes not recorded yet (the clock's; none before the first question), each its own usage event.
        var minutes = (int)Math.Max(session.MinutesRecorded, SessionBilling.BilledMinutes(ended, at, Settings.MaxSessionMinutes));
        var usage = SessionCharges.Minutes(ended, session.MinutesRecorded + 1, minutes, time.GetUtcNow());
        var stored = await sessions.EndAsync(ended with { MinutesRecorded = minutes }, usage, cancellationToken);
        if (charges is not null) await charges.TrySettleSessionAsync(stored.Id, cancellationToken);
        if (session.MessageCount > 0 && !session.Preview && session.UserId != session.OwnerId) await aggregates.CountSessionAsync(session.CloneId, session.UserId, cancellationToken);
        // The summaries part starts the session's summary here, and then sends the receipt itself (with its highlights).
        var receiptTaken = observer is not null && await observer.SessionEndedAsync(stored, cancellationToken);
        if (!receiptTaken && receipts is { Enabled: true })
        {
            var (cost, elapsed) = clock.Read(stored);
            await receipts.SendAsync(stored, cost, elapsed, cancellationToken);
        }
        return stored;
    }
}
