using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Summaries;

/// <summary>A session's summary as its user asks for it: written, or still being written.</summary>
public sealed record SummaryState(SessionSummary? Summary)
{
    public bool Pending => Summary is null;
}

/// <summary>
/// Session summaries: which sessions get one, writing one (once: the store keeps the first), the receipt sent after it with its
/// highlights, reading one (its user only), and the ended sessions still without one (what a restart resumes).
/// A free preview and a session ended before its first question get no summary: there is nothing of the user's to sum up.
/// </summary>
public sealed class SessionSummaries(
    ISessionStore sessions,
    ISessionSummaryStore summaries,
    ISessionSummarizer summarizer,
    SessionClock clock,
    TimeProvider time,
    IOptions<SummaryOptions> options,
    ILogger<SessionSummaries> logger,
    SessionReceipts? receipts = null)
{
    public const string NoSummaryPreview = "A preview of your own clone gets no summary.";
    public const string NoSummaryUnused = "This session ended before its first question, so it has no summary.";
    public const string StillActive = "The session is still running: its summary is written when it ends.";

    /// <summary>Highlights in the receipt: the key insights and action items, at most this many of each.</summary>
    public const int ReceiptHighlights = 3;

    /// <summary>Whether an ended session gets a summary: it was not a preview, and it had at least one question.</summary>
    public static bool Wanted(ChatSession session) => !session.Preview && session.MessageCount > 0 && session.DeletedAt is null;

    /// <summary>The session's summary when written, else pending (the caller answers 202). Only the session's user reads it.</summary>
    public async Task<SummaryState> GetAsync(Caller caller, string sessionId, CancellationToken cancellationToken = default)
    {
        var session = await sessions.GetAsync(sessionId, cancellationToken);
        // Nobody else's summary exists as far as they can tell, admins included.
        if (session is null || session.DeletedAt is not null || session.UserId != caller.UserId) throw new NotFoundException("No such session.");
        var summary = await summaries.GetAsync(caller.UserId, session.Id, cancellationToken);
        if (summary is not null) return new SummaryState(summary);
        if (session.IsActive) throw new ConflictException(StillActive);
        if (session.Preview) throw new NotFoundException(NoSummaryPreview);
        if (session.MessageCount == 0) throw new NotFoundException(NoSummaryUnused);
        return new SummaryState(null);
    }

    /// <summary>
    /// Writes the summary of an ended session unless it has one (or wants none): true when this call stored it. The activity of
    /// the SummarizeSession orchestration; safe to run again.
    /// </summary>
    public async Task<bool> WriteAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var session = await sessions.GetAsync(sessionId, cancellationToken);
        if (session is null || session.IsActive || !Wanted(session)) return false;
        if (await summaries.GetAsync(session.UserId, session.Id, cancellationToken) is not null) return false;
        var messages = await sessions.GetMessagesAsync(session.Id, cancellationToken);
        var summary = await summarizer.SummarizeAsync(session, messages, cancellationToken);
        if (options.Value.WriteDelayMs > 0) await Task.Delay(TimeSpan.FromMilliseconds(options.Value.WriteDelayMs), time, cancellationToken);
        var stored = await summaries.TryAddAsync(summary, cancellationToken);
        logger.LogInformation("Summary of session {SessionId} ({Method}) {Outcome}", session.Id, summary.Method, stored ? "written" : "was already written");
        return stored;
    }

    /// <summary>
    /// Sends the session's receipt with the highlights of its summary (none when there is no summary: the receipt still goes
    /// out). Keyed <c>receipt:{sessionId}</c>, so a sender that honours keys sends it once however often this runs.
    /// </summary>
    public async Task SendReceiptAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        if (receipts is not { Enabled: true }) return;
        var session = await sessions.GetAsync(sessionId, cancellationToken);
        if (session is null || session.IsActive) return;
        var summary = await summaries.GetAsync(session.UserId, session.Id, cancellationToken);
        var (cost, elapsed) = clock.Read(session);
        await receipts.SendAsync(session, cost, elapsed, Highlights(summary), cancellationToken);
        if (summary is not null) await summaries.MarkReceiptSentAsync(session.UserId, session.Id, time.GetUtcNow(), cancellationToken);
    }

    public static IReadOnlyList<string> Highlights(SessionSummary? summary) =>
        summary is null ? [] : [.. summary.KeyInsights.Take(ReceiptHighlights), .. summary.ActionItems.Take(ReceiptHighlights).Select(a => "To do: " + a)];

    /// <summary>
    /// Ended sessions of the last <see cref="SummaryOptions.ResumeDays"/> that want a summary and have none yet, or (when this
    /// host sends receipts) whose summary was written but whose receipt was not recorded as sent: a crash between the two
    /// activities. Running SummarizeSession again for those writes nothing and sends the receipt once (it is keyed).
    /// </summary>
    public async Task<IReadOnlyList<string>> UnfinishedAsync(CancellationToken cancellationToken = default)
    {
        var since = time.GetUtcNow().AddDays(-options.Value.ResumeDays);
        var result = new List<string>();
        foreach (var s in await sessions.ListEndedAsync(since, 500, cancellationToken))
        {
            if (!Wanted(s)) continue;
            var summary = await summaries.GetAsync(s.UserId, s.Id, cancellationToken);
            if (summary is null || (summary.ReceiptSentAt is null && receipts is { Enabled: true } && SessionReceipts.Wanted(s, clock.Read(s).Cost)))
                result.Add(s.Id);
        }
        return result;
    }

    public int RetryAfterSeconds => options.Value.RetryAfterSeconds;
}
