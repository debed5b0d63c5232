using CloneAI.Core.Clones;
using CloneAI.Core.Images;
using CloneAI.Core.Users;
using CloneAI.Functions.Api.Clones;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Profile;

/// <summary>The signed-in user's own profile, avatar, creator role, clones, and signing out everywhere.</summary>
public sealed class MeApi(RequestAuth auth, UserService users, CloneService clones, ILogger<MeApi> logger)
{
    [Function(nameof(GetMe))]
    [ApiDoc("The signed-in user's profile and roles", Tag = "Profile", Access = "signed in", Auth = ApiAuth.Required)]
    [Returns<UserDto>]
    public Task<IActionResult> GetMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            // A profile (email, roles) is never kept by a browser or a shared cache.
            req.HttpContext.Response.Headers.CacheControl = "no-store";
            return new OkObjectResult(UserDto.From(await users.GetAsync(caller.UserId, cancellationToken), caller));
        });

    [Function(nameof(UpdateMe))]
    [ApiDoc("Change display name, bio, expertise, timezone or communication style", Tag = "Profile", Access = "signed in", Auth = ApiAuth.Required, Errors = [409])]
    [Accepts<UpdateProfileRequest>]
    [Returns<UserDto>]
    public Task<IActionResult> UpdateMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "me")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<UpdateProfileRequest>(req, cancellationToken);
            var update = new ProfileUpdate(body.DisplayName, body.Bio, body.Expertise, body.Timezone) { Style = body.Style?.ToStyle() };
            var user = await users.UpdateProfileAsync(caller, update, cancellationToken);
            req.HttpContext.Response.Headers.CacheControl = "no-store";
            return new OkObjectResult(UserDto.From(user, caller));
        });

    [Function(nameof(SignOutEverywhere))]
    [ApiDoc("Sign out everywhere: every access token issued so far (built-in or Entra) is refused from the next request, and built-in refresh tokens are revoked. Doing it again changes nothing more (with a token it ended, that is a 401)",
        Tag = "Profile", Access = "signed in", Auth = ApiAuth.Required)]
    [ReturnsEmpty(204, "Every sign-in ended")]
    public Task<IActionResult> SignOutEverywhere(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/sign-out-everywhere")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            await users.RevokeSessionsAsync(caller.UserId, cancellationToken);
            return new NoContentResult();
        });

    [Function(nameof(PutAvatar))]
    [ApiDoc("Upload an avatar: PNG, JPEG or WebP, at most 2 MB, as multipart field 'file' or the raw body", Tag = "Profile", Access = "signed in", Auth = ApiAuth.Required, Errors = [400, 409, 413])]
    [AcceptsFiles("file", false, RawContentTypes = ["image/png", "image/jpeg", "image/webp"])]
    [Returns<UserDto>]
    public Task<IActionResult> PutAvatar(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "me/avatar")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var bytes = await Uploads.ReadSingleFileAsync(req, ImageValidator.MaxBytes, cancellationToken);
            var user = await users.SetAvatarAsync(caller, bytes, cancellationToken);
            return new OkObjectResult(UserDto.From(user, caller));
        });

    [Function(nameof(GetMyAvatar))]
    [ApiDoc("The signed-in user's avatar image", Tag = "Profile", Access = "signed in", Auth = ApiAuth.Required, Errors = [404])]
    [ReturnsFile("image/png")]
    public Task<IActionResult> GetMyAvatar(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/avatar")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var image = await users.GetAvatarAsync(caller.UserId, cancellationToken);
            return new FileContentResult(image.Data, image.ContentType);
        });

    [Function(nameof(GetUserAvatar))]
    [ApiDoc("Any user's avatar image (public)", Tag = "Profile")]
    [ReturnsFile("image/png")]
    public Task<IActionResult> GetUserAvatar(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "users/{userId}/avatar")] HttpRequest req, string userId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var image = await users.GetAvatarAsync(userId, cancellationToken);
            req.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
            return new FileContentResult(image.Data, image.ContentType);
        });

    [Function(nameof(BecomeCreator))]
    [ApiDoc("Take the creator role (self-service)", Tag = "Profile", Access = "signed in", Auth = ApiAuth.Required, Errors = [409])]
    [Returns<UserDto>]
    public Task<IActionResult> BecomeCreator(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/creator")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var user = await users.BecomeCreatorAsync(caller, cancellationToken);
            return new OkObjectResult(UserDto.From(user, caller with { IsCreator = user.IsCreator }));
        });

    [Function(nameof(ListMyClones))]
    [ApiDoc("The caller's own clones, drafts included", Tag = "Clones", Access = "signed in", Auth = ApiAuth.Required)]
    [Query<PageQuery>]
    [Returns<ClonePage>]
    public Task<IActionResult> ListMyClones(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/clones")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<PageQuery>(req.Query);
            var page = await clones.ListMineAsync(caller, query.PageSize ?? 20, query.ContinuationToken, cancellationToken);
            return new OkObjectResult(CloneDto.Page(page, full: true));
        });
}
