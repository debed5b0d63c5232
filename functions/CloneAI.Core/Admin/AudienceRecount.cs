using CloneAI.Core.Audit;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Logging;

namespace CloneAI.Core.Admin;

/// <summary>What a recount found and changed.</summary>
/// <param name="Clones">Clones recounted (every one not deleted).</param>
/// <param name="ClonesChanged">Clones whose <c>sessionCount</c>, <c>rating</c> or <c>ratingCount</c> changed.</param>
/// <param name="Users">Distinct users counted or rating, over all clones.</param>
/// <param name="Ratings">Ratings counted: one per user and clone.</param>
/// <param name="RecordsWritten">Per-user records (<see cref="CloneAudienceEntry"/>) created or corrected.</param>
public sealed record AudienceRecountResult(int Clones, int ClonesChanged, int Users, int Ratings, int RecordsWritten);

/// <summary>
/// Rebuilds each clone's audience from what is stored, as SQLite migration 19 did for local data made before it: for every
/// clone and user (never the clone's owner; never a preview), the user is counted once if any of their sessions with it ended
/// with a question asked, and their one rating is that of their latest rated session (by when it was rated); a record the
/// live code already wrote is kept (counted stays counted; its rating stands where no session carries one). Then every
/// clone's <see cref="Clone.SessionCount"/> (distinct users), <see cref="Clone.Rating"/> and <see cref="Clone.RatingCount"/>
/// are set from those records. Data stored before the fix (per-session counts, one rating per session, the owner's own) is
/// recounted; running it again changes nothing. Admins only, audit-logged with their reason.
/// </summary>
public sealed class AudienceRecount(IAudienceRecountSource source, ICloneStore clones, AuditTrail audit, ILogger<AudienceRecount> logger)
{
    public const string JobId = "recount-audience";

    public async Task<AudienceRecountResult> RunAsync(Caller caller, string? reason, CancellationToken cancellationToken = default)
    {
        AuditTrail.RequireAdmin(caller);
        var why = AuditTrail.RequireReason(reason);
        var result = await RecountAsync(cancellationToken);
        await audit.RecordAsync(caller, AuditActions.AudienceRecounted, AuditTargets.Maintenance, JobId, null, why,
            details: $"clones={result.Clones};clonesChanged={result.ClonesChanged};users={result.Users};ratings={result.Ratings};records={result.RecordsWritten}",
            cancellationToken: cancellationToken);
        logger.LogInformation("Audience recount by admin {AdminId}: {Clones} clones ({Changed} changed), {Users} users, {Ratings} ratings, {Records} records written",
            caller.UserId, result.Clones, result.ClonesChanged, result.Users, result.Ratings, result.RecordsWritten);
        return result;
    }

    public async Task<AudienceRecountResult> RecountAsync(CancellationToken cancellationToken = default)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var clone in source.ReadClonesAsync(cancellationToken))
            if (clone.Status != CloneStatus.Deleted) owners[clone.Id] = clone.OwnerId;

        // From the sessions: who used each clone, and each user's latest rated session with it.
        var used = new HashSet<(string Clone, string User)>();
        var latest = new Dictionary<(string Clone, string User), ChatSession>();
        await foreach (var session in source.ReadSessionsAsync(cancellationToken))
        {
            if (session.Preview || session.UserId == session.OwnerId
                || !owners.TryGetValue(session.CloneId, out var owner) || owner == session.UserId) continue;
            var key = (session.CloneId, session.UserId);
            if (session.Status == SessionStatus.Ended && session.MessageCount > 0) used.Add(key);
            if (session.Rating is >= 1 and <= 5 && (!latest.TryGetValue(key, out var before) || Later(session, before))) latest[key] = session;
        }

        var existing = new Dictionary<(string Clone, string User), CloneAudienceEntry>();
        await foreach (var entry in source.ReadAudienceAsync(cancellationToken)) existing[(entry.CloneId, entry.UserId)] = entry;

        var merged = new List<CloneAudienceEntry>();
        var written = 0;
        foreach (var key in existing.Keys.Concat(used).Concat(latest.Keys).Distinct())
        {
            var before = existing.GetValueOrDefault(key);
            var rated = latest.GetValueOrDefault(key);
            var entry = new CloneAudienceEntry(key.Clone, key.User, used.Contains(key) || before?.Counted == true,
                rated?.Rating ?? before?.Stars, rated?.Id ?? before?.SessionId, rated is null ? before?.RatedAt : rated.RatedAt ?? rated.LastActivityAt);
            if (!entry.Counted && entry.Stars is null) continue;
            merged.Add(entry);
            if (before is null || Trimmed(entry) != Trimmed(before))
            {
                await source.PutAudienceAsync(entry, cancellationToken);
                written++;
            }
        }

        // The clones' counters, from the records (never the owner's own).
        var counted = merged.Where(e => owners.TryGetValue(e.CloneId, out var owner) && owner != e.UserId).ToList();
        var byClone = counted.ToLookup(e => e.CloneId, StringComparer.Ordinal);
        var changed = 0;
        foreach (var cloneId in owners.Keys)
        {
            var entries = byClone[cloneId].ToList();
            var stars = entries.Where(e => e.Stars is not null).Select(e => e.Stars!.Value).ToList();
            var sessionCount = entries.Count(e => e.Counted);
            var rating = stars.Count == 0 ? 0 : Math.Round(stars.Average(), 2);
            if (await SetCountsAsync(cloneId, sessionCount, rating, stars.Count, cancellationToken)) changed++;
        }
        var users = counted.Where(e => e.Counted || e.Stars is not null).Select(e => e.UserId).Distinct(StringComparer.Ordinal).Count();
        return new AudienceRecountResult(owners.Count, changed, users, counted.Count(e => e.Stars is not null), written);
    }

    /// <summary>An entry compared at the millisecond (what SQLite keeps of a time).</summary>
    private static CloneAudienceEntry Trimmed(CloneAudienceEntry e) =>
        e with { RatedAt = e.RatedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds()) : null };

    /// <summary>As <see cref="SessionRatings.LatestPerUser"/> orders them: by when rated (else last active), then by start.</summary>
    private static bool Later(ChatSession a, ChatSession b)
    {
        var (ta, tb) = (a.RatedAt ?? a.LastActivityAt, b.RatedAt ?? b.LastActivityAt);
        return ta != tb ? ta > tb : a.StartedAt > b.StartedAt;
    }

    private async Task<bool> SetCountsAsync(string cloneId, int sessionCount, double rating, int ratingCount, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var clone = await clones.GetAsync(cloneId, cancellationToken);
            if (clone is null) return false;
            if (clone.SessionCount == sessionCount && clone.Rating.Equals(rating) && clone.RatingCount == ratingCount) return false;
            try
            {
                await clones.ReplaceAsync(clone with { SessionCount = sessionCount, Rating = rating, RatingCount = ratingCount }, null, cancellationToken);
                return true;
            }
            catch (ConflictException)
            {
            }
        }
        throw new ConflictException($"Clone {cloneId} kept changing while its audience was recounted. Run the recount again.");
    }
}
