using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;

namespace CloneAI.Core.Chat;

/// <summary>
/// A user's sessions with clones: start one, read it (with its messages and the passages its answers cited), list them, end
/// and rate them, and the timer's sweep of sessions whose clock ran out. Answers are <see cref="AnswerService"/>'s.
/// </summary>
public sealed class SessionService(
    ISessionStore sessions,
    CloneService clones,
    KnowledgeService knowledge,
    SessionLifecycle lifecycle,
    CloneAggregates aggregates,
    SessionClock clock,
    TimeProvider time,
    SessionCharges? charges = null,
    IReturningUserGreeting? welcomeBack = null)
{
    public const int MaxComment = 1000;

    /// <summary>Why a preview cannot be rated (409): a clone's rating is its users' alone.</summary>
    public const string PreviewNotRateable = "This is a preview of your own clone: it can't be rated. Ratings come from the people who use it.";
    public const int MaxPageSize = 50;

    /// <summary>Why the owner cannot rate a session with their own clone (403), whatever the session's kind.</summary>
    public const string OwnClone = "You can't rate your own clone: its rating comes from the people who use it.";

    /// <summary>Context a session's user may read around the passages its answers cited.</summary>
    public const int SourceContextChars = 2000;

    /// <summary>
    /// Starts a session with a published clone, or with a draft of the caller's own. The clone's greeting is stored with it as
    /// its first message. The owner's session with their own clone is a <see cref="ChatSession.Preview"/>: free, and not
    /// counted in the clone's statistics or rateable. A paid session needs a wallet that holds its first minute and its first
    /// message (free when the clone gives free messages), else <see cref="Billing.InsufficientFundsException"/> (402) names what
    /// is missing. The clock starts at the first question, not here.
    /// </summary>
    public async Task<ChatSession> StartAsync(Caller caller, string cloneIdOrSlug, CancellationToken cancellationToken = default)
    {
        var clone = await clones.GetAsync(caller, cloneIdOrSlug, cancellationToken);
        var now = time.GetUtcNow();
        var session = new ChatSession
        {
            Id = Guid.NewGuid().ToString("N"),
            UserId = caller.UserId,
            CloneId = clone.Id,
            CloneName = clone.Name,
            CloneSlug = clone.Slug,
            OwnerId = clone.OwnerId,
            Pricing = clone.Pricing,
            Preview = caller.UserId == clone.OwnerId,
            StartedAt = now,
            LastActivityAt = now,
        };
        if (charges is not null) await charges.EnsureCanStartAsync(session, cancellationToken);
        // A returning user is welcomed back (what they worked on last time, their goal) before the clone's greeting.
        var welcome = welcomeBack is null ? null : await welcomeBack.WelcomeBackAsync(session, cancellationToken);
        return await sessions.CreateAsync(session, SessionGreeting.For(session, clone, welcome), cancellationToken);
    }

    /// <summary>The session (ended first if its clock ran out) with its messages. Only its user may read it here.</summary>
    public async Task<(ChatSession Session, IReadOnlyList<SessionMessage> Messages)> GetAsync(Caller caller, string sessionId, CancellationToken cancellationToken = default)
    {
        var session = await lifecycle.ExpireIfDueAsync(await sessions.ReadableAsync(caller, sessionId, cancellationToken), cancellationToken);
        return (session, await sessions.GetMessagesAsync(session.Id, cancellationToken));
    }

    public async Task<Page<ChatSession>> ListAsync(Caller caller, int? pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        if (pageSize is < 1 or > MaxPageSize) throw new ValidationException("pageSize", $"Must be between 1 and {MaxPageSize}.");
        var page = await sessions.ListByUserAsync(caller.UserId, pageSize ?? 20, continuationToken, cancellationToken);
        var items = new List<ChatSession>(page.Items.Count);
        foreach (var s in page.Items) items.Add(await lifecycle.ExpireIfDueAsync(s, cancellationToken));
        return page with { Items = items };
    }

    /// <summary>The running (or final) cost and elapsed seconds of a session.</summary>
    public (Money Cost, double ElapsedSeconds) Clock(ChatSession session) => clock.Read(session);

    public async Task<ChatSession> EndAsync(Caller caller, string sessionId, CancellationToken cancellationToken = default)
    {
        var session = await sessions.ReadableAsync(caller, sessionId, cancellationToken);
        session = await lifecycle.ExpireIfDueAsync(session, cancellationToken);
        return session.IsActive ? await lifecycle.EndByUserAsync(session, cancellationToken) : session;
    }

    /// <summary>
    /// 1 to 5 stars and an optional comment, by the session's user; rating again replaces the earlier rating, and so does rating
    /// another session of the same clone: the clone holds one rating per user, their latest. A preview (the owner trying their
    /// clone) is refused with 409, and any other session of the clone's owner with 403 (no self-rating).
    /// </summary>
    public async Task<ChatSession> RateAsync(Caller caller, string sessionId, int? stars, string? comment, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        if (stars is null or < 1 or > 5) v.Add("stars", "Give 1 to 5 stars.");
        v.Optional("comment", comment, MaxComment);
        v.ThrowIfInvalid();
        var session = await sessions.ReadableAsync(caller, sessionId, cancellationToken);
        if (session.UserId != caller.UserId) throw new ForbiddenException("Only the session's user can rate it.");
        if (session.Preview) throw new ConflictException(PreviewNotRateable);
        // A session stored before previews existed, or a clone that changed hands, can still be the owner's own.
        if (session.OwnerId == caller.UserId || (await clones.FindOwnerAsync(session.CloneId, cancellationToken)) == caller.UserId)
            throw new ForbiddenException(OwnClone);
        if (session.MessageCount == 0) throw new ConflictException("Ask at least one question before rating the session.");
        var previous = session.Rating;
        var now = time.GetUtcNow();
        var rated = await sessions.ReplaceAsync(session with { Rating = stars, RatingComment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(), RatedAt = now }, cancellationToken);
        await aggregates.RateAsync(session.CloneId, caller.UserId, session.Id, previous, stars!.Value, now, cancellationToken);
        return rated;
    }

    /// <summary>
    /// The text of a document cited in this session, within <see cref="SourceContextChars"/> of a cited passage: what a citation
    /// chip opens. The session's user may read it; the rest of the document stays the creator's.
    /// </summary>
    public async Task<DocumentTextSlice> SourceTextAsync(Caller caller, string sessionId, string documentId, int? start, int? end, CancellationToken cancellationToken = default)
    {
        var session = await sessions.ReadableAsync(caller, sessionId, cancellationToken);
        var citations = (await sessions.GetMessagesAsync(session.Id, cancellationToken)).SelectMany(m => m.Citations).Where(c => c.DocumentId == documentId).ToList();
        if (citations.Count == 0) throw new NotFoundException("This session cited no such document.");
        var from = start ?? citations[0].Start;
        var to = end ?? (start is null ? citations[0].End : from + 1000);
        if (to < from) throw new ValidationException("end", "Must not be before start.");
        var allowed = citations.Any(c => from >= c.Start - SourceContextChars && to <= c.End + SourceContextChars);
        if (!allowed) throw new ForbiddenException($"Only the cited passages and up to {SourceContextChars} characters around them can be read here.");
        // A window that runs past the end of the document is cut at its end, not refused.
        return await knowledge.GetTextWindowAsync(session.CloneId, documentId, from, to, cancellationToken);
    }

    /// <summary>Ends every session whose idle timeout or maximum length has passed (the timer calls this).</summary>
    public Task<int> EndExpiredAsync(CancellationToken cancellationToken = default) => lifecycle.EndExpiredAsync(cancellationToken);

    /// <summary>Posts the charges a crash left unsettled (the timer, and the local host at start, call this).</summary>
    public Task<int> SettleUsageAsync(TimeSpan? minAge = null, CancellationToken cancellationToken = default) =>
        charges?.SweepAsync(minAge, cancellationToken) ?? Task.FromResult(0);
}
