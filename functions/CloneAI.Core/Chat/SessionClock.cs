using CloneAI.Core.Domain;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Chat;

/// <summary>The server's session clock: what a session has cost so far and how long it has run, read now.</summary>
public sealed class SessionClock(TimeProvider time, IOptions<ChatSettings> options)
{
    /// <summary>The running (or final) cost and elapsed seconds of a session.</summary>
    public (Money Cost, double ElapsedSeconds) Read(ChatSession session)
    {
        var now = time.GetUtcNow();
        var max = options.Value.MaxSessionMinutes;
        return (SessionBilling.Total(session, now, max), SessionBilling.ElapsedSeconds(session, now, max));
    }
}
