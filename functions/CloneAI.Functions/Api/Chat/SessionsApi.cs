using System.Text;
using CloneAI.Core.Chat;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Limits;
using CloneAI.Functions.Api.Knowledge;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Chat;

/// <summary>
/// Chat sessions: start one with a clone, ask (JSON, or server-sent events when the request accepts text/event-stream; the
/// frames also go to the session's realtime group), end, rate, export. Only the session's user gets in (admins read a conversation
/// only through <c>GET /api/admin/sessions/{id}</c>, with a reason that is audit-logged);
/// a clone's creator sees its sessions only as aggregates.
/// </summary>
public sealed class SessionsApi(
    RequestAuth auth, SessionService sessions, AnswerService answers, SessionExport export, CloneStatistics statistics, ILogger<SessionsApi> logger,
    UserRateLimiter limiter)
{
    [Function(nameof(StartSession))]
    [ApiDoc("Start a session with a clone; its pricing is snapshotted", Tag = "Chat", Access = "signed in; published clone, or your own", Auth = ApiAuth.Required, Errors = [402, 429],
        Description = "One user may start `RateLimits:SessionsPerMinute` sessions a minute (429 with Retry-After beyond). The session's first message is the clone's greeting (answerKind greeting: free, not an answer). With your own clone, draft or published, the session is a preview: free whatever the pricing, not counted in the clone's statistics, and not rateable. "
            + "A paid session needs a wallet that holds its first minute and its first message (free when the clone gives free messages): else 402 …/insufficient-funds with missing and currency. The clock starts at the first question.")]
    [Returns<SessionDto>(201)]
    public Task<IActionResult> StartSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/sessions")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            await limiter.AcquireAsync(RatePolicies.Session, caller.UserId, cancellationToken);
            var session = await sessions.StartAsync(caller, id, cancellationToken);
            return new ObjectResult(View(session)) { StatusCode = 201 };
        });

    [Function(nameof(ListSessions))]
    [ApiDoc("My sessions, newest first", Tag = "Chat", Access = "signed in", Auth = ApiAuth.Required)]
    [Query<PageQuery>]
    [Returns<SessionPage>]
    public Task<IActionResult> ListSessions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sessions")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<PageQuery>(req.Query);
            var page = await sessions.ListAsync(caller, query.PageSize, query.ContinuationToken, cancellationToken);
            return new OkObjectResult(new SessionPage(page.Items.Select(View).ToList(), page.ContinuationToken));
        });

    [Function(nameof(GetSession))]
    [ApiDoc("One session with its messages", Tag = "Chat", Access = "the session's user", Auth = ApiAuth.Required)]
    [Returns<SessionWithMessages>]
    public Task<IActionResult> GetSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sessions/{sessionId}")] HttpRequest req, string sessionId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var (session, messages) = await sessions.GetAsync(caller, sessionId, cancellationToken);
            return new OkObjectResult(new SessionWithMessages(View(session), messages.Select(MessageDto.From).ToList()));
        });

    [Function(nameof(PostMessage))]
    [ApiDoc("Ask; a retry with the same clientMessageId returns the same answer and records usage once", Tag = "Chat", Access = "the session's user", Auth = ApiAuth.Required, Errors = [402, 403, 409, 429],
        Description = "The frames start, delta… and end go to the realtime group session-{id}. With 'Accept: text/event-stream' the response streams the same frames as server-sent events (an error found mid-answer ends the stream with an error frame); otherwise it is the whole answer. "
            + "Before answering, the wallet pays the started minutes not paid yet and this message (free messages first). When it cannot, the session ends (endReason out-of-credit) and the ask answers 402 …/out-of-credit with missing and currency; a streamed ask gets an error frame with code out-of-credit instead, as does the realtime group.")]
    [Accepts<PostMessageRequest>]
    [Returns<MessageDto>]
    [Streams(typeof(StartFrame), typeof(DeltaFrame), typeof(EndFrame), typeof(ErrorFrame))]
    public Task<IActionResult> PostMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sessions/{sessionId}/messages")] HttpRequest req, string sessionId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<PostMessageRequest>(req, cancellationToken);
            if (!EventStream.IsWanted(req))
                return new OkObjectResult(MessageDto.From(await answers.SendAsync(caller, sessionId, body.Content, body.ClientMessageId, null, cancellationToken)));
            // A hang-up must reach the answer (which then stores and bills the part written): the function's token and the
            // connection's abort, whichever the host signals.
            using var hangUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, req.HttpContext.RequestAborted);
            var stream = new EventStream(req.HttpContext.Response);
            return await stream.RunAsync(sink => answers.SendAsync(caller, sessionId, body.Content, body.ClientMessageId, sink, hangUp.Token));
        });

    [Function(nameof(EndSession))]
    [ApiDoc("End the session: the clock stops and the minutes are recorded", Tag = "Chat", Access = "the session's user", Auth = ApiAuth.Required, Errors = [403, 409])]
    [Returns<SessionDto>]
    public Task<IActionResult> EndSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sessions/{sessionId}/end")] HttpRequest req, string sessionId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            return new OkObjectResult(View(await sessions.EndAsync(caller, sessionId, cancellationToken)));
        });

    [Function(nameof(RateSession))]
    [ApiDoc("Rate the session 1-5 stars with an optional comment (again: replaces)", Tag = "Chat", Access = "the session's user", Auth = ApiAuth.Required, Errors = [403, 409],
        Description = "409 before the first answer, and for a preview (the owner trying their own clone): a clone's rating is its users'. 403 for any other session of the clone's owner (no self-rating). "
            + "A clone holds one rating per user, their latest: rating another session of the same clone replaces the user's earlier rating in the clone's average and count.")]
    [Accepts<RateSessionRequest>]
    [Returns<SessionDto>]
    public Task<IActionResult> RateSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sessions/{sessionId}/rating")] HttpRequest req, string sessionId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<RateSessionRequest>(req, cancellationToken);
            return new OkObjectResult(View(await sessions.RateAsync(caller, sessionId, body.Stars, body.Comment, cancellationToken)));
        });

    [Function(nameof(ExportSession))]
    [ApiDoc("Download the conversation with its citations", Tag = "Chat", Access = "the session's user", Auth = ApiAuth.Required)]
    [Query<ExportQuery>]
    [ReturnsFile("text/markdown", "application/json", "application/pdf", Description = "An attachment: the conversation as Markdown, JSON or an A4 PDF, with the session's summary once written")]
    public Task<IActionResult> ExportSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sessions/{sessionId}/export")] HttpRequest req, string sessionId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<ExportQuery>(req.Query);
            var (data, contentType, fileName) = await export.ExportFileAsync(caller, sessionId, query.Format, cancellationToken);
            return new FileContentResult(data, contentType) { FileDownloadName = fileName };
        });

    [Function(nameof(SessionSourceText))]
    [ApiDoc("The text of a document this session cited, within 2,000 characters of a cited passage (what a citation opens)", Tag = "Chat", Access = "the session's user", Auth = ApiAuth.Required, Errors = [403])]
    [Query<TextRangeQuery>]
    [Returns<DocumentTextSlice>]
    public Task<IActionResult> SessionSourceText(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sessions/{sessionId}/sources/{documentId}/text")] HttpRequest req, string sessionId, string documentId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var range = QueryReader.Read<TextRangeQuery>(req.Query);
            return new OkObjectResult(await sessions.SourceTextAsync(caller, sessionId, documentId, range.Start, range.End, cancellationToken));
        });

    [Function(nameof(CloneSessionStats))]
    [ApiDoc("Aggregates of a clone's sessions: counts, minutes, revenue, rating; never conversations", Tag = "Chat", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403])]
    [Returns<CloneSessionStats>]
    public Task<IActionResult> CloneSessionStats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}/sessions/stats")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            return new OkObjectResult(await statistics.GetAsync(caller, id, cancellationToken));
        });

    private SessionDto View(ChatSession session)
    {
        var (cost, elapsed) = sessions.Clock(session);
        return SessionDto.From(session, cost, elapsed);
    }
}
