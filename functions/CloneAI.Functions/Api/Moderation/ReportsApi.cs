using CloneAI.Core.Moderation;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Moderation;

/// <summary>Reports of clones and answers, and the admins' moderation queue.</summary>
public sealed class ReportsApi(RequestAuth auth, ReportService reports, ILogger<ReportsApi> logger)
{
    [Function(nameof(ReportClone))]
    [ApiDoc("Report a clone, or one answer in your own session with it", Tag = "Moderation", Access = "any signed-in user except the clone's owner", Auth = ApiAuth.Required, Errors = [400, 403, 429],
        Description = "201 for a new report; a repeat of your open report of the same clone (and answer) answers 200 with it. When open reports from Moderation:AutoHideReports distinct users (default 3) pile up, the clone is hidden from the marketplace until an admin reviews it. An answer must be in your own session with this clone. At most Moderation:ReportsPerHour reports per user per hour (429 with Retry-After).")]
    [Accepts<CreateReportRequest>]
    [Returns<ReportDto>(201)]
    [Returns<ReportDto>]
    public Task<IActionResult> ReportClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/reports")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<CreateReportRequest>(req, cancellationToken);
            var (report, created) = await reports.FileAsync(caller, id, body.ToInput(), cancellationToken);
            return created ? new CreatedResult($"/api/clones/{report.CloneId}/reports/{report.Id}", ReportDto.From(report)) : new OkObjectResult(ReportDto.From(report));
        });

    [Function(nameof(AdminListReports))]
    [ApiDoc("The moderation queue: reports in one status (default open), oldest first, each with its clone's open-report counts", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [400, 403])]
    [Query<AdminReportQuery>]
    [Returns<AdminReportPage>]
    public Task<IActionResult> AdminListReports(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/reports")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<AdminReportQuery>(req.Query);
            var page = await reports.ListQueueAsync(caller, query.Status, query.PageSize ?? 20, query.ContinuationToken, cancellationToken);
            return new OkObjectResult(new AdminReportPage(page.Items.Select(AdminReportDto.From).ToList(), page.ContinuationToken));
        });

    [Function(nameof(ResolveReport))]
    [ApiDoc("Resolve a report: dismiss it, hide its clone, or restore its clone; audit-logged with the reason", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [400, 403, 409],
        Description = "dismiss closes this report (409 when it is already resolved); a hidden clone stays hidden until restored. hide hides the clone (the owner is emailed) and closes its open reports as upheld; on a clone that is already hidden (automatically, by reports) it keeps it hidden with the moderator's review as the reason the owner sees, and emails the owner that note. restore shows the clone again and closes its open reports as dismissed.")]
    [Accepts<ResolveReportRequest>]
    [Returns<ReportDto>]
    public Task<IActionResult> ResolveReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/reports/{reportId}/resolve")] HttpRequest req, string reportId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<ResolveReportRequest>(req, cancellationToken);
            return new OkObjectResult(ReportDto.From(await reports.ResolveAsync(caller, reportId, body.Action, body.Reason, cancellationToken)));
        });
}
