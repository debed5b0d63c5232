using CloneAI.Core.Chat;
using CloneAI.Core.Recommendations;
using CloneAI.Local.Chat;
using CloneAI.Local.Recommendations;
using CloneAI.Local.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloneAI.Local.Tests.Recommendations;

/// <summary>Who used which clone, aggregated over a real SQLite file written through the session store.</summary>
public sealed class SqliteCloneUsageReaderTests : IDisposable
{
    private static readonly DateTimeOffset Dec1 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cloneai-usage-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteSessionStore _sessions;
    private readonly SqliteCloneUsageReader _reader;

    public SqliteCloneUsageReaderTests()
    {
        var db = new SqliteDatabase(Path.Combine(_dir, "cloneai.db"), NullLogger<SqliteDatabase>.Instance);
        _sessions = new SqliteSessionStore(db);
        _reader = new SqliteCloneUsageReader(db);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private Task<ChatSession> SessionAsync(string id, string user, string clone, DateTimeOffset at, int messages = 0, int? rating = null, bool preview = false) =>
        _sessions.CreateAsync(new ChatSession
        {
            Id = id, UserId = user, CloneId = clone, CloneName = clone, OwnerId = "owner", StartedAt = at, LastActivityAt = at,
            MessageCount = messages, Rating = rating, Preview = preview,
        }, null);

    [Fact]
    public async Task AUsersSessionsAreFoldedPerCloneWithTheAverageRatingAndPreviewsLeftOut()
    {
        await SessionAsync("s1", "me", "tides", Dec1, messages: 3, rating: 4);
        await SessionAsync("s2", "me", "tides", Dec1.AddDays(1), messages: 2, rating: 5);
        await SessionAsync("s3", "me", "tides", Dec1.AddDays(2), messages: 1);
        await SessionAsync("s4", "me", "moon", Dec1.AddHours(1), messages: 1);
        await SessionAsync("s5", "me", "mine", Dec1.AddDays(5), preview: true);
        await SessionAsync("s6", "you", "tides", Dec1);

        var uses = await _reader.ForUserAsync("me");

        Assert.Equal(
            [new CloneUse("me", "tides", 3, 6, 4.5, Dec1.AddDays(2)), new CloneUse("me", "moon", 1, 1, null, Dec1.AddHours(1))],
            uses);
    }

    [Fact]
    public async Task EveryonesUsesSinceATimeFromTheNewestSessions()
    {
        await SessionAsync("old", "a", "tides", Dec1.AddDays(-30));
        await SessionAsync("s1", "a", "tides", Dec1);
        await SessionAsync("s2", "b", "tides", Dec1.AddHours(1));
        await SessionAsync("s3", "b", "moon", Dec1.AddHours(2));
        await SessionAsync("p", "owner", "tides", Dec1.AddHours(3), preview: true);

        var uses = await _reader.ListSinceAsync(Dec1.AddDays(-1), 100);
        Assert.Equal([("b", "moon"), ("b", "tides"), ("a", "tides")], uses.Select(u => (u.UserId, u.CloneId)));
        Assert.Equal(1, uses.Single(u => u.UserId == "a").Sessions); // the session before the window is not counted

        var newest = await _reader.ListSinceAsync(Dec1.AddDays(-1), 2);
        Assert.Equal([("b", "moon"), ("b", "tides")], newest.Select(u => (u.UserId, u.CloneId)));
    }
}
