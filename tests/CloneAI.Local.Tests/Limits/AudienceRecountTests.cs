using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests.Limits;

/// <summary>
/// The audience recount in the local host (over SQLite, as migration 19 did at start): counts stored the old way, per session
/// and with the owner's own, are recounted per user through the admin route, and a second run changes nothing.
/// </summary>
public sealed class AudienceRecountTests
{
    [Fact]
    public async Task TheAdminRouteRecountsPerUserAndASecondRunChangesNothing()
    {
        await using var host = await OwnHost.StartAsync();
        var creator = await host.UserAsync("creator", creator: true);
        var clone = await host.PublishedCloneAsync(creator, "Recounted", new PricingInput(PerMinute: 1, Currency: "USD"));
        var sessions = host.Services.GetRequiredService<ISessionStore>();
        var at = DateTimeOffset.UtcNow.AddDays(-3);
        async Task SessionAsync(string user, int? stars, bool preview = false)
        {
            at = at.AddMinutes(10);
            await sessions.CreateAsync(new ChatSession
            {
                Id = Guid.NewGuid().ToString("N"), UserId = user, CloneId = clone.Id, CloneName = clone.Name, CloneSlug = clone.Slug,
                OwnerId = creator.Id, Pricing = clone.Pricing, Status = SessionStatus.Ended, StartedAt = at, LastActivityAt = at, EndedAt = at,
                MessageCount = 1, Rating = stars, RatedAt = stars is null ? null : at, Preview = preview,
            }, null);
        }
        // Stored as counted before the fix (no per-user records): one user's three sessions and ratings, another user's one,
        // and the owner's own rated session.
        await SessionAsync("u-1", 5);
        await SessionAsync("u-1", 5);
        await SessionAsync("u-1", 2);
        await SessionAsync("u-2", 4);
        await SessionAsync(creator.Id, 5);
        await SessionAsync(creator.Id, null, preview: true);
        var store = host.Services.GetRequiredService<ICloneStore>();
        var stored = (await store.GetAsync(clone.Id))!;
        await store.ReplaceAsync(stored with { SessionCount = 5, RatingCount = 5, Rating = 4.2 }, stored.Slug);

        var users = host.Services.GetRequiredService<IUserStore>();
        var now = DateTimeOffset.UtcNow;
        var admin = await users.CreateAsync(new User
        {
            Id = "recount-admin", Email = "recount-admin@cloneai.test", DisplayName = "Admin", IsAdmin = true, EmailVerified = true, CreatedAt = now, UpdatedAt = now,
        });
        using var http = host.Client(admin);
        using var asUser = host.Client(await host.UserAsync("u-1"));
        Assert.Equal(HttpStatusCode.Forbidden, (await asUser.PostAsJsonAsync("/api/admin/maintenance/recount-audience", new { reason = "Not mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/admin/maintenance/recount-audience", new { reason = "" })).StatusCode);

        var first = await http.PostAsJsonAsync("/api/admin/maintenance/recount-audience", new { reason = "After the upgrade" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var result = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, 1, 2, 2, 2), (result.GetProperty("clones").GetInt32(), result.GetProperty("clonesChanged").GetInt32(),
            result.GetProperty("users").GetInt32(), result.GetProperty("ratings").GetInt32(), result.GetProperty("recordsWritten").GetInt32()));
        var recounted = (await store.GetAsync(clone.Id))!;
        Assert.Equal((2, 2, 3.0), (recounted.SessionCount, recounted.RatingCount, recounted.Rating));
        var u1 = Assert.Single(await host.Services.GetRequiredService<ICloneAudienceStore>().ListByUserAsync("u-1"));
        Assert.Equal((true, 2), (u1.Counted, u1.Stars));
        Assert.Empty(await host.Services.GetRequiredService<ICloneAudienceStore>().ListByUserAsync(creator.Id));

        var second = await (await http.PostAsJsonAsync("/api/admin/maintenance/recount-audience", new { reason = "Again" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 0), (second.GetProperty("clonesChanged").GetInt32(), second.GetProperty("recordsWritten").GetInt32()));
        Assert.Equal((2, 2, 3.0), ((await store.GetAsync(clone.Id))!.SessionCount, (await store.GetAsync(clone.Id))!.RatingCount, (await store.GetAsync(clone.Id))!.Rating));

        var audit = await http.GetFromJsonAsync<JsonElement>("/api/admin/audit?action=maintenance.audience-recounted");
        Assert.Equal(2, audit.GetProperty("items").GetArrayLength());
        Assert.Equal("Again", audit.GetProperty("items")[0].GetProperty("reason").GetString());
    }
}
