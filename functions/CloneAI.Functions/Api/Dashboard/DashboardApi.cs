using CloneAI.Core.Insights;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Dashboard;

/// <summary>
/// The creator dashboard of a clone (its owner or an admin) and of all of a creator's clones: aggregates only, never a
/// conversation (no session, no user, no answer).
/// </summary>
public sealed class DashboardApi(RequestAuth auth, CreatorDashboard dashboard, ILogger<DashboardApi> logger)
{
    private const string Contents =
        "Sessions, minutes, gross and net (the creator's share) revenue by day in the platform currency; the average rating, its distribution and recent comments (without who wrote them); " +
        "the period's latest questions grouped by meaning with the knowledge base's embedding model, and the knowledge gaps (answered \"I don't know\" or from a weak passage) grouped the same way; " +
        "the clone's documents by how often answers cited them, never cited included. The owner's previews are left out.";

    [Function(nameof(CloneDashboard))]
    [ApiDoc("A clone's dashboard over a period", Tag = "Dashboard", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [400, 403, 404], Description = Contents)]
    [Query<DashboardQuery>]
    [Returns<Core.Insights.Dashboard>]
    public Task<IActionResult> CloneDashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}/dashboard")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<DashboardQuery>(req.Query);
            return new OkObjectResult(await dashboard.ForCloneAsync(caller, id, query.From, query.To, cancellationToken));
        });

    [Function(nameof(MyDashboard))]
    [ApiDoc("All of my clones' dashboard over a period, with each clone's part", Tag = "Dashboard", Access = "signed in (your own clones)", Auth = ApiAuth.Required, Errors = [400],
        Description = Contents + " Clones lists each clone's sessions, minutes, revenue and rating.")]
    [Query<DashboardQuery>]
    [Returns<Core.Insights.Dashboard>]
    public Task<IActionResult> MyDashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/dashboard")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<DashboardQuery>(req.Query);
            return new OkObjectResult(await dashboard.ForCreatorAsync(caller, query.From, query.To, cancellationToken));
        });
}
