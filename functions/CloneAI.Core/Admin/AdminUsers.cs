using System.Globalization;
using CloneAI.Core.Audit;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging;

namespace CloneAI.Core.Admin;

/// <summary>
/// Admins manage accounts: find them, disable and enable them, grant and take roles. Every change is written to the audit
/// log with the admin's reason; doing again what is already so changes nothing and writes nothing new.
/// </summary>
/// <param name="userService">Disables and enables accounts, ending their sign-ins.</param>
public sealed class AdminUsers(
    IUserStore users, UserService userService, IUserDirectory directory, AuditTrail audit, TimeProvider time, ILogger<AdminUsers> logger)
{
    public const int MaxQuery = 200;
    public const int MaxPageSize = 50;

    public async Task<Page<User>> SearchAsync(Caller caller, string? query, int? pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        AuditTrail.RequireAdmin(caller);
        var v = new Validator();
        v.Optional("q", query, MaxQuery);
        if (pageSize is < 1 or > MaxPageSize) v.Add("pageSize", $"Must be between 1 and {MaxPageSize}.");
        v.Optional("continuationToken", continuationToken, 1000);
        v.ThrowIfInvalid();
        var text = string.IsNullOrWhiteSpace(query) ? null : query.Trim();
        return await directory.SearchAsync(text, pageSize ?? 20, continuationToken, cancellationToken);
    }

    public async Task<User> GetAsync(Caller caller, string userId, CancellationToken cancellationToken = default)
    {
        AuditTrail.RequireAdmin(caller);
        return await users.GetAsync(userId, cancellationToken) ?? throw new NotFoundException("No such user.");
    }

    /// <summary>
    /// Disables the account (<see cref="UserService.DisableAsync"/>): it cannot sign in, and its existing sign-ins end (a new
    /// security stamp, and with built-in accounts every refresh token revoked). An admin cannot disable themselves (409).
    /// </summary>
    public async Task<User> DisableAsync(Caller caller, string userId, string? reason, CancellationToken cancellationToken = default)
    {
        AuditTrail.RequireAdmin(caller);
        var why = AuditTrail.RequireReason(reason);
        var user = await GetAsync(caller, userId, cancellationToken);
        if (user.Id == caller.UserId) throw new ConflictException("You cannot disable your own account.");
        if (user.DisabledAt is null)
        {
            user = await userService.DisableAsync(user.Id, why, cancellationToken);
            logger.LogInformation("User {UserId} disabled by admin {AdminId}", user.Id, caller.UserId);
        }
        // A retry (or one after a crash before the entry was written) names the same change: stored once.
        await audit.RecordAsync(caller, AuditActions.UserDisabled, AuditTargets.User, user.Id, user.Id, why,
            id: AuditTrail.ChangeId(AuditActions.UserDisabled, user.Id, user.DisabledAt!.Value), at: user.DisabledAt, cancellationToken: cancellationToken);
        return user;
    }

    /// <summary>Enables a disabled account again (<see cref="UserService.EnableAsync"/>); enabling an enabled one changes nothing.</summary>
    public async Task<User> EnableAsync(Caller caller, string userId, string? reason, CancellationToken cancellationToken = default)
    {
        AuditTrail.RequireAdmin(caller);
        var why = AuditTrail.RequireReason(reason);
        var user = await GetAsync(caller, userId, cancellationToken);
        if (user.DisabledAt is not { } disabledAt) return user;
        user = await userService.EnableAsync(user.Id, cancellationToken);
        await audit.RecordAsync(caller, AuditActions.UserEnabled, AuditTargets.User, user.Id, user.Id, why,
            id: AuditTrail.ChangeId(AuditActions.UserEnabled, user.Id, disabledAt), cancellationToken: cancellationToken);
        logger.LogInformation("User {UserId} enabled by admin {AdminId}", user.Id, caller.UserId);
        return user;
    }

    /// <summary>Grants or takes the admin and creator roles. An admin cannot take their own admin role (409).</summary>
    public async Task<User> SetRolesAsync(Caller caller, string userId, bool? admin, bool? creator, string? reason, CancellationToken cancellationToken = default)
    {
        AuditTrail.RequireAdmin(caller);
        var v = new Validator();
        if (admin is null) v.Add("admin", "Say whether the user is an admin.");
        if (creator is null) v.Add("creator", "Say whether the user is a creator.");
        v.Require("reason", reason, AuditTrail.MaxReason);
        v.ThrowIfInvalid();
        var why = reason!.Trim();
        var user = await GetAsync(caller, userId, cancellationToken);
        if (user.Id == caller.UserId && admin == false) throw new ConflictException("You cannot remove your own admin role.");
        if (user.IsAdmin == admin && user.IsCreator == creator) return user;
        var now = time.GetUtcNow();
        var details = string.Create(CultureInfo.InvariantCulture,
            $"admin: {Flag(user.IsAdmin)} -> {Flag(admin!.Value)}; creator: {Flag(user.IsCreator)} -> {Flag(creator!.Value)}");
        var changed = await users.ReplaceAsync(user with { IsAdmin = admin.Value, IsCreator = creator.Value, UpdatedAt = now }, cancellationToken);
        await audit.RecordAsync(caller, AuditActions.UserRolesChanged, AuditTargets.User, user.Id, user.Id, why, details,
            id: AuditTrail.ChangeId(AuditActions.UserRolesChanged, user.Id, now), at: now, cancellationToken: cancellationToken);
        logger.LogInformation("Roles of user {UserId} changed by admin {AdminId}: {Details}", user.Id, caller.UserId, details);
        return changed;
    }

    private static string Flag(bool value) => value ? "yes" : "no";
}
