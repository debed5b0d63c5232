using CloneAI.Core.Errors;
using CloneAI.Core.Memory;
using CloneAI.Core.Summaries;

namespace CloneAI.Core.Progress;

/// <summary>A user's checklist with a clone, oldest first, and how many of its items are done and open.</summary>
public sealed record ProgressChecklist(IReadOnlyList<ProgressItem> Items, int Done, int Open);

/// <summary>
/// Goals and progress (issue 14, part 3): the user's checklist with a clone is built on every read from the goals in their
/// memory for that clone (shared goals included) and the action items of their summaries of sessions with it, each matched
/// to the user's tick by its stable id. Only the user reads or ticks it: every call is for one user id. Memory and summaries
/// are optional ports: a host without one of them has no items of that origin.
/// </summary>
public sealed class ProgressService(IProgressTickStore ticks, TimeProvider time, IMemoryStore? memories = null, ISessionSummaryStore? summaries = null)
    : IProgressReader
{
    /// <summary>The most summaries (newest sessions first) whose action items join the checklist.</summary>
    public const int MaxSummaries = 100;
    public const int MaxIdLength = 200;

    public static string GoalId(string memoryId) => $"goal:{memoryId}";

    public static string ActionId(string sessionId, int index) => $"action:{sessionId}:{index}";

    public async Task<ProgressChecklist> ChecklistAsync(string userId, string? cloneId, CancellationToken cancellationToken = default)
    {
        var clone = RequireClone(cloneId);
        var items = await ItemsAsync(userId, clone, cancellationToken);
        var done = items.Count(i => i.Done);
        return new ProgressChecklist(items, done, items.Count - done);
    }

    public async Task<IReadOnlyList<ProgressItem>> OpenItemsAsync(string userId, string cloneId, CancellationToken cancellationToken = default) =>
        (await ItemsAsync(userId, cloneId, cancellationToken)).Where(i => !i.Done).ToList();

    /// <summary>Ticks (<paramref name="done"/> true) or unticks an item of the user's checklist with the clone; 404 when there is no such item.</summary>
    public async Task<ProgressItem> SetDoneAsync(string userId, string? itemId, string? cloneId, bool? done, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        v.Require("cloneId", cloneId, MaxIdLength);
        if (done is null) v.Add("done", "Send true to tick the item or false to untick it.");
        v.ThrowIfInvalid();
        if (string.IsNullOrWhiteSpace(itemId) || itemId.Length > MaxIdLength * 2) throw new NotFoundException("No such item on your checklist.");

        var items = await ItemsAsync(userId, cloneId!, cancellationToken);
        var item = items.FirstOrDefault(i => i.Id == itemId) ?? throw new NotFoundException("No such item on your checklist.");
        if (item.Done == done) return item;
        var now = time.GetUtcNow();
        var tick = await ticks.UpsertAsync(new ProgressTick
        {
            UserId = userId,
            CloneId = cloneId!,
            ItemId = item.Id,
            Done = done!.Value,
            DoneAt = done.Value ? now : null,
            UpdatedAt = now,
        }, cancellationToken);
        return item with { Done = tick.Done, DoneAt = tick.DoneAt };
    }

    private async Task<List<ProgressItem>> ItemsAsync(string userId, string cloneId, CancellationToken cancellationToken)
    {
        var items = new List<ProgressItem>();
        if (memories is not null)
        {
            foreach (var goal in (await memories.ListAsync(userId, cloneId, cancellationToken)).Where(m => m.Kind == MemoryKinds.Goal))
            {
                items.Add(new ProgressItem
                {
                    Id = GoalId(goal.Id), CloneId = cloneId, Origin = ProgressOrigins.Goal, Text = goal.Text,
                    SessionId = goal.Source?.SessionId, CreatedAt = goal.CreatedAt,
                });
            }
        }
        if (summaries is not null)
        {
            foreach (var summary in await summaries.ListAsync(userId, cloneId, MaxSummaries, cancellationToken))
            {
                if (summary.CloneId != cloneId) continue;
                for (var i = 0; i < summary.ActionItems.Count; i++)
                {
                    if (string.IsNullOrWhiteSpace(summary.ActionItems[i])) continue;
                    items.Add(new ProgressItem
                    {
                        Id = ActionId(summary.SessionId, i), CloneId = cloneId, Origin = ProgressOrigins.ActionItem,
                        Text = summary.ActionItems[i].Trim(), SessionId = summary.SessionId,
                        CreatedAt = summary.SessionEndedAt == default ? summary.CreatedAt : summary.SessionEndedAt,
                    });
                }
            }
        }
        var ticked = (await ticks.ListAsync(userId, cloneId, cancellationToken)).ToDictionary(t => t.ItemId, StringComparer.Ordinal);
        return items
            .Select(i => ticked.TryGetValue(i.Id, out var t) ? i with { Done = t.Done, DoneAt = t.Done ? t.DoneAt : null } : i)
            .OrderBy(i => i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal)
            .ToList();
    }

    private static string RequireClone(string? cloneId)
    {
        var v = new Validator();
        v.Require("cloneId", cloneId, MaxIdLength);
        v.ThrowIfInvalid();
        return cloneId!;
    }
}
