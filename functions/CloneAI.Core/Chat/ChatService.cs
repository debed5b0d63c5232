using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Realtime;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace CloneAI.Core.Chat;

/// <summary>
/// Sessions and answers. An answer: authorize, check the session's clock, rewrite a follow-up, retrieve the clone's passages
/// within a token budget, compose the persona prompt, stream the model's answer as frames to the session's group (and to an
/// optional sink), then store the exchange and its usage event once, under the client's message key.
/// </summary>
public sealed partial class ChatService(
    ISessionStore sessions,
    CloneService clones,
    KnowledgeService knowledge,
    ICloneStore cloneStore,
    IKnowledgeIndex index,
    IKnowledgeEmbedder embedder,
    IChatClient chat,
    IRealtimeHub hub,
    Tokenizer tokenizer,
    IOptions<ChatSettings> options,
    TimeProvider time,
    ILogger<ChatService> logger,
    Limits.UserRateLimiter? limiter = null,
    SessionReceipts? receipts = null)
{
    public const int MaxComment = 1000;
    public const int MaxPageSize = 50;
    private const int SnippetChars = 240;
    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private ChatSettings Settings => options.Value;

    private bool IsExtractive => chat.GetService(typeof(ExtractiveResponder)) is not null;

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
            StartedAt = now,
            LastActivityAt = now,
        };
        return await sessions.CreateAsync(session, cancellationToken);
    }

    /// <summary>The session (ended first if its clock ran out) with its messages. Only its user or an admin may read it.</summary>
    public async Task<(ChatSession Session, IReadOnlyList<SessionMessage> Messages)> GetAsync(Caller caller, string sessionId, CancellationToken cancellationToken = default)
    {
        var session = await ExpireIfDueAsync(await ReadableAsync(caller, sessionId, cancellationToken), cancellationToken);
        return (session, await sessions.GetMessagesAsync(session.Id, cancellationToken));
    }

    public async Task<Page<ChatSession>> ListAsync(Caller caller, int? pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        if (pageSize is < 1 or > MaxPageSize) throw new ValidationException("pageSize", $"Must be between 1 and {MaxPageSize}.");
        var page = await sessions.ListByUserAsync(caller.UserId, pageSize ?? 20, continuationToken, cancellationToken);
        var items = new List<ChatSession>(page.Items.Count);
        foreach (var s in page.Items) items.Add(await ExpireIfDueAsync(s, cancellationToken));
        return page with { Items = items };
    }

    /// <summary>The running (or final) cost and elapsed seconds of a session.</summary>
    public (Money Cost, double ElapsedSeconds) Clock(ChatSession session)
    {
        var now = time.GetUtcNow();
        return (SessionBilling.Total(session, now, Settings.MaxSessionMinutes), SessionBilling.ElapsedSeconds(session, now, Settings.MaxSessionMinutes));
    }

    /// <summary>
    /// Answers one message. A retry with the same <paramref name="clientMessageId"/> streams and returns the stored answer again
    /// and records nothing new.
    /// </summary>
    public async Task<SessionMessage> SendAsync(
        Caller caller, string sessionId, string? content, string? clientMessageId, FrameSink? sink = null, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        v.Require("content", content, Settings.MaxMessageChars);
        if (string.IsNullOrWhiteSpace(clientMessageId)) v.Add("clientMessageId", "Send a key for this message (for example a UUID), so that a retry is answered once.");
        else if (!MessageKey().IsMatch(clientMessageId)) v.Add("clientMessageId", "Use 1 to 100 letters, digits, '-', '_', ':' or '.'.");
        v.ThrowIfInvalid();
        var question = content!.Trim();

        var session = await ReadableAsync(caller, sessionId, cancellationToken);
        if (session.UserId != caller.UserId) throw new ForbiddenException("Only the session's user can ask in it.");
        var messageId = AnswerId(session.Id, clientMessageId!);

        var stored = await sessions.FindAnswerAsync(session.Id, clientMessageId!, cancellationToken);
        if (stored is not null)
        {
            await ReplayAsync(session, stored, sink, cancellationToken);
            return stored;
        }

        session = await ExpireIfDueAsync(session, cancellationToken);
        if (!session.IsActive) throw new ConflictException("This session has ended. Start a new session to keep asking.");
        // Counted only for new questions: a retry of an answered one costs nothing.
        limiter?.Acquire(Limits.RatePolicies.Chat, caller.UserId);
        var clone = await cloneStore.GetAsync(session.CloneId, cancellationToken);
        if (clone is null || clone.Status == CloneStatus.Deleted) throw new ConflictException("This clone is no longer available.");

        using var activity = Telemetry.Source.StartActivity("chat.answer");
        activity?.SetTag("cloneai.session_id", session.Id);
        activity?.SetTag("cloneai.clone_id", clone.Id);
        var started = Stopwatch.GetTimestamp();
        var firstDelta = true;
        async Task Emit(ChatFrame frame)
        {
            if (frame is DeltaFrame && firstDelta)
            {
                firstDelta = false;
                Telemetry.FirstDelta.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            await PushAsync(session.Id, frame, cancellationToken);
            if (sink is not null) await sink(frame, cancellationToken);
        }

        try
        {
            var history = (await sessions.GetMessagesAsync(session.Id, cancellationToken)).TakeLast(Settings.HistoryMessages).ToList();
            var historyPairs = history.Select(m => (m.Role, Text: m.Content)).ToList();
            var standalone = IsExtractive || !Settings.RewriteWithModel
                ? FollowUps.Heuristic(question, history.Where(h => h.Role == MessageRoles.User).Select(h => h.Content).ToList())
                : await FollowUps.WithModelAsync(chat, question, historyPairs, cancellationToken);

            var sources = await RetrieveAsync(clone.Id, standalone, cancellationToken);
            var dontKnow = PersonaPrompt.DontKnowMessage(clone);
            var system = PersonaPrompt.Compose(clone, sources);
            var messages = new List<ChatMessage> { new(ChatRole.System, system) };
            foreach (var h in history) messages.Add(new ChatMessage(h.Role == MessageRoles.User ? ChatRole.User : ChatRole.Assistant, h.Content));
            messages.Add(new ChatMessage(ChatRole.User, IsExtractive ? standalone : question));

            string text;
            UsageDetails? reported = null;
            string kind;
            if (sources.Count == 0)
            {
                kind = AnswerKinds.DontKnow;
                await Emit(new StartFrame(session.Id, messageId, [], kind));
                text = dontKnow;
                await Emit(new DeltaFrame(session.Id, messageId, text));
            }
            else
            {
                kind = IsExtractive ? AnswerKinds.Extractive : AnswerKinds.Model;
                await Emit(new StartFrame(session.Id, messageId, sources.Select(ToCitation).ToList(), kind));
                var chatOptions = new ChatOptions
                {
                    AdditionalProperties = new AdditionalPropertiesDictionary
                    {
                        [ExtractiveResponder.SourcesKey] = sources,
                        [ExtractiveResponder.AnswerLengthKey] = clone.Persona.AnswerLength,
                        [ExtractiveResponder.DontKnowKey] = dontKnow,
                    },
                };
                if (!IsExtractive) chatOptions.ModelId = Settings.Model;
                var sb = new StringBuilder();
                await foreach (var update in chat.GetStreamingResponseAsync(messages, chatOptions, cancellationToken))
                {
                    foreach (var usage in update.Contents.OfType<UsageContent>()) reported = usage.Details;
                    var delta = update.Text;
                    if (string.IsNullOrEmpty(delta)) continue;
                    sb.Append(delta);
                    await Emit(new DeltaFrame(session.Id, messageId, delta));
                }
                text = sb.ToString().Trim();
                if (text.Length == 0)
                {
                    text = dontKnow;
                    await Emit(new DeltaFrame(session.Id, messageId, text));
                }
                if (text == dontKnow) kind = AnswerKinds.DontKnow;
            }

            var cited = Cited(text, sources);
            var tokens = new TokenUsage(
                (int?)reported?.InputTokenCount ?? messages.Sum(m => tokenizer.CountTokens(m.Text)),
                (int?)reported?.OutputTokenCount ?? tokenizer.CountTokens(text));
            var answer = await StoreAsync(session, question, clientMessageId!, messageId, text, cited, tokens, kind, cancellationToken);
            activity?.SetTag("cloneai.answer_kind", kind);
            activity?.SetTag("cloneai.sources", sources.Count);
            Telemetry.Answers.Add(1, new KeyValuePair<string, object?>("kind", kind));
            var (cost, elapsed) = Clock(answer.Session);
            await Emit(new EndFrame(session.Id, messageId, answer.Message.Usage!, cost, elapsed));
            return answer.Message;
        }
        catch (AppException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            // A refusal found mid-answer (the session ended meanwhile, say) closes the stream with its reason.
            await SafeEmitErrorAsync(session.Id, messageId, sink, e.Message);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            logger.LogError(e, "Answering in session {SessionId} failed", session.Id);
            await SafeEmitErrorAsync(session.Id, messageId, sink, "The answer could not be completed. Please try again.");
            throw new UpstreamException("The answer could not be completed. Please try again.");
        }
    }

    public async Task<ChatSession> EndAsync(Caller caller, string sessionId, CancellationToken cancellationToken = default)
    {
        var session = await ReadableAsync(caller, sessionId, cancellationToken);
        if (session.UserId != caller.UserId && !caller.IsAdmin) throw new ForbiddenException("Only the session's user can end it.");
        session = await ExpireIfDueAsync(session, cancellationToken);
        return session.IsActive ? await EndNowAsync(session, time.GetUtcNow(), EndReasons.User, cancellationToken) : session;
    }

    /// <summary>1 to 5 stars and an optional comment, by the session's user; rating again replaces the earlier rating.</summary>
    public async Task<ChatSession> RateAsync(Caller caller, string sessionId, int? stars, string? comment, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        if (stars is null or < 1 or > 5) v.Add("stars", "Give 1 to 5 stars.");
        v.Optional("comment", comment, MaxComment);
        v.ThrowIfInvalid();
        var session = await ReadableAsync(caller, sessionId, cancellationToken);
        if (session.UserId != caller.UserId) throw new ForbiddenException("Only the session's user can rate it.");
        if (session.MessageCount == 0) throw new ConflictException("Ask at least one question before rating the session.");
        var previous = session.Rating;
        var rated = await sessions.ReplaceAsync(session with { Rating = stars, RatingComment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim() }, cancellationToken);
        await UpdateCloneRatingAsync(session.CloneId, previous, stars!.Value, cancellationToken);
        return rated;
    }

    /// <summary>The conversation as Markdown or JSON, with citations.</summary>
    public async Task<(string Content, string ContentType, string FileName)> ExportAsync(Caller caller, string sessionId, string? format, CancellationToken cancellationToken = default)
    {
        var f = format ?? "markdown";
        if (f is not ("markdown" or "json")) throw new ValidationException("format", "Use markdown or json.");
        var (session, messages) = await GetAsync(caller, sessionId, cancellationToken);
        var (cost, elapsed) = Clock(session);
        var name = $"cloneai-session-{session.Id[..8]}";
        if (f == "json")
        {
            var json = JsonSerializer.Serialize(new { session = SessionView(session, cost, elapsed), messages }, ExportJson);
            return (json, "application/json", name + ".json");
        }
        var sb = new StringBuilder();
        sb.Append("# Session with ").AppendLine(session.CloneName).AppendLine();
        sb.Append(CultureInfo.InvariantCulture, $"- Started: {session.StartedAt:u}").AppendLine();
        if (session.EndedAt is { } ended) sb.Append(CultureInfo.InvariantCulture, $"- Ended: {ended:u} ({session.EndReason})").AppendLine();
        sb.Append(CultureInfo.InvariantCulture, $"- Length: {elapsed / 60:F1} min; messages: {session.MessageCount}; cost: {FormatMoney(cost)}").AppendLine();
        if (session.Rating is { } r) sb.Append(CultureInfo.InvariantCulture, $"- Rating: {r}/5").AppendLine();
        sb.AppendLine();
        foreach (var m in messages)
        {
            sb.Append("**").Append(m.Role == MessageRoles.User ? "You" : session.CloneName).AppendLine("**").AppendLine();
            sb.AppendLine(m.Content).AppendLine();
            foreach (var c in m.Citations)
                sb.Append(CultureInfo.InvariantCulture, $"> [{c.N}] {c.Title} ({c.FileName}{(c.Page is { } p ? $", page {p}" : "")}, characters {c.Start}–{c.End}): {c.Snippet}").AppendLine();
            if (m.Citations.Count > 0) sb.AppendLine();
        }
        return (sb.ToString(), "text/markdown; charset=utf-8", name + ".md");
    }

    /// <summary>Context a session's user may read around the passages its answers cited.</summary>
    public const int SourceContextChars = 2000;

    /// <summary>
    /// The text of a document cited in this session, within <see cref="SourceContextChars"/> of a cited passage: what a citation
    /// chip opens. The session's user (or an admin) may read it; the rest of the document stays the creator's.
    /// </summary>
    public async Task<DocumentTextSlice> SourceTextAsync(Caller caller, string sessionId, string documentId, int? start, int? end, CancellationToken cancellationToken = default)
    {
        var session = await ReadableAsync(caller, sessionId, cancellationToken);
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

    /// <summary>What the clone's creator (or an admin) sees of its sessions: aggregates only.</summary>
    public async Task<CloneSessionStats> CloneStatsAsync(Caller caller, string cloneIdOrSlug, CancellationToken cancellationToken = default)
    {
        var clone = await clones.GetManagedAsync(caller, cloneIdOrSlug, cancellationToken);
        return await sessions.GetCloneStatsAsync(clone.Id, cancellationToken);
    }

    /// <summary>Ends every session whose idle timeout or maximum length has passed (the timer calls this).</summary>
    public async Task<int> EndExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var due = await sessions.ListExpiredAsync(now.AddMinutes(-Settings.IdleTimeoutMinutes), now.AddMinutes(-Settings.MaxSessionMinutes), 500, cancellationToken);
        var ended = 0;
        foreach (var s in due)
        {
            try
            {
                if (!(await ExpireIfDueAsync(s, cancellationToken)).IsActive) ended++;
            }
            catch (ConflictException)
            {
                // Changed meanwhile (a message or an explicit end): the next sweep looks again.
            }
        }
        return ended;
    }

    public static object SessionView(ChatSession s, Money cost, double elapsedSeconds) => new
    {
        id = s.Id,
        cloneId = s.CloneId,
        cloneName = s.CloneName,
        cloneSlug = s.CloneSlug,
        status = s.Status,
        pricing = s.Pricing,
        startedAt = s.StartedAt,
        lastActivityAt = s.LastActivityAt,
        endedAt = s.EndedAt,
        endReason = s.EndReason,
        messageCount = s.MessageCount,
        usage = new TokenUsage((int)Math.Min(int.MaxValue, s.InputTokens), (int)Math.Min(int.MaxValue, s.OutputTokens)),
        cost,
        elapsedSeconds = Math.Round(elapsedSeconds, 1),
        rating = s.Rating,
        ratingComment = s.RatingComment,
    };

    public static string FormatMoney(Money m) =>
        m.Currency == "JPY" ? $"{m.Amount} JPY" : string.Create(CultureInfo.InvariantCulture, $"{m.Amount / 100m:F2} {m.Currency}");

    /// <summary>The id of the answer to a client's message: the same on every retry.</summary>
    public static string AnswerId(string sessionId, string clientMessageId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId + "\n" + clientMessageId)))[..32];

    private async Task<List<ChatSource>> RetrieveAsync(string cloneId, string question, CancellationToken cancellationToken)
    {
        var vector = await embedder.EmbedQueryAsync(question, cancellationToken);
        IReadOnlyList<KnowledgeHit> hits;
        try
        {
            hits = await index.SearchAsync(new KnowledgeQuery(cloneId, question, vector, SearchModes.Hybrid, Settings.Top, Settings.MaxPerDocument, embedder.Model), cancellationToken);
        }
        catch (ConflictException)
        {
            // Indexed by another model (a re-index is pending): answer from keywords rather than not at all.
            hits = await index.SearchAsync(new KnowledgeQuery(cloneId, question, null, SearchModes.Keyword, Settings.Top, Settings.MaxPerDocument, embedder.Model), cancellationToken);
        }
        if (hits.Count == 0) return [];
        var best = hits.Where(h => h.Similarity is not null).Select(h => h.Similarity!.Value).DefaultIfEmpty(double.NaN).Max();
        if (!double.IsNaN(best) && best < Settings.MinSimilarity) return [];
        var sources = new List<ChatSource>();
        var budget = Settings.ContextTokens;
        foreach (var h in hits)
        {
            var tokens = tokenizer.CountTokens(h.Text);
            if (tokens > budget && sources.Count > 0) break;
            budget -= tokens;
            sources.Add(new ChatSource(sources.Count + 1, h.DocumentId, h.FileName, h.Title, h.Text, h.Start, h.End, h.Page, h.Score));
        }
        return sources;
    }

    private static Citation ToCitation(ChatSource s) =>
        new(s.N, s.DocumentId, s.FileName, s.Title, s.Start, s.End, s.Page, Snippet(s.Text));

    private static string Snippet(string text)
    {
        var one = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return one.Length <= SnippetChars ? one : one[..SnippetChars].TrimEnd() + "…";
    }

    /// <summary>The sources the answer cites as [n], in the order of n.</summary>
    public static List<Citation> Cited(string text, IReadOnlyList<ChatSource> sources)
    {
        var numbers = CitationMark().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();
        return sources.Where(s => numbers.Contains(s.N)).Select(ToCitation).ToList();
    }

    private async Task<(ChatSession Session, SessionMessage Message)> StoreAsync(
        ChatSession session, string question, string clientMessageId, string messageId, string text, List<Citation> cited, TokenUsage tokens, string kind,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var number = session.MessageCount + 1;
            var price = SessionBilling.MessagePrice(session, number);
            var updated = session with
            {
                MessageCount = number,
                InputTokens = session.InputTokens + tokens.InputTokens,
                OutputTokens = session.OutputTokens + tokens.OutputTokens,
                MessageCost = session.MessageCost + price,
                LastActivityAt = now,
            };
            var userMessage = new SessionMessage
            {
                Id = messageId + "-q", SessionId = session.Id, Role = MessageRoles.User, Content = question, ClientMessageId = clientMessageId, CreatedAt = now,
            };
            var answer = new SessionMessage
            {
                Id = messageId, SessionId = session.Id, Role = MessageRoles.Assistant, Content = text, ClientMessageId = clientMessageId,
                Citations = cited, Usage = tokens, Cost = new Money(price, session.Pricing.Currency), AnswerKind = kind, CreatedAt = now,
            };
            var usage = new UsageEvent
            {
                Id = $"{session.Id}:message:{clientMessageId}", SessionId = session.Id, UserId = session.UserId, CloneId = session.CloneId,
                OwnerId = session.OwnerId, Kind = UsageKinds.Message, Quantity = 1, Amount = price, Currency = session.Pricing.Currency,
                InputTokens = tokens.InputTokens, OutputTokens = tokens.OutputTokens, CreatedAt = now,
            };
            try
            {
                if (await sessions.AddExchangeAsync(updated, userMessage, answer, usage, cancellationToken))
                    return ((await sessions.GetAsync(session.Id, cancellationToken))!, answer);
                // The same message was answered by a concurrent retry: that stored answer is the answer.
                var existing = await sessions.FindAnswerAsync(session.Id, clientMessageId, cancellationToken)
                    ?? throw new ConflictException("The message is being answered by another request. Retry shortly.");
                return ((await sessions.GetAsync(session.Id, cancellationToken))!, existing);
            }
            catch (ConflictException) when (attempt < 4)
            {
                // Another message of this session was stored meanwhile: count this one after it.
                session = await sessions.GetAsync(session.Id, cancellationToken) ?? throw new NotFoundException("The session no longer exists.");
                if (!session.IsActive) throw new ConflictException("This session has ended.");
            }
        }
    }

    private async Task ReplayAsync(ChatSession session, SessionMessage stored, FrameSink? sink, CancellationToken cancellationToken)
    {
        var (cost, elapsed) = Clock(session);
        ChatFrame[] frames =
        [
            new StartFrame(session.Id, stored.Id, stored.Citations, stored.AnswerKind ?? AnswerKinds.Extractive),
            new DeltaFrame(session.Id, stored.Id, stored.Content),
            new EndFrame(session.Id, stored.Id, stored.Usage ?? new TokenUsage(0, 0), cost, elapsed),
        ];
        foreach (var frame in frames)
        {
            await PushAsync(session.Id, frame, cancellationToken);
            if (sink is not null) await sink(frame, cancellationToken);
        }
    }

    /// <summary>
    /// Realtime delivery is best effort: the stored answer (and the HTTP response) is the record, so a hub outage is logged
    /// and the answer goes on.
    /// </summary>
    private async Task PushAsync(string sessionId, ChatFrame frame, CancellationToken cancellationToken)
    {
        try
        {
            await hub.SendToGroupAsync(RealtimeGroups.Session(sessionId), frame, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not push a {Type} frame of session {SessionId} to the realtime hub", frame.Type, sessionId);
        }
    }

    private async Task SafeEmitErrorAsync(string sessionId, string messageId, FrameSink? sink, string detail)
    {
        var frame = new ErrorFrame(sessionId, messageId, detail);
        await PushAsync(sessionId, frame, CancellationToken.None);
        try
        {
            if (sink is not null) await sink(frame, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not send the error frame of session {SessionId}", sessionId);
        }
    }

    private async Task<ChatSession> ReadableAsync(Caller caller, string sessionId, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(sessionId, cancellationToken);
        // Someone else's session does not exist, as far as the caller can tell.
        if (session is null || (session.UserId != caller.UserId && !caller.IsAdmin)) throw new NotFoundException("No such session.");
        return session;
    }

    private async Task<ChatSession> ExpireIfDueAsync(ChatSession session, CancellationToken cancellationToken)
    {
        if (!session.IsActive) return session;
        var now = time.GetUtcNow();
        var maxEnd = session.StartedAt.AddMinutes(Settings.MaxSessionMinutes);
        var idleEnd = session.LastActivityAt.AddMinutes(Settings.IdleTimeoutMinutes);
        // Whichever came first ends it. An idle session is billed up to its last activity, not up to when it was noticed.
        if (now >= idleEnd && idleEnd <= maxEnd) return await EndNowAsync(session, session.LastActivityAt, EndReasons.Idle, cancellationToken);
        if (now >= maxEnd) return await EndNowAsync(session, maxEnd, EndReasons.MaxLength, cancellationToken);
        return session;
    }

    private async Task<ChatSession> EndNowAsync(ChatSession session, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        var ended = session with { Status = SessionStatus.Ended, EndedAt = at, EndReason = reason };
        var minutes = SessionBilling.BilledMinutes(ended, at, Settings.MaxSessionMinutes);
        var usage = new UsageEvent
        {
            Id = $"{session.Id}:minutes", SessionId = session.Id, UserId = session.UserId, CloneId = session.CloneId, OwnerId = session.OwnerId,
            Kind = UsageKinds.Minutes, Quantity = minutes, Amount = minutes * (session.Pricing.PerMinute ?? 0), Currency = session.Pricing.Currency,
            CreatedAt = time.GetUtcNow(),
        };
        var stored = await sessions.EndAsync(ended, usage, cancellationToken);
        if (session.MessageCount > 0) await BumpCloneSessionCountAsync(session.CloneId, cancellationToken);
        if (receipts is { Enabled: true })
        {
            var (cost, elapsed) = Clock(stored);
            await receipts.SendAsync(stored, cost, elapsed, cancellationToken);
        }
        return stored;
    }

    private async Task BumpCloneSessionCountAsync(string cloneId, CancellationToken cancellationToken) =>
        await UpdateCloneAsync(cloneId, c => c with { SessionCount = c.SessionCount + 1 }, cancellationToken);

    private async Task UpdateCloneRatingAsync(string cloneId, int? previous, int stars, CancellationToken cancellationToken) =>
        await UpdateCloneAsync(cloneId, c =>
        {
            var total = c.Rating * c.RatingCount - (previous ?? 0) + stars;
            var count = c.RatingCount + (previous is null ? 1 : 0);
            return c with { Rating = count == 0 ? 0 : Math.Round(total / count, 2), RatingCount = count };
        }, cancellationToken);

    private async Task UpdateCloneAsync(string cloneId, Func<Clone, Clone> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var clone = await cloneStore.GetAsync(cloneId, cancellationToken);
            if (clone is null) return;
            try
            {
                await cloneStore.ReplaceAsync(change(clone), clone.Slug, cancellationToken);
                return;
            }
            catch (ConflictException)
            {
            }
        }
        logger.LogWarning("Could not update the aggregates of clone {CloneId} after 5 attempts", cloneId);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-:.]{1,100}$")]
    private static partial Regex MessageKey();

    [GeneratedRegex(@"\[(\d{1,2})\]")]
    private static partial Regex CitationMark();
}
