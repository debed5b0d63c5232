using CloneAI.Core.Clones;
using CloneAI.Core.Domain;

namespace CloneAI.Core.Chat;

/// <summary>
/// What a clone's creator (or an admin) sees of its sessions: aggregates only, never a conversation. The creator's own
/// previews are not among them.
/// </summary>
public sealed class CloneStatistics(CloneService clones, ISessionStore sessions)
{
    public async Task<CloneSessionStats> GetAsync(Caller caller, string cloneIdOrSlug, CancellationToken cancellationToken = default)
    {
        var clone = await clones.GetManagedAsync(caller, cloneIdOrSlug, cancellationToken);
        return await sessions.GetCloneStatsAsync(clone.Id, cancellationToken);
    }
}
