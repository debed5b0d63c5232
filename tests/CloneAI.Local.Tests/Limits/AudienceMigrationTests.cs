using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests.Limits;

/// <summary>Migration 17 on a data folder made before it: each clone's counts become one per user (their latest rating), the owner's own left out.</summary>
public sealed class AudienceMigrationTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cloneai-audience-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }

    [Fact]
    public async Task OldSessionCountsAndRatingsAreRecountedPerUser()
    {
        string cloneId;
        await using (var host = await OwnHost.StartAsync(dataDir: _data))
        {
            var creator = await host.UserAsync("creator", creator: true);
            var clone = await host.PublishedCloneAsync(creator, "Counted", new PricingInput(PerMinute: 1, Currency: "USD"));
            cloneId = clone.Id;
            var sessions = host.Services.GetRequiredService<ISessionStore>();
            var at = DateTimeOffset.UtcNow.AddDays(-3);
            async Task SessionAsync(string user, int? stars, bool preview = false, int messages = 1)
            {
                at = at.AddMinutes(10);
                await sessions.CreateAsync(new ChatSession
                {
                    Id = Guid.NewGuid().ToString("N"), UserId = user, CloneId = clone.Id, CloneName = clone.Name, CloneSlug = clone.Slug,
                    OwnerId = creator.Id, Pricing = clone.Pricing, Status = SessionStatus.Ended, StartedAt = at, LastActivityAt = at, EndedAt = at,
                    MessageCount = messages, Rating = stars, Preview = preview,
                }, null);
            }
            // As counted before: one user's three sessions and ratings, another user's one, and the owner's session from
            // before previews (rated), all counted; a preview and an unused session were not.
            await SessionAsync("u-1", 5);
            await SessionAsync("u-1", 5);
            await SessionAsync("u-1", 2);
            await SessionAsync("u-2", 4);
            await SessionAsync("u-3", null, messages: 0);
            await SessionAsync(creator.Id, 5);
            await SessionAsync(creator.Id, null, preview: true);
            var store = host.Services.GetRequiredService<ICloneStore>();
            var stored = (await store.GetAsync(clone.Id))!;
            await store.ReplaceAsync(stored with { SessionCount = 5, RatingCount = 5, Rating = 4.2 }, stored.Slug);
        }

        // Back to schema version 18 (before this migration).
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_data, "cloneai.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var downgrade = connection.CreateCommand();
            downgrade.CommandText = "DELETE FROM schema_version WHERE version >= 19; DROP TABLE clone_audience; DROP TABLE embedding_usage;";
            await downgrade.ExecuteNonQueryAsync();
        }

        await using (var host = await OwnHost.StartAsync(dataDir: _data))
        {
            var clone = (await host.Services.GetRequiredService<ICloneStore>().GetAsync(cloneId))!;
            Assert.Equal(2, clone.SessionCount);
            Assert.Equal(2, clone.RatingCount);
            Assert.Equal(3, clone.Rating);
            var u1 = Assert.Single(await host.Services.GetRequiredService<ICloneAudienceStore>().ListByUserAsync("u-1"));
            Assert.Equal((true, 2), (u1.Counted, u1.Stars));
            Assert.Empty(await host.Services.GetRequiredService<ICloneAudienceStore>().ListByUserAsync("creator"));
            // The marketplace reads the recomputed columns too.
            var page = await host.Services.GetRequiredService<ICloneStore>().SearchPublishedAsync(new MarketplaceQuery { Sort = MarketplaceSort.Popular, MinRating = 3 });
            Assert.Contains(page.Items, c => c.Id == cloneId && c.SessionCount == 2);
        }
    }
}
