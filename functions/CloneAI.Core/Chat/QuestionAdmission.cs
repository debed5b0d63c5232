using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Limits;

namespace CloneAI.Core.Chat;

/// <summary>
/// Whether a new question may be asked in a session: the session is still running (its clock is checked first), the user is
/// within the chat rate limit, and the clone still exists.
/// </summary>
public sealed class QuestionAdmission(SessionLifecycle lifecycle, ICloneStore clones, UserRateLimiter? limiter = null)
{
    /// <summary>The session (ended first if its clock ran out) and its clone, or the refusal.</summary>
    public async Task<(ChatSession Session, Clone Clone)> AdmitAsync(Caller caller, ChatSession session, CancellationToken cancellationToken = default)
    {
        session = await lifecycle.ExpireIfDueAsync(session, cancellationToken);
        if (!session.IsActive) throw new ConflictException("This session has ended. Start a new session to keep asking.");
        // Counted only for new questions: a retry of an answered one costs nothing.
        limiter?.Acquire(RatePolicies.Chat, caller.UserId);
        var clone = await clones.GetAsync(session.CloneId, cancellationToken);
        if (clone is null || clone.Status == CloneStatus.Deleted) throw new ConflictException("This clone is no longer available.");
        return (session, clone);
    }
}
