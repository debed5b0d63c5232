using CloneAI.Core.Admin;
using CloneAI.Core.Domain;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Admin;

/// <summary>The admin console's clones: find any, unpublish, feature, verify; each change audit-logged with its reason (the owner is its subject).</summary>
public sealed class AdminClonesApi(RequestAuth auth, AdminClones clones, ILogger<AdminClonesApi> logger)
{
    [Function(nameof(AdminSearchClones))]
    [ApiDoc("Find clones (drafts included) by name, slug or owner, newest first", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403])]
    [Query<AdminCloneQuery>]
    [Returns<AdminClonePage>]
    public Task<IActionResult> AdminSearchClones(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/clones")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<AdminCloneQuery>(req.Query);
            var page = await clones.SearchAsync(caller, query.Q, query.Status, query.PageSize, query.ContinuationToken, cancellationToken);
            return new OkObjectResult(new AdminClonePage(page.Items.Select(AdminCloneDto.From).ToList(), page.ContinuationToken));
        });

    [Function(nameof(AdminUnpublishClone))]
    [ApiDoc("Take a clone off the marketplace (back to draft)", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403, 404, 409],
        Description = "Writes clone.unpublished to the audit log with the reason. A draft stays as it is.")]
    [Accepts<AdminActionRequest>]
    [Returns<AdminCloneDto>]
    public Task<IActionResult> AdminUnpublishClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/clones/{id}/unpublish")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Act(req, id, clones.UnpublishAsync, cancellationToken);

    [Function(nameof(AdminFeatureClone))]
    [ApiDoc("Feature a published clone: it comes first in the marketplace", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403, 404, 409],
        Description = "Writes clone.featured to the audit log with the reason. A draft cannot be featured (409).")]
    [Accepts<AdminActionRequest>]
    [Returns<AdminCloneDto>]
    public Task<IActionResult> AdminFeatureClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/clones/{id}/feature")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Act(req, id, clones.FeatureAsync, cancellationToken);

    [Function(nameof(AdminUnfeatureClone))]
    [ApiDoc("Stop featuring a clone", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403, 404, 409],
        Description = "Writes clone.unfeatured to the audit log with the reason.")]
    [Accepts<AdminActionRequest>]
    [Returns<AdminCloneDto>]
    public Task<IActionResult> AdminUnfeatureClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/clones/{id}/unfeature")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Act(req, id, clones.UnfeatureAsync, cancellationToken);

    [Function(nameof(AdminVerifyClone))]
    [ApiDoc("Mark a clone as verified by an admin", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403, 404, 409],
        Description = "Writes clone.verified to the audit log with the reason.")]
    [Accepts<AdminActionRequest>]
    [Returns<AdminCloneDto>]
    public Task<IActionResult> AdminVerifyClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/clones/{id}/verify")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Act(req, id, clones.VerifyAsync, cancellationToken);

    [Function(nameof(AdminUnverifyClone))]
    [ApiDoc("Take an admin's verification of a clone back", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403, 404, 409],
        Description = "Writes clone.unverified to the audit log with the reason.")]
    [Accepts<AdminActionRequest>]
    [Returns<AdminCloneDto>]
    public Task<IActionResult> AdminUnverifyClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/clones/{id}/unverify")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Act(req, id, clones.UnverifyAsync, cancellationToken);

    private Task<IActionResult> Act(
        HttpRequest req, string id, Func<Caller, string, string?, CancellationToken, Task<Clone>> action, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<AdminActionRequest>(req, cancellationToken);
            return new OkObjectResult(AdminCloneDto.From(await action(caller, id, body.Reason, cancellationToken)));
        });
}
