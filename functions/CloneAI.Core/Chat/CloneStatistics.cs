using CloneAI.Core.Billing;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Chat;

/// <summary>
/// What a clone's creator (or an admin) sees of its sessions: aggregates only, never a conversation. The creator's own
/// previews are not among them. Revenue is in the platform currency (<see cref="BillingOptions.Currency"/>) only: two
/// currencies are never added together.
/// </summary>
public sealed class CloneStatistics(CloneService clones, ISessionStore sessions, IOptions<BillingOptions> billing)
{
    public async Task<CloneSessionStats> GetAsync(Caller caller, string cloneIdOrSlug, CancellationToken cancellationToken = default)
    {
        var clone = await clones.GetManagedAsync(caller, cloneIdOrSlug, cancellationToken);
        return await sessions.GetCloneStatsAsync(clone.Id, billing.Value.Currency, cancellationToken);
    }
}
