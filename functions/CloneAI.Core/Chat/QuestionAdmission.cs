using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Limits;

namespace CloneAI.Core.Chat;

/// <summary>
/// Whether a new question may be asked in a session: the session is still running (its clock is checked first), the user is
/// within the chat rate limit, the clone still exists, and the wallet pays the started minutes and this message (with
/// <see cref="SessionCharges"/>; the first question starts the clock). A wallet that cannot ends the session as
/// <see cref="EndReasons.OutOfCredit"/> and the question is refused with <see cref="OutOfCreditException"/> (402).
/// </summary>
public sealed class QuestionAdmission(SessionLifecycle lifecycle, ICloneStore clones, UserRateLimiter? limiter = null, SessionCharges? charges = null)
{
    /// <summary>The session (ended first if its clock ran out; its clock started and its minutes paid) and its clone, or the refusal.</summary>
    public async Task<(ChatSession Session, Clone Clone)> AdmitAsync(Caller caller, ChatSession session, CancellationToken cancellationToken = default)
    {
        session = await lifecycle.ExpireIfDueAsync(session, cancellationToken);
        if (!session.IsActive) throw new ConflictException("This session has ended. Start a new session to keep asking.");
        // Counted only for new questions: a retry of an answered one costs nothing.
        if (limiter is not null) await limiter.AcquireAsync(RatePolicies.Chat, caller.UserId, cancellationToken);
        var clone = await clones.GetAsync(session.CloneId, cancellationToken);
        if (clone is null || clone.Status == CloneStatus.Deleted) throw new ConflictException("This clone is no longer available.");
        if (charges is null) return (session, clone);
        var (paid, missing) = await charges.BeforeAnswerAsync(session, cancellationToken);
        if (missing > 0)
        {
            await lifecycle.EndOutOfCreditAsync(paid, cancellationToken);
            throw new OutOfCreditException(missing, charges.Currency);
        }
        return (paid, clone);
    }
}
