using CloneAI.Core.Errors;
using CloneAI.Core.Memory;
using CloneAI.Local.Memory;
using CloneAI.Local.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloneAI.Local.Tests.Memory;

public sealed class SqliteMemoryStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-06T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cloneai-memory-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteMemoryStore _store;
    private readonly SqliteClonePreferenceStore _preferences;

    public SqliteMemoryStoreTests()
    {
        var db = new SqliteDatabase(Path.Combine(_dir, "cloneai.db"), NullLogger<SqliteDatabase>.Instance);
        _store = new SqliteMemoryStore(db);
        _preferences = new SqliteClonePreferenceStore(db);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static MemoryItem Item(string id, string userId, string? cloneId, string? sessionId = "s-1", int minutes = 0) => new()
    {
        Id = id, UserId = userId, CloneId = cloneId, Kind = MemoryKinds.Goal, Text = "Goal " + id,
        Source = sessionId is null ? null : new MemorySource(sessionId, "m"), CreatedAt = Now.AddMinutes(minutes), UpdatedAt = Now.AddMinutes(minutes),
    };

    [Fact]
    public async Task ItemsAreListedPerUserOldestFirstWithTheSharedOnesInEveryClonesList()
    {
        await _store.UpsertAsync(Item("b", "u-1", null, minutes: 2));
        await _store.UpsertAsync(Item("a", "u-1", "c-1", minutes: 1));
        await _store.UpsertAsync(Item("c", "u-1", "c-2", minutes: 3));
        await _store.UpsertAsync(Item("x", "u-2", "c-1"));

        Assert.Equal(["a", "b"], (await _store.ListAsync("u-1", "c-1")).Select(i => i.Id));
        Assert.Equal(["a", "b", "c"], (await _store.ListAsync("u-1", null)).Select(i => i.Id));
        Assert.Equal(["x"], (await _store.ListAsync("u-2", null)).Select(i => i.Id));
        Assert.Null(await _store.GetAsync("u-2", "a"));
        Assert.False(await _store.DeleteAsync("u-2", "a"));
        Assert.NotNull(await _store.GetAsync("u-1", "a"));
    }

    [Fact]
    public async Task AReplaceWithAStaleETagIsAConflict()
    {
        var stored = await _store.UpsertAsync(Item("a", "u-1", "c-1"));
        var changed = await _store.UpsertAsync(stored with { Text = "Changed" });

        await Assert.ThrowsAsync<ConflictException>(() => _store.UpsertAsync(stored with { Text = "Stale" }));
        Assert.Equal("Changed", (await _store.GetAsync("u-1", "a"))!.Text);
        Assert.Equal(changed.ETag, (await _store.GetAsync("u-1", "a"))!.ETag);
        Assert.True(await _store.DeleteAsync("u-1", "a"));
        await Assert.ThrowsAsync<ConflictException>(() => _store.UpsertAsync(changed));
    }

    [Fact]
    public async Task DeletingASessionsItemsLeavesOthersAndOtherUsers()
    {
        await _store.UpsertAsync(Item("a", "u-1", "c-1", "s-9"));
        await _store.UpsertAsync(Item("b", "u-1", null, "s-9"));
        await _store.UpsertAsync(Item("c", "u-1", "c-1", "s-8"));
        await _store.UpsertAsync(Item("d", "u-1", "c-1", null));
        await _store.UpsertAsync(Item("e", "u-2", "c-1", "s-9"));

        Assert.Equal(2, await _store.DeleteFromSessionAsync("u-1", "s-9"));

        Assert.Equal(["c", "d"], (await _store.ListAsync("u-1", null)).Select(i => i.Id));
        Assert.Single(await _store.ListAsync("u-2", null));
    }

    [Fact]
    public async Task ClonePreferencesAreKeptPerUserAndClone()
    {
        Assert.Null(await _preferences.GetAsync("u-1", "c-1"));
        await _preferences.UpsertAsync(new ClonePreferences { UserId = "u-1", CloneId = "c-1", MemoryEnabled = false, Style = new() { Length = "concise" }, UpdatedAt = Now });
        await _preferences.UpsertAsync(new ClonePreferences { UserId = "u-1", CloneId = "c-1", MemoryEnabled = false, Style = new() { Length = "detailed" }, UpdatedAt = Now });

        var read = await _preferences.GetAsync("u-1", "c-1");
        Assert.Equal((false, "detailed"), (read!.MemoryEnabled, read.Style!.Length));
        Assert.Null(await _preferences.GetAsync("u-2", "c-1"));
    }
}
