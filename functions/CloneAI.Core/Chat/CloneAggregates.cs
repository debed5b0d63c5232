using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Logging;

namespace CloneAI.Core.Chat;

/// <summary>
/// The counts a clone carries of its use, kept up to date as sessions end and are rated: <see cref="Clone.SessionCount"/> is
/// the number of distinct users who used it (so one user's many sessions cannot inflate "popular"), and
/// <see cref="Clone.Rating"/>/<see cref="Clone.RatingCount"/> hold one rating per user, their latest. The per-user records are
/// the <see cref="ICloneAudienceStore"/>'s (every host registers one; a bare service in a unit test without it counts sessions).
/// </summary>
public sealed class CloneAggregates(ICloneStore clones, ILogger<CloneAggregates> logger, ICloneAudienceStore? audience = null)
{
    /// <summary>A session of <paramref name="userId"/> with the clone was used: the clone gains a user the first time only.</summary>
    public async Task CountSessionAsync(string cloneId, string userId, CancellationToken cancellationToken = default)
    {
        if (audience is not null && !await audience.AddUserAsync(cloneId, userId, cancellationToken)) return;
        await UpdateAsync(cloneId, c => c with { SessionCount = c.SessionCount + 1 }, cancellationToken);
    }

    /// <summary>
    /// The user rated a session of the clone: their rating of the clone becomes <paramref name="stars"/>, replacing their earlier
    /// one (from this session or another). <paramref name="sessionPrevious"/> is the session's earlier stars, used only without
    /// an audience store.
    /// </summary>
    public async Task RateAsync(string cloneId, string userId, string sessionId, int? sessionPrevious, int stars, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var previous = audience is null ? sessionPrevious : await audience.SetRatingAsync(cloneId, userId, stars, sessionId, at, cancellationToken);
        await UpdateAsync(cloneId, c =>
        {
            var total = c.Rating * c.RatingCount - (previous ?? 0) + stars;
            var count = c.RatingCount + (previous is null ? 1 : 0);
            return c with { Rating = count == 0 ? 0 : Math.Round(total / count, 2), RatingCount = count };
        }, cancellationToken);
    }

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
