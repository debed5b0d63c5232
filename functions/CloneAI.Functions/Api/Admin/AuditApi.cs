using CloneAI.Core.Admin;
using CloneAI.Core.Chat;
using CloneAI.Functions.Api.Chat;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Admin;

/// <summary>
/// The audit log (admins), an admin reading a user's conversation with a stated reason (audit-logged), and each user's view
/// of what admins did to their account or data.
/// </summary>
public sealed class AuditApi(RequestAuth auth, AuditTrail audit, ConversationAccess conversations, SessionService sessions, ILogger<AuditApi> logger)
{
    [Function(nameof(AdminListAudit))]
    [ApiDoc("The audit log of admin actions, newest first", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403],
        Description = "Who, what, when and why. With action or targetType, only matching entries: a page may then hold fewer than asked and still carry a continuationToken.")]
    [Query<AuditQuery>]
    [Returns<AuditPage>]
    public Task<IActionResult> AdminListAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/audit")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<AuditQuery>(req.Query);
            var page = await audit.ListAsync(caller, query.Action, query.TargetType, query.PageSize, query.ContinuationToken, cancellationToken);
            req.HttpContext.Response.Headers.CacheControl = "no-store";
            return new OkObjectResult(new AuditPage(page.Items.Select(AuditEntryDto.From).ToList(), page.ContinuationToken));
        });

    [Function(nameof(AdminReadSession))]
    [ApiDoc("Read a user's conversation, with a stated reason", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [400, 403, 404],
        Description = "The reason is required (400 on reason without it). Every read writes session.read to the audit log, with the session's user as its subject: the user sees it in their access log.")]
    [Query<ReadConversationQuery>]
    [Returns<SessionWithMessages>]
    public Task<IActionResult> AdminReadSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/sessions/{sessionId}")] HttpRequest req, string sessionId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<ReadConversationQuery>(req.Query);
            var (session, messages) = await conversations.ReadAsync(caller, sessionId, query.Reason, cancellationToken);
            var (cost, elapsed) = sessions.Clock(session);
            req.HttpContext.Response.Headers.CacheControl = "no-store";
            return new OkObjectResult(new SessionWithMessages(SessionDto.From(session, cost, elapsed), messages.Select(MessageDto.From).ToList()));
        });

    [Function(nameof(GetMyAccessLog))]
    [ApiDoc("What admins did to my account or data: who, what, when and why", Tag = "Profile", Access = "signed in", Auth = ApiAuth.Required,
        Description = "The latest 100 entries of the audit log about you, newest first, for example an admin reading one of your conversations.")]
    [Returns<AccessLog>]
    public Task<IActionResult> GetMyAccessLog(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/access-log")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var entries = await audit.AccessLogAsync(caller, cancellationToken);
            req.HttpContext.Response.Headers.CacheControl = "no-store";
            return new OkObjectResult(new AccessLog(entries.Select(AccessLogEntryDto.From).ToList()));
        });
}
