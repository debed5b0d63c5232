using CloneAI.Core.Admin;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Admin;

/// <summary>The admin console's accounts: find users, disable and enable them, grant and take roles; each change audit-logged with its reason.</summary>
public sealed class AdminUsersApi(RequestAuth auth, AdminUsers users, ILogger<AdminUsersApi> logger)
{
    [Function(nameof(AdminSearchUsers))]
    [ApiDoc("Find users by email or display name, newest first", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403])]
    [Query<AdminUserQuery>]
    [Returns<AdminUserPage>]
    public Task<IActionResult> AdminSearchUsers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/users")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<AdminUserQuery>(req.Query);
            var page = await users.SearchAsync(caller, query.Q, query.PageSize, query.ContinuationToken, cancellationToken);
            req.HttpContext.Response.Headers.CacheControl = "no-store";
            return new OkObjectResult(new AdminUserPage(page.Items.Select(AdminUserDto.From).ToList(), page.ContinuationToken));
        });

    [Function(nameof(AdminDisableUser))]
    [ApiDoc("Disable an account: it cannot sign in and its sign-ins end", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403, 404, 409],
        Description = "Sets disabledAt and disabledReason and a new security stamp (the user's tokens stop working). Writes user.disabled to the audit log with the reason. Disabling a disabled account changes nothing (the entry is stored once). You cannot disable yourself (409).")]
    [Accepts<AdminActionRequest>]
    [Returns<AdminUserDto>]
    public Task<IActionResult> AdminDisableUser(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/users/{userId}/disable")] HttpRequest req, string userId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<AdminActionRequest>(req, cancellationToken);
            return new OkObjectResult(AdminUserDto.From(await users.DisableAsync(caller, userId, body.Reason, cancellationToken)));
        });

    [Function(nameof(AdminEnableUser))]
    [ApiDoc("Enable a disabled account again", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403, 404],
        Description = "Writes user.enabled to the audit log with the reason. Enabling an enabled account changes nothing.")]
    [Accepts<AdminActionRequest>]
    [Returns<AdminUserDto>]
    public Task<IActionResult> AdminEnableUser(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/users/{userId}/enable")] HttpRequest req, string userId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<AdminActionRequest>(req, cancellationToken);
            return new OkObjectResult(AdminUserDto.From(await users.EnableAsync(caller, userId, body.Reason, cancellationToken)));
        });

    [Function(nameof(AdminSetUserRoles))]
    [ApiDoc("Grant or take the admin and creator roles", Tag = "Admin", Access = "admin", Auth = ApiAuth.Required, Errors = [403, 404, 409],
        Description = "Writes user.roles-changed to the audit log with the reason and the roles before and after. The same roles again change nothing. You cannot take your own admin role (409).")]
    [Accepts<SetRolesRequest>]
    [Returns<AdminUserDto>]
    public Task<IActionResult> AdminSetUserRoles(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/users/{userId}/roles")] HttpRequest req, string userId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<SetRolesRequest>(req, cancellationToken);
            return new OkObjectResult(AdminUserDto.From(await users.SetRolesAsync(caller, userId, body.Admin, body.Creator, body.Reason, cancellationToken)));
        });
}
