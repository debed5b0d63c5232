using CloneAI.Core.Errors;
using CloneAI.Core.Memory;
using CloneAI.Core.Progress;
using CloneAI.Core.Summaries;

namespace CloneAI.Core.Tests.Progress;

/// <summary>Memory items in a list, with the port's per-user and per-clone semantics (for tests of their readers).</summary>
internal sealed class InMemoryMemoryStore : IMemoryStore
{
    public List<MemoryItem> Items { get; } = [];

    public Task<IReadOnlyList<MemoryItem>> ListAsync(string userId, string? cloneId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<MemoryItem>>(Items.Where(i => i.UserId == userId && (cloneId is null || i.CloneId is null || i.CloneId == cloneId))
            .OrderBy(i => i.CreatedAt).ToList());

    public Task<MemoryItem?> GetAsync(string userId, string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(Items.FirstOrDefault(i => i.UserId == userId && i.Id == id));

    public Task<MemoryItem> UpsertAsync(MemoryItem item, CancellationToken cancellationToken = default)
    {
        Items.RemoveAll(i => i.UserId == item.UserId && i.Id == item.Id);
        Items.Add(item);
        return Task.FromResult(item);
    }

    public Task<bool> DeleteAsync(string userId, string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(Items.RemoveAll(i => i.UserId == userId && i.Id == id) > 0);

    public Task<int> DeleteFromSessionAsync(string userId, string sessionId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Items.RemoveAll(i => i.UserId == userId && i.Source?.SessionId == sessionId));
}

internal sealed class InMemorySummaryStore : ISessionSummaryStore
{
    public List<SessionSummary> Summaries { get; } = [];

    public Task<bool> TryAddAsync(SessionSummary summary, CancellationToken cancellationToken = default)
    {
        if (Summaries.Any(s => s.UserId == summary.UserId && s.SessionId == summary.SessionId)) return Task.FromResult(false);
        Summaries.Add(summary);
        return Task.FromResult(true);
    }

    public Task<SessionSummary?> GetAsync(string userId, string sessionId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Summaries.FirstOrDefault(s => s.UserId == userId && s.SessionId == sessionId));

    public Task MarkReceiptSentAsync(string userId, string sessionId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var index = Summaries.FindIndex(s => s.UserId == userId && s.SessionId == sessionId);
        if (index >= 0 && Summaries[index].ReceiptSentAt is null) Summaries[index] = Summaries[index] with { ReceiptSentAt = at };
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SessionSummary>> ListAsync(string userId, string? cloneId, int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SessionSummary>>(Summaries.Where(s => s.UserId == userId && (cloneId is null || s.CloneId == cloneId))
            .OrderByDescending(s => s.SessionEndedAt).Take(max).ToList());

    public Task<bool> DeleteAsync(string userId, string sessionId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Summaries.RemoveAll(s => s.UserId == userId && s.SessionId == sessionId) > 0);
}

internal sealed class InMemoryTickStore : IProgressTickStore
{
    public List<ProgressTick> Ticks { get; } = [];

    public Task<IReadOnlyList<ProgressTick>> ListAsync(string userId, string cloneId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ProgressTick>>(Ticks.Where(t => t.UserId == userId && t.CloneId == cloneId).ToList());

    public Task<ProgressTick> UpsertAsync(ProgressTick tick, CancellationToken cancellationToken = default)
    {
        Ticks.RemoveAll(t => t.UserId == tick.UserId && t.CloneId == tick.CloneId && t.ItemId == tick.ItemId);
        Ticks.Add(tick);
        return Task.FromResult(tick);
    }
}

internal sealed class InMemoryClonePreferences : IClonePreferenceStore
{
    public List<ClonePreferences> All { get; } = [];

    public Task<ClonePreferences?> GetAsync(string userId, string cloneId, CancellationToken cancellationToken = default) =>
        Task.FromResult(All.FirstOrDefault(p => p.UserId == userId && p.CloneId == cloneId));

    public Task<ClonePreferences> UpsertAsync(ClonePreferences preferences, CancellationToken cancellationToken = default)
    {
        All.RemoveAll(p => p.UserId == preferences.UserId && p.CloneId == preferences.CloneId);
        All.Add(preferences);
        return Task.FromResult(preferences);
    }
}
