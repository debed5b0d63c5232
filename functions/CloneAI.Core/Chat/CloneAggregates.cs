using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Logging;

namespace CloneAI.Core.Chat;

/// <summary>The counts a clone carries of its sessions (used sessions, rating), kept up to date as sessions end and are rated.</summary>
public sealed class CloneAggregates(ICloneStore clones, ILogger<CloneAggregates> logger)
{
    public Task CountSessionAsync(string cloneId, CancellationToken cancellationToken = default) =>
        UpdateAsync(cloneId, c => c with { SessionCount = c.SessionCount + 1 }, cancellationToken);

    /// <summary>Adds a rating, or replaces the user's <paramref name="previous"/> one.</summary>
    public Task RateAsync(string cloneId, int? previous, int stars, CancellationToken cancellationToken = default) =>
        UpdateAsync(cloneId, c =>
        {
            var total = c.Rating * c.RatingCount - (previous ?? 0) + stars;
            var count = c.RatingCount + (previous is null ? 1 : 0);
            return c with { Rating = count == 0 ? 0 : Math.Round(total / count, 2), RatingCount = count };
        }, cancellationToken);

    private async Task UpdateAsync(string cloneId, Func<Clone, Clone> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var clone = await clones.GetAsync(cloneId, cancellationToken);
            if (clone is null) return;
            try
            {
                await clones.ReplaceAsync(change(clone), clone.Slug, cancellationToken);
                return;
            }
            catch (ConflictException)
            {
            }
        }
        logger.LogWarning("Could not update the aggregates of clone {CloneId} after 5 attempts", cloneId);
    }
}
