using CloneAI.Core.Admin;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Admin;

/// <summary>One-off maintenance after an upgrade, for admins; each run audit-logged with its reason.</summary>
public sealed class AdminMaintenanceApi(RequestAuth auth, AudienceRecount recount, ILogger<AdminMaintenanceApi> logger)
{
    [Function(nameof(AdminRecountAudience))]
    [ApiDoc("Recount every clone's users and ratings from the stored sessions (once after upgrading)", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403],
        Description = "Data stored before popularity counted distinct users and ratings one per user kept per-session counts. For every clone and user (never the owner; never a preview) "
            + "the user is counted once if any of their sessions ended with a question asked, and their rating is their latest rated session's; then each clone's sessionCount, rating "
            + "and ratingCount are set from that. Idempotent: a second run changes nothing (clonesChanged and recordsWritten 0). Writes maintenance.audience-recounted to the audit log "
            + "with the reason and the counts.")]
    [Accepts<AdminActionRequest>]
    [Returns<AudienceRecountDto>]
    public Task<IActionResult> AdminRecountAudience(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/maintenance/recount-audience")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<AdminActionRequest>(req, cancellationToken);
            return new OkObjectResult(AudienceRecountDto.From(await recount.RunAsync(caller, body.Reason, cancellationToken)));
        });
}
