using CloneAI.Core.Blobs;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Images;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Clones;

/// <summary>Clones: the marketplace, and the creator's create, edit, publish and delete.</summary>
public sealed class ClonesApi(RequestAuth auth, CloneService clones, IBlobStore blobs, ILogger<ClonesApi> logger)
{
    [Function(nameof(ListCategories))]
    [ApiDoc("The fixed list of clone categories", Tag = "Clones", Returns = "[{id, name}]")]
    public Task<IActionResult> ListCategories(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "categories")] HttpRequest req) =>
        Task.FromResult<IActionResult>(new OkObjectResult(Categories.All));

    [Function(nameof(SearchClones))]
    [ApiDoc("Marketplace: published clones. Query: q, category, minPrice, maxPrice, minRating, sort=relevance|popular|rating|newest|price (relevance is the default with q), pageSize, continuationToken", Tag = "Clones", Returns = "{items: Clone[], continuationToken}")]
    public Task<IActionResult> SearchClones(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var q = new QueryReader(req.Query);
            var query = new MarketplaceQuery
            {
                Query = q.String("q"),
                Category = q.String("category"),
                MinPrice = q.Long("minPrice"),
                MaxPrice = q.Long("maxPrice"),
                MinRating = q.Double("minRating"),
                Sort = q.String("sort"),
                PageSize = q.Int("pageSize") ?? 20,
                ContinuationToken = q.String("continuationToken"),
            };
            q.ThrowIfInvalid();
            return new OkObjectResult(CloneDto.Page(await clones.SearchAsync(query, cancellationToken), full: false));
        });

    [Function(nameof(CreateClone))]
    [ApiDoc("Create a draft clone", Tag = "Clones", Access = "creator or admin", Body = "Clone fields", Returns = "201 Clone")]
    public Task<IActionResult> CreateClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var input = ReadInput(await RequestBody.ReadJsonAsync(req, cancellationToken));
            var clone = await clones.CreateAsync(caller, input, cancellationToken);
            return new CreatedResult($"/api/clones/{clone.Id}", CloneDto.From(clone, full: true));
        });

    [Function(nameof(GetClone))]
    [ApiDoc("One clone by id or slug; drafts only for the owner or an admin", Tag = "Clones", Returns = "Clone")]
    public Task<IActionResult> GetClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.TryGetCallerAsync(req, cancellationToken);
            var clone = await clones.GetAsync(caller, id, cancellationToken);
            return new OkObjectResult(CloneDto.From(clone, CloneService.CanManage(caller, clone)));
        });

    [Function(nameof(UpdateClone))]
    [ApiDoc("Change a clone; absent fields stay, null clears a price", Tag = "Clones", Access = "owner or admin", Body = "partial Clone", Returns = "Clone")]
    public Task<IActionResult> UpdateClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "clones/{id}")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var input = ReadInput(await RequestBody.ReadJsonAsync(req, cancellationToken));
            return new OkObjectResult(CloneDto.From(await clones.UpdateAsync(caller, id, input, cancellationToken), full: true));
        });

    [Function(nameof(DeleteClone))]
    [ApiDoc("Delete a clone (soft: its sessions are kept)", Tag = "Clones", Access = "owner or admin", Returns = "204")]
    public Task<IActionResult> DeleteClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "clones/{id}")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            await clones.DeleteAsync(caller, id, cancellationToken);
            return new NoContentResult();
        });

    [Function(nameof(PublishClone))]
    [ApiDoc("Publish to the marketplace; needs a description, persona and price", Tag = "Clones", Access = "owner or admin", Returns = "Clone")]
    public Task<IActionResult> PublishClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/publish")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            return new OkObjectResult(CloneDto.From(await clones.PublishAsync(caller, id, cancellationToken), full: true));
        });

    [Function(nameof(UnpublishClone))]
    [ApiDoc("Take a clone off the marketplace", Tag = "Clones", Access = "owner or admin", Returns = "Clone")]
    public Task<IActionResult> UnpublishClone(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/unpublish")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            return new OkObjectResult(CloneDto.From(await clones.UnpublishAsync(caller, id, cancellationToken), full: true));
        });

    [Function(nameof(PutCloneAvatar))]
    [ApiDoc("Upload a clone's avatar: PNG, JPEG or WebP, at most 2 MB", Tag = "Clones", Access = "owner or admin", Body = "image", Returns = "Clone")]
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
    [ApiDoc("A clone's avatar image", Tag = "Clones", Returns = "image/png")]
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

    /// <summary>Maps a JSON body to a create or patch; wrong types become per-field errors before any change.</summary>
    internal static CloneInput ReadInput(RequestBody body)
    {
        PersonaInput? persona = null;
        if (body.Object("persona") is { } p)
        {
            persona = new PersonaInput(
                body.String("greeting", p, "persona.greeting"),
                body.String("tone", p, "persona.tone"),
                body.String("answerLength", p, "persona.answerLength"),
                body.String("instructions", p, "persona.instructions"),
                body.StringList("topicsToAvoid", p, "persona.topicsToAvoid"),
                body.String("dontKnowMessage", p, "persona.dontKnowMessage"));
        }
        PricingInput? pricing = null;
        if (body.Object("pricing") is { } pr)
        {
            pricing = new PricingInput(
                body.Long("perMinute", pr, "pricing.perMinute"),
                body.Long("perMessage", pr, "pricing.perMessage"),
                body.String("currency", pr, "pricing.currency"),
                body.Int("freeMessages", pr, "pricing.freeMessages"),
                ClearPerMinute: body.IsNull("perMinute", pr),
                ClearPerMessage: body.IsNull("perMessage", pr));
        }
        var input = new CloneInput(
            body.String("name"), body.String("slug"), body.String("tagline"), body.String("description"),
            body.String("category"), body.StringList("tags"), persona, pricing);
        body.ThrowIfInvalid();
        return input;
    }
}
