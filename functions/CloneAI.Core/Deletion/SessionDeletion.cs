using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Memory;
using CloneAI.Core.Summaries;

namespace CloneAI.Core.Deletion;

/// <summary>
/// Deleting a session, by its user only (anyone else, admins included, is told there is no such session): an active session
/// is ended first (billed as if its user had ended it), then its summary and the memories that came from it are deleted, and
/// its messages with it; the session is hidden from every list and read. Its usage events and ledger transactions stay: the
/// money it moved is on record.
/// </summary>
public sealed class SessionDeletion(
    ISessionStore sessions, SessionLifecycle lifecycle, TimeProvider time, ISessionSummaryStore? summaries = null, IMemoryStore? memories = null)
{
    public async Task DeleteAsync(Caller caller, string sessionId, CancellationToken cancellationToken = default)
    {
        var session = await sessions.GetAsync(sessionId, cancellationToken);
        if (session is null || session.DeletedAt is not null || session.UserId != caller.UserId) throw new NotFoundException("No such session.");
        session = await lifecycle.ExpireIfDueAsync(session, cancellationToken);
        if (session.IsActive) session = await lifecycle.EndByUserAsync(session, cancellationToken);
        // What came from it first, so a failure leaves a session its user can delete again.
        if (summaries is not null) await summaries.DeleteAsync(session.UserId, session.Id, cancellationToken);
        if (memories is not null) await memories.DeleteFromSessionAsync(session.UserId, session.Id, cancellationToken);
        await sessions.DeleteAsync(session, time.GetUtcNow(), cancellationToken);
        // A summary being written while it was deleted (the session had just ended) is stored at most once: take it away again.
        if (summaries is not null) await summaries.DeleteAsync(session.UserId, session.Id, cancellationToken);
    }
}
