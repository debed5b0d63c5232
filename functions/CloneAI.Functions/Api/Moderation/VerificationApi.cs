using CloneAI.Core.Moderation;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Moderation;

/// <summary>Verified experts: creators ask with evidence, admins approve or reject; and public creator profiles.</summary>
public sealed class VerificationApi(RequestAuth auth, VerificationService verification, CreatorProfiles creators, ILogger<VerificationApi> logger)
{
    [Function(nameof(GetMyVerification))]
    [ApiDoc("Whether you are a verified expert, and your newest verification request", Tag = "Moderation", Access = "signed-in user", Auth = ApiAuth.Required)]
    [Returns<MyVerificationDto>]
    public Task<IActionResult> GetMyVerification(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/verification")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var (verifiedAt, latest) = await verification.GetMineAsync(caller, cancellationToken);
            return new OkObjectResult(new MyVerificationDto(verifiedAt is not null, verifiedAt, latest is null ? null : VerificationDto.From(latest)));
        });

    [Function(nameof(RequestVerification))]
    [ApiDoc("Ask to be a verified expert, with evidence; one pending request at a time", Tag = "Moderation", Access = "creator", Auth = ApiAuth.Required, Errors = [400, 403, 409])]
    [Accepts<RequestVerificationRequest>]
    [Returns<VerificationDto>(201)]
    public Task<IActionResult> RequestVerification(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/verification")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<RequestVerificationRequest>(req, cancellationToken);
            var request = await verification.RequestAsync(caller, body.Links, body.Statement, cancellationToken);
            return new CreatedResult("/api/me/verification", VerificationDto.From(request));
        });

    [Function(nameof(AdminListVerifications))]
    [ApiDoc("Verification requests in one status (default pending), oldest first", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [400, 403])]
    [Query<AdminVerificationQuery>]
    [Returns<AdminVerificationPage>]
    public Task<IActionResult> AdminListVerifications(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/verifications")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<AdminVerificationQuery>(req.Query);
            var page = await verification.ListAsync(caller, query.Status, query.PageSize ?? 20, query.ContinuationToken, cancellationToken);
            return new OkObjectResult(new AdminVerificationPage(page.Items.Select(AdminVerificationDto.From).ToList(), page.ContinuationToken));
        });

    [Function(nameof(ApproveVerification))]
    [ApiDoc("Approve a verification request: the creator and all their clones carry the Verified badge; audit-logged", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [400, 403, 409])]
    [Accepts<DecideVerificationRequest>]
    [Returns<AdminVerificationDto>]
    public Task<IActionResult> ApproveVerification(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/verifications/{verificationId}/approve")] HttpRequest req, string verificationId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<DecideVerificationRequest>(req, cancellationToken);
            return new OkObjectResult(AdminVerificationDto.From(await verification.ApproveAsync(caller, verificationId, body.Reason, cancellationToken)));
        });

    [Function(nameof(RejectVerification))]
    [ApiDoc("Reject a verification request; the creator is told the reason; audit-logged", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [400, 403, 409])]
    [Accepts<DecideVerificationRequest>]
    [Returns<AdminVerificationDto>]
    public Task<IActionResult> RejectVerification(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/verifications/{verificationId}/reject")] HttpRequest req, string verificationId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<DecideVerificationRequest>(req, cancellationToken);
            return new OkObjectResult(AdminVerificationDto.From(await verification.RejectAsync(caller, verificationId, body.Reason, cancellationToken)));
        });

    [Function(nameof(GetCreator))]
    [ApiDoc("A creator's public profile: name, bio, expertise, verified, and their published clones", Tag = "Clones")]
    [Returns<CreatorProfileDto>]
    public Task<IActionResult> GetCreator(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "creators/{creatorId}")] HttpRequest req, string creatorId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () => new OkObjectResult(CreatorProfileDto.From(await creators.GetAsync(creatorId, cancellationToken))));
}
