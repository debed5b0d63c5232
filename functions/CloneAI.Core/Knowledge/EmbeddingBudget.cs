using System.Globalization;
using CloneAI.Core.Errors;
using CloneAI.Core.Limits;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// Each user's embedding work per UTC day: one row per ingestion run (<c>{documentId}:{generation}</c>), so a retried step
/// counts once. SQLite table <c>embedding_usage</c> locally; in Azure, documents in the <c>memories</c> container (the user's
/// partition). Both survive restarts and are shared by every instance.
/// </summary>
public interface IEmbeddingUsageStore
{
    /// <summary>Characters charged to the user on <paramref name="day"/> (<c>yyyy-MM-dd</c>, UTC).</summary>
    Task<long> UsedAsync(string userId, string day, CancellationToken cancellationToken = default);

    /// <summary>Charges <paramref name="characters"/> under <paramref name="key"/>, once: charging the same key again changes nothing.</summary>
    Task AddAsync(string userId, string day, string key, long characters, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Removes the user's rows (account deletion).</summary>
    Task DeleteUserAsync(string userId, CancellationToken cancellationToken = default);
}

/// <summary>
/// The per-user budget for embedding work (<see cref="RateLimitOptions.EmbeddingCharactersPerDay"/>): every ingestion run of a
/// document (an upload, an import, a re-index) charges its text's characters to the clone's owner when it is chunked, for
/// the UTC day. A request that would start more work (an upload, an import, a re-index) when the day's budget is used up is
/// refused with 429 and a <c>Retry-After</c> up to midnight UTC; a run that reaches the chunking step then fails with the same
/// message (a document already under way when the budget ran out is embedded whole). Re-indexing one document is also
/// refused while it is being processed (409) and within <see cref="RateLimitOptions.ReindexCooldownMinutes"/> of its last
/// re-index (429).
/// </summary>
public sealed class EmbeddingBudget(IEmbeddingUsageStore usage, IOptions<RateLimitOptions> options, TimeProvider time)
{
    /// <summary>Throws <see cref="TooManyRequestsException"/> when the owner's budget for today is used up.</summary>
    public async Task EnsureAvailableAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        var limit = options.Value.EmbeddingCharactersPerDay;
        if (limit <= 0) return;
        var now = time.GetUtcNow();
        if (await usage.UsedAsync(ownerId, Day(now), cancellationToken) >= limit) throw UsedUp(limit, now);
    }

    /// <summary>May the document be re-indexed now? Not while it is processed (409), nor within the cooldown (429), nor over budget (429).</summary>
    public async Task AdmitReindexAsync(KnowledgeDocument document, CancellationToken cancellationToken = default)
    {
        if (!document.IsFinished)
            throw new ConflictException("This document is being processed. Re-index it when it is ready or has failed.");
        var cooldown = TimeSpan.FromMinutes(options.Value.ReindexCooldownMinutes);
        var now = time.GetUtcNow();
        if (cooldown > TimeSpan.Zero && document.ReindexedAt is { } last && now - last < cooldown)
        {
            var wait = last + cooldown - now;
            throw new TooManyRequestsException(
                $"This document was re-indexed at {last.UtcDateTime:HH:mm} UTC; it can be re-indexed again once every {options.Value.ReindexCooldownMinutes} minutes, " +
                $"from {(last + cooldown).UtcDateTime:HH:mm} UTC (in {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} min).", wait);
        }
        await EnsureAvailableAsync(document.OwnerId, cancellationToken);
    }

    /// <summary>
    /// Charges one ingestion run of a document (<paramref name="key"/> names it) to its owner, or throws
    /// <see cref="PermanentIngestionException"/> with the budget's message when the day's budget was used up before it.
    /// </summary>
    public async Task ChargeAsync(string ownerId, string key, long characters, CancellationToken cancellationToken = default)
    {
        var limit = options.Value.EmbeddingCharactersPerDay;
        var now = time.GetUtcNow();
        var day = Day(now);
        if (limit > 0 && await usage.UsedAsync(ownerId, day, cancellationToken) >= limit)
            throw new PermanentIngestionException(UsedUp(limit, now).Message + " Re-index this document then.");
        await usage.AddAsync(ownerId, day, key, characters, now, cancellationToken);
    }

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static TooManyRequestsException UsedUp(long limit, DateTimeOffset now)
    {
        var reset = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        var wait = reset - now;
        return new TooManyRequestsException(
            string.Create(CultureInfo.InvariantCulture,
                $"Today's budget for processing documents ({limit:N0} characters of text, uploads and re-indexing together) is used up. " +
                $"It resets at 00:00 UTC, in {(int)wait.TotalHours} h {wait.Minutes} min."), wait);
    }
}
