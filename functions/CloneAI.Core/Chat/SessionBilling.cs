using CloneAI.Core.Domain;

namespace CloneAI.Core.Chat;

/// <summary>
/// The server's session clock and prices, from the session's pricing snapshot. Time is billed per started minute up to the
/// end (or now), capped at the session's maximum length; each answered message costs the per-message price once the free
/// messages are used up. A <see cref="ChatSession.Preview"/> (the owner trying their clone) costs nothing.
/// </summary>
public static class SessionBilling
{
    /// <summary>Seconds the clock has run: from the start to the end, or to <paramref name="now"/> while active.</summary>
    public static double ElapsedSeconds(ChatSession session, DateTimeOffset now, int maxMinutes)
    {
        var end = session.EndedAt ?? now;
        var seconds = Math.Max(0, (end - session.StartedAt).TotalSeconds);
        return Math.Min(seconds, maxMinutes * 60.0);
    }

    public static long BilledMinutes(ChatSession session, DateTimeOffset now, int maxMinutes) =>
        session.Preview || session.Pricing.PerMinute is null ? 0 : (long)Math.Ceiling(ElapsedSeconds(session, now, maxMinutes) / 60.0);

    public static long MinutesCost(ChatSession session, DateTimeOffset now, int maxMinutes) =>
        BilledMinutes(session, now, maxMinutes) * (session.Pricing.PerMinute ?? 0);

    /// <summary>The price of the session's <paramref name="messageNumber"/>th answered message (1-based): free ones first.</summary>
    public static long MessagePrice(ChatSession session, int messageNumber) =>
        session.Preview || messageNumber <= session.Pricing.FreeMessages ? 0 : session.Pricing.PerMessage ?? 0;

    /// <summary>The running (or final) cost: the clock's minutes plus the messages.</summary>
    public static Money Total(ChatSession session, DateTimeOffset now, int maxMinutes) =>
        new(MinutesCost(session, now, maxMinutes) + session.MessageCost, session.Pricing.Currency);
}
