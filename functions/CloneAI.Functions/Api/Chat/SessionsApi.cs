using System.Text;
using System.Text.Json;
using CloneAI.Core.Chat;
using CloneAI.Core.Errors;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Chat;

/// <summary>
/// Chat sessions: start one with a clone, ask (JSON, or server-sent events when the request accepts text/event-stream; the
/// frames also go to the session's realtime group), end, rate, export. Only the session's user (or an admin, to read) gets in;
/// a clone's creator sees its sessions only as aggregates.
/// </summary>
public sealed class SessionsApi(
    RequestAuth auth, SessionService sessions, AnswerService answers, SessionExport export, CloneStatistics statistics, ILogger<SessionsApi> logger)
{
    private static readonly JsonSerializerOptions FrameJson = new(JsonSerializerDefaults.Web);

    [Function(nameof(StartSession))]
    [ApiDoc("Start a session with a clone; its pricing is snapshotted", Tag = "Chat", Access = "signed in; published clone, or your own", Returns = "201 Session")]
    public Task<IActionResult> StartSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/sessions")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var session = await sessions.StartAsync(caller, id, cancellationToken);
            return new ObjectResult(View(session)) { StatusCode = 201 };
        });

    [Function(nameof(ListSessions))]
    [ApiDoc("My sessions, newest first. Query: pageSize, continuationToken", Tag = "Chat", Access = "signed in", Returns = "{items: Session[], continuationToken}")]
    public Task<IActionResult> ListSessions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sessions")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var q = new QueryReader(req.Query);
            var pageSize = q.Int("pageSize");
            var token = q.String("continuationToken");
            q.ThrowIfInvalid();
            var page = await sessions.ListAsync(caller, pageSize, token, cancellationToken);
            return new OkObjectResult(new { items = page.Items.Select(View).ToList(), continuationToken = page.ContinuationToken });
        });

    [Function(nameof(GetSession))]
    [ApiDoc("One session with its messages", Tag = "Chat", Access = "the session's user or admin", Returns = "Session & {messages: Message[]}")]
    public Task<IActionResult> GetSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sessions/{sessionId}")] HttpRequest req, string sessionId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var (session, messages) = await sessions.GetAsync(caller, sessionId, cancellationToken);
            return new OkObjectResult(new { session = View(session), messages = messages.Select(MessageView).ToList() });
        });

    [Function(nameof(PostMessage))]
    [ApiDoc("Ask. Frames start/delta/end go to the group session-{id}; with 'Accept: text/event-stream' the response streams the same frames as SSE, else it is the whole answer. A retry with the same clientMessageId returns the same answer and records usage once", Tag = "Chat", Access = "the session's user", Body = "{content, clientMessageId}", Returns = "Message, or text/event-stream")]
    public Task<IActionResult> PostMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sessions/{sessionId}/messages")] HttpRequest req, string sessionId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadJsonAsync(req, cancellationToken);
            var content = body.String("content");
            var clientMessageId = body.String("clientMessageId");
            body.ThrowIfInvalid();
            if (!WantsEventStream(req))
                return new OkObjectResult(MessageView(await answers.SendAsync(caller, sessionId, content, clientMessageId, null, cancellationToken)));

            // Server-sent events: problems found before the first frame are still plain problem+json responses.
            var response = req.HttpContext.Response;
            var started = false;
            async Task Sink(ChatFrame frame, CancellationToken ct)
            {
                if (!started)
                {
                    started = true;
                    response.StatusCode = 200;
                    response.ContentType = "text/event-stream; charset=utf-8";
                    response.Headers.CacheControl = "no-cache";
                    response.Headers["X-Accel-Buffering"] = "no";
                }
                var json = JsonSerializer.Serialize<object>(frame, FrameJson);
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {frame.Type}\ndata: {json}\n\n"), ct);
                await response.Body.FlushAsync(ct);
            }
            try
            {
                await answers.SendAsync(caller, sessionId, content, clientMessageId, Sink, cancellationToken);
            }
            catch (AppException) when (started)
            {
                // The error frame is already in the stream.
            }
            return started ? new EmptyResult() : throw new InvalidOperationException("The answer produced no frames.");
        });

    [Function(nameof(EndSession))]
    [ApiDoc("End the session: the clock stops and the minutes are recorded", Tag = "Chat", Access = "the session's user or admin", Returns = "Session")]
    public Task<IActionResult> EndSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sessions/{sessionId}/end")] HttpRequest req, string sessionId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            return new OkObjectResult(View(await sessions.EndAsync(caller, sessionId, cancellationToken)));
        });

    [Function(nameof(RateSession))]
    [ApiDoc("Rate the session 1-5 stars with an optional comment (again: replaces)", Tag = "Chat", Access = "the session's user", Body = "{stars, comment?}", Returns = "Session")]
    public Task<IActionResult> RateSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sessions/{sessionId}/rating")] HttpRequest req, string sessionId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadJsonAsync(req, cancellationToken);
            var stars = body.Int("stars");
            var comment = body.String("comment");
            body.ThrowIfInvalid();
            return new OkObjectResult(View(await sessions.RateAsync(caller, sessionId, stars, comment, cancellationToken)));
        });

    [Function(nameof(ExportSession))]
    [ApiDoc("Download the conversation with its citations. Query: format=markdown|json", Tag = "Chat", Access = "the session's user or admin", Returns = "text/markdown or application/json attachment")]
    public Task<IActionResult> ExportSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sessions/{sessionId}/export")] HttpRequest req, string sessionId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var (content, contentType, fileName) = await export.ExportAsync(caller, sessionId, req.Query["format"].FirstOrDefault(), cancellationToken);
            return new FileContentResult(Encoding.UTF8.GetBytes(content), contentType) { FileDownloadName = fileName };
        });

    [Function(nameof(SessionSourceText))]
    [ApiDoc("The text of a document this session cited, within 2,000 characters of a cited passage (what a citation opens). Query: start, end", Tag = "Chat", Access = "the session's user or admin", Returns = "{documentId, start, end, totalLength, text, page}")]
    public Task<IActionResult> SessionSourceText(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sessions/{sessionId}/sources/{documentId}/text")] HttpRequest req, string sessionId, string documentId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var q = new QueryReader(req.Query);
            var start = q.Int("start");
            var end = q.Int("end");
            q.ThrowIfInvalid();
            return new OkObjectResult(await sessions.SourceTextAsync(caller, sessionId, documentId, start, end, cancellationToken));
        });

    [Function(nameof(CloneSessionStats))]
    [ApiDoc("Aggregates of a clone's sessions: counts, minutes, revenue, rating; never conversations", Tag = "Chat", Access = "owner or admin", Returns = "{sessions, activeSessions, messages, minutes, revenue, currency, averageRating, ratings}")]
    public Task<IActionResult> CloneSessionStats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}/sessions/stats")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            return new OkObjectResult(await statistics.GetAsync(caller, id, cancellationToken));
        });

    private object View(ChatSession session)
    {
        var (cost, elapsed) = sessions.Clock(session);
        return SessionService.SessionView(session, cost, elapsed);
    }

    public static object MessageView(SessionMessage m) => new
    {
        id = m.Id,
        role = m.Role,
        content = m.Content,
        citations = m.Citations,
        usage = m.Usage,
        cost = m.Cost,
        answerKind = m.AnswerKind,
        clientMessageId = m.ClientMessageId,
        createdAt = m.CreatedAt,
    };

    private static bool WantsEventStream(HttpRequest req) =>
        req.Headers.Accept.Any(a => a is not null && a.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase));
}
