using CloneAI.Core.Audit;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Logging;

namespace CloneAI.Core.Admin;

/// <summary>
/// Admins curate clones: find any (drafts included), unpublish one, feature it in the marketplace, verify it. Every change
/// is written to the audit log with the admin's reason (the owner is its subject); doing again what is already so changes
/// nothing and writes nothing new.
/// </summary>
public sealed class AdminClones(ICloneStore clones, ICloneDirectory directory, AuditTrail audit, TimeProvider time, ILogger<AdminClones> logger)
{
    public const int MaxQuery = 200;
    public const int MaxPageSize = 50;
    public static readonly IReadOnlyList<string> Statuses = [CloneStatus.Draft, CloneStatus.Published];

    public async Task<Page<Clone>> SearchAsync(Caller caller, string? query, string? status, int? pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        AuditTrail.RequireAdmin(caller);
        var v = new Validator();
        v.Optional("q", query, MaxQuery);
        if (status is not null && !Statuses.Contains(status)) v.Add("status", $"Use one of: {string.Join(", ", Statuses)}.");
        if (pageSize is < 1 or > MaxPageSize) v.Add("pageSize", $"Must be between 1 and {MaxPageSize}.");
        v.Optional("continuationToken", continuationToken, 1000);
        v.ThrowIfInvalid();
        var text = string.IsNullOrWhiteSpace(query) ? null : query.Trim();
        return await directory.SearchAsync(text, status, pageSize ?? 20, continuationToken, cancellationToken);
    }

    /// <summary>Takes a published clone off the marketplace (back to draft); its owner can publish it again.</summary>
    public Task<Clone> UnpublishAsync(Caller caller, string cloneId, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, cloneId, reason, AuditActions.CloneUnpublished,
            c => c.Status == CloneStatus.Published, c => c with { Status = CloneStatus.Draft }, cancellationToken);

    /// <summary>Featured clones come first in the marketplace's default order. Only a published clone can be featured (409).</summary>
    public Task<Clone> FeatureAsync(Caller caller, string cloneId, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, cloneId, reason, AuditActions.CloneFeatured, c =>
        {
            if (!c.Featured && c.Status != CloneStatus.Published) throw new ConflictException("Only a published clone can be featured.");
            return !c.Featured;
        }, c => c with { Featured = true }, cancellationToken);

    public Task<Clone> UnfeatureAsync(Caller caller, string cloneId, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, cloneId, reason, AuditActions.CloneUnfeatured, c => c.Featured, c => c with { Featured = false }, cancellationToken);

    /// <summary>Marks the clone as verified by an admin: it carries the verified badge.</summary>
    public Task<Clone> VerifyAsync(Caller caller, string cloneId, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, cloneId, reason, AuditActions.CloneVerified, c => c.VerifiedAt is null, c => c with { VerifiedAt = time.GetUtcNow() }, cancellationToken);

    public Task<Clone> UnverifyAsync(Caller caller, string cloneId, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, cloneId, reason, AuditActions.CloneUnverified, c => c.VerifiedAt is not null, c => c with { VerifiedAt = null }, cancellationToken);

    private async Task<Clone> ChangeAsync(
        Caller caller, string cloneId, string? reason, string action, Func<Clone, bool> needed, Func<Clone, Clone> change, CancellationToken cancellationToken)
    {
        AuditTrail.RequireAdmin(caller);
        var why = AuditTrail.RequireReason(reason);
        var clone = await FindAsync(cloneId, cancellationToken);
        if (!needed(clone)) return clone;
        var now = time.GetUtcNow();
        var changed = await clones.ReplaceAsync(change(clone) with { UpdatedAt = now }, null, cancellationToken);
        await audit.RecordAsync(caller, action, AuditTargets.Clone, clone.Id, clone.OwnerId, why,
            id: AuditTrail.ChangeId(action, clone.Id, now), at: now, cancellationToken: cancellationToken);
        logger.LogInformation("Clone {CloneId}: {Action} by admin {AdminId}", clone.Id, action, caller.UserId);
        return changed;
    }

    private async Task<Clone> FindAsync(string idOrSlug, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(idOrSlug) || idOrSlug.Length > 100) throw new NotFoundException("No such clone.");
        var clone = await clones.GetAsync(idOrSlug, cancellationToken) ?? await clones.GetBySlugAsync(idOrSlug.ToLowerInvariant(), cancellationToken);
        if (clone is null || clone.Status == CloneStatus.Deleted) throw new NotFoundException("No such clone.");
        return clone;
    }
}
