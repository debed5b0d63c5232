using CloneAI.Core.Audit;
using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Admin;

/// <summary>
/// An admin reads a user's conversation: only with a stated reason, and every read is written to the audit log with the
/// session's user as its subject, so the user sees it in their access log. This is the only way an admin reads someone
/// else's session; the session routes answer them 404 like anyone else.
/// </summary>
public sealed class ConversationAccess(ISessionStore sessions, AuditTrail audit)
{
    public async Task<(ChatSession Session, IReadOnlyList<SessionMessage> Messages)> ReadAsync(
        Caller caller, string sessionId, string? reason, CancellationToken cancellationToken = default)
    {
        AuditTrail.RequireAdmin(caller);
        var why = AuditTrail.RequireReason(reason);
        var session = await sessions.GetAsync(sessionId, cancellationToken);
        if (session is null || session.DeletedAt is not null) throw new NotFoundException("No such session.");
        // Written before anything is shown: a read that is not in the log does not happen.
        await audit.RecordAsync(caller, AuditActions.ConversationRead, AuditTargets.Session, session.Id, session.UserId, why, cancellationToken: cancellationToken);
        return (session, await sessions.GetMessagesAsync(session.Id, cancellationToken));
    }
}
