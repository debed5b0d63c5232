using System.Globalization;
using CloneAI.Core.Deletion;
using CloneAI.Core.Summaries;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Summaries;

/// <summary>
/// A session's summary (written once the session ends, by the SummarizeSession orchestration) and deleting a session. Only the
/// session's user gets in: for anyone else, admins included, there is no such session (404).
/// </summary>
public sealed class SummariesApi(RequestAuth auth, SessionSummaries summaries, SessionDeletion deletion, ILogger<SummariesApi> logger)
{
    [Function(nameof(GetSessionSummary))]
    [ApiDoc("The session's summary: 202 while it is being written, then 200", Tag = "Chat", Access = "the session's user", Auth = ApiAuth.Required, Errors = [409],
        Description = "Written when the session ends (by its user, idle, maximum length or out of credit): summary, keyInsights, actionItems, nextTopics and the cited documents; "
            + "method is model (structured output of the language model) or extractive (the most central sentences of the answers, labelled so). "
            + "202 with Retry-After while it is being written; 409 while the session is still running; 404 for a preview of your own clone or a session ended before its first question (they get no summary), and for anyone else's session.")]
    [Returns<SessionSummaryDto>]
    [Returns<SummaryPendingDto>(202, "Being written: ask again after Retry-After seconds")]
    public Task<IActionResult> GetSessionSummary(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sessions/{sessionId}/summary")] HttpRequest req, string sessionId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var state = await summaries.GetAsync(caller, sessionId, cancellationToken);
            if (state.Summary is { } summary) return new OkObjectResult(SessionSummaryDto.From(summary));
            var wait = summaries.RetryAfterSeconds;
            req.HttpContext.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
            return new ObjectResult(new SummaryPendingDto(sessionId, SummaryPendingDto.Writing, "The summary is being written. Ask again in a moment.", wait)) { StatusCode = 202 };
        });

    [Function(nameof(DeleteSession))]
    [ApiDoc("Delete the session: its messages, its summary and the memories that came from it (the money it moved stays on record)", Tag = "Chat", Access = "the session's user", Auth = ApiAuth.Required,
        Description = "An active session is ended first (as if you ended it, and billed so). The session then disappears from your sessions; its usage and ledger records stay. 404 for anyone else's session, admins included.")]
    [ReturnsEmpty(204, "Deleted")]
    public Task<IActionResult> DeleteSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "sessions/{sessionId}")] HttpRequest req, string sessionId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            await deletion.DeleteAsync(caller, sessionId, cancellationToken);
            return new NoContentResult();
        });
}
