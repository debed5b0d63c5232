using CloneAI.Core.Errors;
using CloneAI.Core.Memory;

namespace CloneAI.Core.Tests.Memory;

/// <summary>An <see cref="IMemoryStore"/> and <see cref="IClonePreferenceStore"/> in memory, with the ports' semantics (per user, ETag-checked).</summary>
internal sealed class InMemoryMemoryStore : IMemoryStore, IClonePreferenceStore
{
    private readonly Dictionary<(string User, string Id), MemoryItem> _items = [];
    private readonly Dictionary<(string User, string Clone), ClonePreferences> _preferences = [];
    private long _etag;

    public List<string> ListedUsers { get; } = [];

    public IReadOnlyList<MemoryItem> All => [.. _items.Values.OrderBy(i => i.CreatedAt)];

    public Task<IReadOnlyList<MemoryItem>> ListAsync(string userId, string? cloneId, CancellationToken cancellationToken = default)
    {
        ListedUsers.Add(userId);
        return Task.FromResult<IReadOnlyList<MemoryItem>>([.. _items.Values.Where(i => i.UserId == userId && (cloneId is null || i.CloneId is null || i.CloneId == cloneId)).OrderBy(i => i.CreatedAt)]);
    }

    public Task<MemoryItem?> GetAsync(string userId, string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_items.GetValueOrDefault((userId, id)));

    public Task<MemoryItem> UpsertAsync(MemoryItem item, CancellationToken cancellationToken = default)
    {
        if (item.ETag is not null && (!_items.TryGetValue((item.UserId, item.Id), out var current) || current.ETag != item.ETag))
            throw new ConflictException("Changed meanwhile.");
        var stored = item with { ETag = (++_etag).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        _items[(item.UserId, item.Id)] = stored;
        return Task.FromResult(stored);
    }

    public Task<bool> DeleteAsync(string userId, string id, CancellationToken cancellationToken = default) => Task.FromResult(_items.Remove((userId, id)));

    public Task<int> DeleteFromSessionAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        var keys = _items.Where(i => i.Key.User == userId && i.Value.Source?.SessionId == sessionId).Select(i => i.Key).ToList();
        foreach (var key in keys) _items.Remove(key);
        return Task.FromResult(keys.Count);
    }

    Task<ClonePreferences?> IClonePreferenceStore.GetAsync(string userId, string cloneId, CancellationToken cancellationToken) =>
        Task.FromResult(_preferences.GetValueOrDefault((userId, cloneId)));

    public Task<ClonePreferences> UpsertAsync(ClonePreferences preferences, CancellationToken cancellationToken = default)
    {
        _preferences[(preferences.UserId, preferences.CloneId)] = preferences;
        return Task.FromResult(preferences);
    }
}
