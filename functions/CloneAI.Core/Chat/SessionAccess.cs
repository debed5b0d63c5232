using CloneAI.Core.Domain;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Chat;

public static class SessionAccess
{
    /// <summary>
    /// The session, when the caller is its user; anyone else's session does not exist, as far as they can tell. Admins
    /// included: they read a user's conversation only through <see cref="Admin.ConversationAccess"/>, with a reason that
    /// goes to the audit log.
    /// </summary>
    public static async Task<ChatSession> ReadableAsync(this ISessionStore sessions, Caller caller, string sessionId, CancellationToken cancellationToken = default)
    {
        var session = await sessions.GetAsync(sessionId, cancellationToken);
        if (session is null || session.DeletedAt is not null || session.UserId != caller.UserId) throw new NotFoundException("No such session.");
        return session;
    }
}
