using CloneAI.Core.Domain;

namespace CloneAI.Core.Chat;

/// <summary>
/// The server's session clock and prices, from the session's pricing snapshot. The clock starts at the first question
/// (<see cref="ChatSession.ClockStartedAt"/>): time is billed per started minute from there up to the end (or now), capped at the
/// session's maximum length, and a session ended before any question costs nothing. Each answered message costs the per-message
/// price once the free messages are used up. A <see cref="ChatSession.Preview"/> (the owner trying their clone) costs nothing.
/// </summary>
public static class SessionBilling
{
    /// <summary>
    /// When the clock started: at the first question. Sessions stored before the clock had its own start and that were asked in
    /// count from when they were opened.
    /// </summary>
    public static DateTimeOffset? ClockStart(ChatSession session) =>
        session.ClockStartedAt ?? (session.MessageCount > 0 ? session.StartedAt : null);

    /// <summary>Seconds the clock has run: from its start to the end, or to <paramref name="now"/> while active; 0 before the first question.</summary>
    public static double ElapsedSeconds(ChatSession session, DateTimeOffset now, int maxMinutes)
    {
        if (ClockStart(session) is not { } start) return 0;
        var end = session.EndedAt ?? now;
        var seconds = Math.Max(0, (end - start).TotalSeconds);
        return Math.Min(seconds, maxMinutes * 60.0);
    }

    /// <summary>Started minutes of the clock: none before the first question, then one per started minute.</summary>
    public static long BilledMinutes(ChatSession session, DateTimeOffset now, int maxMinutes) =>
        session.Preview || session.Pricing.PerMinute is null ? 0 : (long)Math.Ceiling(ElapsedSeconds(session, now, maxMinutes) / 60.0);

    /// <summary>
    /// The minutes a question asked <paramref name="now"/> must have paid for before it is answered: every started minute, and at
    /// least the first (the minute the question starts), never fewer than are recorded already.
    /// </summary>
    public static long MinutesDueAt(ChatSession session, DateTimeOffset now, int maxMinutes) =>
        session.Preview || session.Pricing.PerMinute is null ? 0
            : Math.Max(session.MinutesRecorded, Math.Min(maxMinutes, Math.Max(1, BilledMinutes(session, now, maxMinutes))));

    /// <summary>The price of one started minute (0 for a preview, or without a per-minute price).</summary>
    public static long MinutePrice(ChatSession session) => session.Preview ? 0 : session.Pricing.PerMinute ?? 0;

    /// <summary>The clock's cost: its started minutes (or those already recorded, if more) at the per-minute price.</summary>
    public static long MinutesCost(ChatSession session, DateTimeOffset now, int maxMinutes) =>
        Math.Max(session.MinutesRecorded, BilledMinutes(session, now, maxMinutes)) * MinutePrice(session);

    /// <summary>The price of the session's <paramref name="messageNumber"/>th answered message (1-based): free ones first.</summary>
    public static long MessagePrice(ChatSession session, int messageNumber) =>
        session.Preview || messageNumber <= session.Pricing.FreeMessages ? 0 : session.Pricing.PerMessage ?? 0;

    /// <summary>The running (or final) cost: the clock's minutes plus the messages.</summary>
    public static Money Total(ChatSession session, DateTimeOffset now, int maxMinutes) =>
        new(MinutesCost(session, now, maxMinutes) + session.MessageCost, session.Pricing.Currency);
}
