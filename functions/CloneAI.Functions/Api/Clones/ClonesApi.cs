using CloneAI.Core.Blobs;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Images;
using CloneAI.Core.Limits;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Clones;

/// <summary>Clones: the marketplace, and the creator's create, edit, publish and delete.</summary>
public sealed class ClonesApi(RequestAuth auth, CloneService clones, IBlobStore blobs, ILogger<ClonesApi> logger, UserRateLimiter? limiter = null)
{
    [Function(nameof(ListCategories))]
    [ApiDoc("The fixed list of clone categories", Tag = "Clones")]
    [Returns<IReadOnlyList<Category>>]
    public Task<IActionResult> ListCategories(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "categories")] HttpRequest req) =>
        Task.FromResult<IActionResult>(new OkObjectResult(Categories.All));

    [Function(nameof(SearchClones))]
    [ApiDoc("Marketplace: published clones, filtered, sorted and paged", Tag = "Clones")]
    [Query<MarketplaceQueryParameters>]
    [Returns<ClonePage>]
    public Task<IActionResult> SearchClones(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var query = QueryReader.Read<MarketplaceQueryParameters>(req.Query).ToQuery();
            return new OkObjectResult(CloneDto.Page(await clones.SearchAsync(query, cancellationToken), full: false));
        });

    [Function(nameof(CreateClone))]
    [ApiDoc("Create a draft clone", Tag = "Clones", Access = "creator or admin", Auth = ApiAuth.Required, Errors = [403, 409, 429],
        Description = "A slug may not look like a clone id (32 characters of 0-9 and a-f). One user may create `RateLimits:ClonesPerHour` clones an hour (429 with Retry-After beyond).")]
    [Accepts<CreateCloneRequest>]
    [Returns<CloneDto>(201)]
    public Task<IActionResult> CreateClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var (body, nulls) = await RequestBody.ReadWithNullsAsync<CreateCloneRequest>(req, cancellationToken);
            if (limiter is not null) await limiter.AcquireAsync(RatePolicies.CloneCreation, caller.UserId, cancellationToken);
            var clone = await clones.CreateAsync(caller, body.ToInput(nulls), cancellationToken);
            return new CreatedResult($"/api/clones/{clone.Id}", CloneDto.From(clone, full: true));
        });

    [Function(nameof(GetClone))]
    [ApiDoc("One clone by id or slug; drafts only for the owner or an admin", Tag = "Clones", Access = "anyone; drafts: owner or admin", Auth = ApiAuth.Optional)]
    [Returns<CloneDto>]
    public Task<IActionResult> GetClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.TryGetCallerAsync(req, cancellationToken);
            var clone = await clones.GetAsync(caller, id, cancellationToken);
            return new OkObjectResult(CloneDto.From(clone, CloneService.CanManage(caller, clone)));
        });

    [Function(nameof(UpdateClone))]
    [ApiDoc("Change a clone; absent fields stay, null clears a price", Tag = "Clones", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403, 409])]
    [Accepts<UpdateCloneRequest>]
    [Returns<CloneDto>]
    public Task<IActionResult> UpdateClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "clones/{id}")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var (body, nulls) = await RequestBody.ReadWithNullsAsync<UpdateCloneRequest>(req, cancellationToken);
            return new OkObjectResult(CloneDto.From(await clones.UpdateAsync(caller, id, body.ToInput(nulls), cancellationToken), full: true));
        });

    [Function(nameof(DeleteClone))]
    [ApiDoc("Delete a clone (soft: its sessions are kept)", Tag = "Clones", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403])]
    [ReturnsEmpty(204, "Deleted")]
    public Task<IActionResult> DeleteClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "clones/{id}")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            await clones.DeleteAsync(caller, id, cancellationToken);
            return new NoContentResult();
        });

    [Function(nameof(PublishClone))]
    [ApiDoc("Publish to the marketplace; needs a description, persona and price", Tag = "Clones", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [400, 403, 409])]
    [Returns<CloneDto>]
    public Task<IActionResult> PublishClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/publish")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            return new OkObjectResult(CloneDto.From(await clones.PublishAsync(caller, id, cancellationToken), full: true));
        });

    [Function(nameof(UnpublishClone))]
    [ApiDoc("Take a clone off the marketplace", Tag = "Clones", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403, 409])]
    [Returns<CloneDto>]
    public Task<IActionResult> UnpublishClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/unpublish")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            return new OkObjectResult(CloneDto.From(await clones.UnpublishAsync(caller, id, cancellationToken), full: true));
        });

    [Function(nameof(PutCloneAvatar))]
    [ApiDoc("Upload a clone's avatar: PNG, JPEG or WebP, at most 2 MB, as multipart field 'file' or the raw body", Tag = "Clones", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [400, 403, 413])]
    [AcceptsFiles("file", false, RawContentTypes = ["image/png", "image/jpeg", "image/webp"])]
    [Returns<CloneDto>]
    public Task<IActionResult> PutCloneAvatar(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "clones/{id}/avatar")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var clone = await clones.GetManagedAsync(caller, id, cancellationToken);
            var image = ImageValidator.Validate(await Uploads.ReadSingleFileAsync(req, ImageValidator.MaxBytes, cancellationToken));
            var path = $"{Core.Names.AvatarsPrefix}/clones/{clone.Id}.png";
            await blobs.PutAsync(path, image.Png, "image/png", cancellationToken);
            return new OkObjectResult(CloneDto.From(await clones.SetAvatarAsync(caller, clone.Id, path, cancellationToken), full: true));
        });

    [Function(nameof(GetCloneAvatar))]
    [ApiDoc("A clone's avatar image", Tag = "Clones", Access = "anyone; drafts: owner or admin", Auth = ApiAuth.Optional)]
    [ReturnsFile("image/png")]
    public Task<IActionResult> GetCloneAvatar(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}/avatar")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.TryGetCallerAsync(req, cancellationToken);
            var clone = await clones.GetAsync(caller, id, cancellationToken);
            var image = clone.AvatarBlob is null ? null : await blobs.GetAsync(clone.AvatarBlob, cancellationToken);
            if (image is null) throw new NotFoundException("This clone has no avatar.");
            req.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
            return new FileContentResult(image.Data, image.ContentType);
        });
}
