using CloneAI.Core.Domain;

namespace CloneAI.Core.Chat;

public static class SessionStatus
{
    public const string Active = "active";
    public const string Ended = "ended";
}

/// <summary>Why a session ended.</summary>
public static class EndReasons
{
    public const string User = "user";
    public const string Idle = "idle";
    public const string MaxLength = "max-length";
    /// <summary>The wallet could not pay the next minute or message.</summary>
    public const string OutOfCredit = "out-of-credit";
}

public static class MessageRoles
{
    public const string User = "user";
    public const string Assistant = "assistant";
}

/// <summary>
/// A timed chat between one user and one clone. The pricing is a snapshot taken when the session started, so a later price
/// change never touches it. Amounts are integer minor units (cents) of <see cref="Pricing.Currency"/>.
/// Partition key in Cosmos: <c>/userId</c>.
/// </summary>
public sealed record ChatSession
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string CloneId { get; init; }
    public required string CloneName { get; init; }
    public string CloneSlug { get; init; } = "";
    public required string OwnerId { get; init; }
    public Pricing Pricing { get; init; } = new();
    public string Status { get; init; } = SessionStatus.Active;
    /// <summary>When the session was opened. Its maximum length counts from here.</summary>
    public DateTimeOffset StartedAt { get; init; }
    /// <summary>
    /// When the clock started: the first question was admitted. Null until then, so a session ended before any question is billed
    /// no minute. Minutes are billed from here.
    /// </summary>
    public DateTimeOffset? ClockStartedAt { get; init; }
    /// <summary>The started minutes whose usage events are stored (<c>{sessionId}:minute:{k}</c>, k = 1..this).</summary>
    public int MinutesRecorded { get; init; }
    public DateTimeOffset LastActivityAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndReason { get; init; }
    /// <summary>User messages answered so far.</summary>
    public int MessageCount { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    /// <summary>Cost of the answered messages (per-message pricing, after the free ones); the clock's part is computed from the times.</summary>
    public long MessageCost { get; init; }
    public int? Rating { get; init; }
    public string? RatingComment { get; init; }
    /// <summary>When its user last rated it: of a user's rated sessions with a clone, the latest rated is their rating of the clone.</summary>
    public DateTimeOffset? RatedAt { get; init; }
    /// <summary>
    /// The clone's owner trying it (set when the session starts): free whatever the pricing, not counted in the clone's
    /// statistics, session count or revenue, not rateable, and no receipt is sent. The answers are made as for anyone.
    /// </summary>
    public bool Preview { get; init; }
    /// <summary>
    /// When its user deleted the session: its messages are gone, and it is hidden from every read and list; the record stays for
    /// the money it moved (its usage events and ledger transactions are kept).
    /// </summary>
    public DateTimeOffset? DeletedAt { get; init; }
    public string? ETag { get; init; }

    public bool IsActive => Status == SessionStatus.Active;
}

/// <summary>
/// A document an answer cites as <c>[n]</c>: a character range of its extracted text (<see cref="Start"/>, <see cref="End"/>:
/// everything it quotes), and <see cref="Quotes"/>, the exact ranges of the sentences quoted from it, in document order. Older
/// answers, and model answers whose sentences could not be located, have no quotes: the range is the cited passage.
/// <see cref="Passages"/> are the retrieved passages (chunks) of the document that the answer's sentences citing it were quoted
/// from (for a model's answer, the passages its marks named), in document order; older answers have none.
/// </summary>
public sealed record Citation(
    int N, string DocumentId, string FileName, string Title, int Start, int End, int? Page, string Snippet, IReadOnlyList<QuoteSpan>? Quotes = null,
    IReadOnlyList<QuoteSpan>? Passages = null)
{
    public IReadOnlyList<QuoteSpan> Quotes { get; init; } = Quotes ?? [];

    /// <summary>The ranges <c>[Start, End)</c> of the retrieved passages the quotes came from (absolute offsets of the document's text).</summary>
    public IReadOnlyList<QuoteSpan> Passages { get; init; } = Passages ?? [];
}

/// <summary>A range <c>[Start, End)</c> of a document's extracted text: quoted sentences, or a retrieved passage.</summary>
public sealed record QuoteSpan(int Start, int End);

public sealed record TokenUsage(int InputTokens, int OutputTokens);

/// <summary>
/// One message of a session. An assistant message answers the user message with the same <see cref="ClientMessageId"/>; its id
/// is derived from the session and that key, so a retried request streams and stores the same message.
/// </summary>
public sealed record SessionMessage
{
    public required string Id { get; init; }
    public required string SessionId { get; init; }
    public required string Role { get; init; }
    public required string Content { get; init; }
    public string? ClientMessageId { get; init; }
    public IReadOnlyList<Citation> Citations { get; init; } = [];
    public TokenUsage? Usage { get; init; }
    /// <summary>What this message cost (assistant messages): its per-message price, zero when free.</summary>
    public Money? Cost { get; init; }
    /// <summary>
    /// How the answer was made: <c>extractive</c> (quoted from sources), <c>model</c>, or <c>dont-know</c>; <c>greeting</c> is
    /// the clone's greeting that opens every session (stored when it starts, free, not an answer to anything).
    /// </summary>
    public string? AnswerKind { get; init; }
    /// <summary>
    /// An answer's best retrieved passage: its cosine similarity to the question, when the index reported one (none for an
    /// answer without sources, and for older answers). The creator dashboard counts a weak one as a knowledge gap.
    /// </summary>
    public double? BestSimilarity { get; init; }
    /// <summary>
    /// The requester hung up while the answer was being written: this is the part written by then, stored and billed as an
    /// answer (its tokens counted) so that a hang-up never gets an answer free; a retry with the same key gets this part.
    /// </summary>
    public bool Interrupted { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public static class AnswerKinds
{
    public const string Extractive = "extractive";
    public const string Model = "model";
    public const string DontKnow = "dont-know";
    public const string Greeting = "greeting";
}

public static class UsageKinds
{
    public const string Message = "message";
    public const string Minutes = "minutes";
}

/// <summary>
/// A ledger-ready usage record. <see cref="Id"/> is the idempotency key (<c>{sessionId}:message:{clientMessageId}</c>, or
/// <c>{sessionId}:minute:{k}</c> for the k-th started minute): stores keep one event per key, so a retry never records usage
/// twice. Each is charged to the user's wallet as one ledger transaction under the same key, after it is stored; it is then
/// marked settled (<see cref="SettledAt"/>, with what the wallet actually paid in <see cref="Charged"/>), and a sweep charges
/// any that a crash left unsettled.
/// </summary>
public sealed record UsageEvent
{
    public required string Id { get; init; }
    public required string SessionId { get; init; }
    public required string UserId { get; init; }
    public required string CloneId { get; init; }
    public required string OwnerId { get; init; }
    public required string Kind { get; init; }
    public long Quantity { get; init; }
    public long Amount { get; init; }
    public string Currency { get; init; } = "USD";
    public int InputTokens { get; init; }
    public int OutputTokens { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the event's charge was posted to the ledger (or found to cost nothing); null while unsettled.</summary>
    public DateTimeOffset? SettledAt { get; init; }
    /// <summary>What the wallet paid for it: <see cref="Amount"/>, less only when the wallet could not cover it all (never below zero).</summary>
    public long? Charged { get; init; }
}

/// <summary>What a clone's creator sees of its sessions: aggregates only, never a conversation.</summary>
public sealed record CloneSessionStats(int Sessions, int ActiveSessions, int Messages, double Minutes, long Revenue, string Currency, double? AverageRating, int Ratings)
{
    /// <summary>
    /// The aggregates of a clone's sessions and the revenue of its usage events, as every session store computes them. The owner's
    /// previews are not the clone's sessions: they are left out here (they are free, so they add no revenue either). Revenue is in
    /// <paramref name="currency"/> (the platform currency) only: usage in any other currency (older prices) is never added to it.
    /// A settled event counts what the wallet paid for it.
    /// </summary>
    public static CloneSessionStats Of(IEnumerable<ChatSession> sessions, IEnumerable<UsageEvent> usage, string currency) =>
        Of(sessions, usage.Where(u => u.Currency == currency).Sum(u => u.Charged ?? u.Amount), currency);

    /// <summary>The aggregates of a clone's sessions with its <paramref name="revenue"/> (in <paramref name="currency"/>) summed by the store.</summary>
    public static CloneSessionStats Of(IEnumerable<ChatSession> sessions, long revenue, string currency)
    {
        var all = sessions.Where(s => !s.Preview).ToList();
        var rated = SessionRatings.LatestPerUser(all).ToList();
        return new CloneSessionStats(
            all.Count,
            all.Count(s => s.IsActive),
            all.Sum(s => s.MessageCount),
            Math.Round(all.Where(s => s.EndedAt is not null).Sum(s => (s.EndedAt!.Value - s.StartedAt).TotalMinutes), 1),
            revenue,
            currency,
            rated.Count == 0 ? null : Math.Round(rated.Average(s => s.Rating!.Value), 2),
            rated.Count);
    }
}

/// <summary>A clone's ratings as its users gave them: one per user (the session they rated last), never the owner's own.</summary>
public static class SessionRatings
{
    public static IEnumerable<ChatSession> LatestPerUser(IEnumerable<ChatSession> sessions) =>
        sessions.Where(s => s.Rating is >= 1 and <= 5 && !s.Preview && s.UserId != s.OwnerId)
            .GroupBy(s => (s.UserId, s.CloneId))
            .Select(g => g.OrderByDescending(s => s.RatedAt ?? s.LastActivityAt).ThenByDescending(s => s.StartedAt).First());
}
