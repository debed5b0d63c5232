using CloneAI.Core.Chat;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Memory;

/// <summary>
/// After each stored exchange: what the user said about themselves (their own words, never the clone's answer) becomes memory
/// items, unless memory is off for the clone. An item like one already remembered (same kind and scope, equal normalized text or
/// word similarity of at least <see cref="MemoryOptions.MergeSimilarity"/>) refreshes that item's updatedAt instead of being
/// added; a deadline said apart from its goal is added to the newest goal.
/// </summary>
public sealed class MemoryRecorder(
    IMemoryStore store, IClonePreferenceStore preferences, IMemoryExtractor extractor, IOptions<MemoryOptions> options, TimeProvider time) : IExchangeObserver
{
    public async Task OnExchangeStoredAsync(ChatSession session, SessionMessage question, SessionMessage answer, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Extract || question.Role != MessageRoles.User) return;
        if (await preferences.GetAsync(session.UserId, session.CloneId, cancellationToken) is { MemoryEnabled: false }) return;
        var candidates = await extractor.ExtractAsync(question.Content, cancellationToken);
        if (candidates is null || candidates.Count == 0) return;
        await RememberAsync(session.UserId, session.CloneId, candidates, new MemorySource(session.Id, question.Id), cancellationToken);
    }

    /// <summary>Stores the candidates for the user and clone (shared ones for all their clones), merging duplicates.</summary>
    public async Task<IReadOnlyList<MemoryItem>> RememberAsync(
        string userId, string cloneId, IReadOnlyList<MemoryCandidate> candidates, MemorySource? source, CancellationToken cancellationToken = default)
    {
        var known = (await store.ListAsync(userId, cloneId, cancellationToken)).ToList();
        var total = known.Count;
        var stored = new List<MemoryItem>();
        foreach (var candidate in candidates)
        {
            var now = time.GetUtcNow();
            var scope = candidate.Shared ? null : cloneId;
            if (candidate.Text.Length == 0)
            {
                if (candidate.Deadline is { Length: > 0 } deadline
                    && known.Where(k => k.Kind == MemoryKinds.Goal && k.CloneId == cloneId).MaxBy(k => k.UpdatedAt) is { } goal
                    && !MemoryText.Normalize(goal.Text).Contains(MemoryText.Normalize(deadline), StringComparison.Ordinal))
                {
                    var dated = await store.UpsertAsync(goal with { Text = MemoryText.Clean(goal.Text + " " + deadline), UpdatedAt = now }, cancellationToken);
                    Replace(known, dated);
                    stored.Add(dated);
                }
                continue;
            }
            var same = known.FirstOrDefault(k => k.Kind == candidate.Kind && k.CloneId == scope
                && (MemoryText.Normalize(k.Text) == MemoryText.Normalize(candidate.Text) || MemoryText.Similarity(k.Text, candidate.Text) >= options.Value.MergeSimilarity));
            if (same is not null)
            {
                var refreshed = await store.UpsertAsync(same with { UpdatedAt = now }, cancellationToken);
                Replace(known, refreshed);
                stored.Add(refreshed);
                continue;
            }
            if (total >= options.Value.MaxItems) continue;
            var added = await store.UpsertAsync(new MemoryItem
            {
                Id = Guid.NewGuid().ToString("N"),
                UserId = userId,
                CloneId = scope,
                Kind = candidate.Kind,
                Text = MemoryText.Clean(candidate.Text),
                Source = source,
                CreatedAt = now,
                UpdatedAt = now,
            }, cancellationToken);
            known.Add(added);
            total++;
            stored.Add(added);
        }
        return stored;
    }

    private static void Replace(List<MemoryItem> items, MemoryItem item)
    {
        var i = items.FindIndex(k => k.Id == item.Id);
        if (i >= 0) items[i] = item;
    }
}
