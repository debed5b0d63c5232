using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests.Admin;

/// <summary>
/// The admin console's API end to end on the local host: every action takes a reason and lands in the audit log; reading a
/// user's conversation needs a reason and the user sees it; featured clones lead the marketplace.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class AdminConsoleTests(LocalHostFixture host) : IAsyncLifetime
{
    private string _adminToken = null!;
    private string _adminId = null!;

    public async Task InitializeAsync()
    {
        try { await host.SignUpVerifiedAsync(LocalHostFixture.AdminEmail, "Admin"); }
        catch (Xunit.Sdk.EqualException) { } // another test class already created the admin
        _adminToken = (await host.LoginAsync(LocalHostFixture.AdminEmail)).AccessToken;
        using var admin = host.Client(_adminToken);
        _adminId = (await admin.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString()!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<List<JsonElement>> AuditAsync(string query = "")
    {
        using var admin = host.Client(_adminToken);
        return (await JsonAsync(await admin.GetAsync("/api/admin/audit?pageSize=100" + query))).GetProperty("items").EnumerateArray().ToList();
    }

    [Fact]
    public async Task AnAdminFindsAUserDisablesThemWithAReasonAndEnablesThemAndTheLogShowsBoth()
    {
        var user = await host.NewUserAsync("Findable " + Guid.NewGuid().ToString("N")[..6]);
        using var admin = host.Client(_adminToken);

        var found = (await JsonAsync(await admin.GetAsync($"/api/admin/users?q={Uri.EscapeDataString(user.Email.ToUpperInvariant()[..20])}"))).GetProperty("items");
        Assert.Equal(user.Id, Assert.Single(found.EnumerateArray()).GetProperty("id").GetString());

        var noReason = await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/disable", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));

        var disabled = await JsonAsync(await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/disable", new { reason = "Spam in three reports" }));
        await JsonAsync(await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/disable", new { reason = "Spam in three reports" })); // a retry
        Assert.Equal("Spam in three reports", disabled.GetProperty("disabledReason").GetString());
        Assert.NotEqual(JsonValueKind.Null, disabled.GetProperty("disabledAt").ValueKind);
        var stored = await host.App.Services.GetRequiredService<IUserStore>().GetAsync(user.Id);
        Assert.False(string.IsNullOrEmpty(stored!.SecurityStamp)); // its sign-ins are revoked: a new stamp…
        using (var anonymous = host.Client()) // …and no refresh token renews them
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken })).StatusCode);

        var enabled = await JsonAsync(await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/enable", new { reason = "Appeal accepted" }));
        Assert.Equal(JsonValueKind.Null, enabled.GetProperty("disabledAt").ValueKind);

        var entries = (await AuditAsync()).Where(e => e.GetProperty("targetId").GetString() == user.Id).ToList();
        Assert.Equal(["user.enabled", "user.disabled"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(["Appeal accepted", "Spam in three reports"], entries.Select(e => e.GetProperty("reason").GetString()));
        Assert.All(entries, e => Assert.Equal(LocalHostFixture.AdminEmail, e.GetProperty("actorEmail").GetString()));
    }

    [Fact]
    public async Task AnAdminDisablingRevokesTheUsersRefreshTokenForGoodEvenOnceTheyAreEnabledAgain()
    {
        var user = await host.NewUserAsync("revoked");
        using var admin = host.Client(_adminToken);
        using var anonymous = host.Client();
        Task<HttpResponseMessage> Refresh() => anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });

        await JsonAsync(await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/disable", new { reason = "Stolen account" }));
        await JsonAsync(await admin.PostAsJsonAsync($"/api/admin/users/{user.Id}/enable", new { reason = "Owner recovered it" }));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Refresh()).StatusCode);
        using (var old = host.Client(user.AccessToken))
            Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/me")).StatusCode);
        // The owner signs in afresh.
        var fresh = await host.LoginAsync(user.Email);
        using var me = host.Client(fresh.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await me.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task AnAdminCannotDisableThemselvesOrTakeTheirOwnAdminRole()
    {
        using var admin = host.Client(_adminToken);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/api/admin/users/{_adminId}/disable", new { reason = "Oops" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict,
            (await admin.PutAsJsonAsync($"/api/admin/users/{_adminId}/roles", new { admin = false, creator = false, reason = "Oops" })).StatusCode);
    }

    [Fact]
    public async Task RolesAreGrantedWithAReasonAndLogged()
    {
        var user = await host.NewUserAsync("role");
        using var admin = host.Client(_adminToken);
        var changed = await JsonAsync(await admin.PutAsJsonAsync($"/api/admin/users/{user.Id}/roles", new { admin = true, creator = true, reason = "New moderator" }));
        Assert.True(changed.GetProperty("isAdmin").GetBoolean());
        Assert.True(changed.GetProperty("isCreator").GetBoolean());
        var entry = (await AuditAsync("&action=user.roles-changed")).First(e => e.GetProperty("targetId").GetString() == user.Id);
        Assert.Equal("admin: no -> yes; creator: no -> yes", entry.GetProperty("details").GetString());
    }

    [Fact]
    public async Task FeaturedAndVerifiedClonesAreMarkedAndFeaturedOnesLeadTheMarketplace()
    {
        var creator = await host.NewUserAsync("featured-maker", creator: true);
        var clone = await host.CreateCloneAsync(creator.AccessToken, "Featured tides " + Guid.NewGuid().ToString("N")[..6], publish: true);
        var id = clone.GetProperty("id").GetString()!;
        using var admin = host.Client(_adminToken);

        var found = (await JsonAsync(await admin.GetAsync($"/api/admin/clones?q={Uri.EscapeDataString(clone.GetProperty("name").GetString()!)}&status=published"))).GetProperty("items");
        Assert.Equal(id, Assert.Single(found.EnumerateArray()).GetProperty("id").GetString());

        var featured = await JsonAsync(await admin.PostAsJsonAsync($"/api/admin/clones/{id}/feature", new { reason = "Great reviews" }));
        Assert.True(featured.GetProperty("featured").GetBoolean());
        var verified = await JsonAsync(await admin.PostAsJsonAsync($"/api/admin/clones/{id}/verify", new { reason = "Identity checked" }));
        Assert.NotEqual(JsonValueKind.Null, verified.GetProperty("verifiedAt").ValueKind);

        // The default order (popular): featured first, whatever the session counts.
        using var anonymous = host.Client();
        var market = (await anonymous.GetFromJsonAsync<JsonElement>("/api/clones?category=science&pageSize=50")).GetProperty("items").EnumerateArray().ToList();
        var firstPlain = market.FindIndex(c => !c.GetProperty("featured").GetBoolean());
        var mine = market.FindIndex(c => c.GetProperty("id").GetString() == id);
        Assert.True(mine >= 0 && (firstPlain < 0 || mine < firstPlain), $"featured clone at {mine}, first plain at {firstPlain}");

        await JsonAsync(await admin.PostAsJsonAsync($"/api/admin/clones/{id}/unfeature", new { reason = "Rotation" }));
        await JsonAsync(await admin.PostAsJsonAsync($"/api/admin/clones/{id}/unpublish", new { reason = "Impersonation report upheld" }));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/clones/{id}")).StatusCode);

        var actions = (await AuditAsync("&targetType=clone")).Where(e => e.GetProperty("targetId").GetString() == id)
            .Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["clone.unpublished", "clone.unfeatured", "clone.verified", "clone.featured"], actions);
    }

    [Fact]
    public async Task ReadingAConversationNeedsAReasonIsLoggedAndTheUserSeesIt()
    {
        var maker = await host.NewUserAsync("chat-maker", creator: true);
        var clone = await host.CreateCloneAsync(maker.AccessToken, "Read me " + Guid.NewGuid().ToString("N")[..6], publish: true);
        var user = await host.NewUserAsync("Reader subject");
        await host.FundAsync(user.Id);
        using var http = host.Client(user.AccessToken);
        var session = await JsonAsync(await http.PostAsync($"/api/clones/{clone.GetProperty("id").GetString()}/sessions", null), HttpStatusCode.Created);
        var sessionId = session.GetProperty("id").GetString()!;
        using var admin = host.Client(_adminToken);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/sessions/{sessionId}")).StatusCode); // no reason-less read
        var noReason = await admin.GetAsync($"/api/admin/sessions/{sessionId}");
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Empty((await JsonAsync(await http.GetAsync("/api/me/access-log"))).GetProperty("items").EnumerateArray());

        var read = await JsonAsync(await admin.GetAsync($"/api/admin/sessions/{sessionId}?reason={Uri.EscapeDataString("Report about an answer")}"));
        Assert.Equal(sessionId, read.GetProperty("session").GetProperty("id").GetString());
        Assert.NotEmpty(read.GetProperty("messages").EnumerateArray());

        var log = (await JsonAsync(await http.GetAsync("/api/me/access-log"))).GetProperty("items").EnumerateArray().ToList();
        var entry = Assert.Single(log);
        Assert.Equal(("session.read", "Report about an answer", "CloneAI admin (Admin)", sessionId),
            (entry.GetProperty("action").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("who").GetString(), entry.GetProperty("targetId").GetString()));
        // Nobody else sees it in theirs.
        using var makerHttp = host.Client(maker.AccessToken);
        Assert.Empty((await JsonAsync(await makerHttp.GetAsync("/api/me/access-log"))).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task TheAuditLogIsPagedWithAContinuationToken()
    {
        var user = await host.NewUserAsync("paged");
        using var admin = host.Client(_adminToken);
        for (var i = 0; i < 3; i++)
            await JsonAsync(await admin.PutAsJsonAsync($"/api/admin/users/{user.Id}/roles", new { admin = false, creator = i % 2 == 0, reason = $"Toggle {i}" }));

        var first = await JsonAsync(await admin.GetAsync("/api/admin/audit?pageSize=2"));
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var token = first.GetProperty("continuationToken").GetString()!;
        var second = await JsonAsync(await admin.GetAsync($"/api/admin/audit?pageSize=2&continuationToken={Uri.EscapeDataString(token)}"));
        var ids = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(4, ids.Distinct().Count());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/audit?continuationToken=garbage")).StatusCode);
    }

    [Fact]
    public async Task PayoutDecisionsAreAuditLoggedWithTheirReferenceOrReason()
    {
        var creator = await host.NewUserAsync("payee", creator: true);
        var clone = await host.CreateCloneAsync(creator.AccessToken, "Earner " + Guid.NewGuid().ToString("N")[..6], publish: true);
        await Billing.PayoutTests.ChargeAsync(host.App.Services, creator.Id, clone.GetProperty("id").GetString()!, 5_000);
        using var http = host.Client(creator.AccessToken);
        var first = await JsonAsync(await http.PostAsJsonAsync("/api/me/payouts", new { amount = 1_000 }), HttpStatusCode.Created);
        var second = await JsonAsync(await http.PostAsJsonAsync("/api/me/payouts", new { amount = 1_000 }), HttpStatusCode.Created);
        using var admin = host.Client(_adminToken);

        await JsonAsync(await admin.PostAsJsonAsync($"/api/admin/payouts/{first.GetProperty("id").GetString()}/approve", new { reference = "BANK-42" }));
        await JsonAsync(await admin.PostAsJsonAsync($"/api/admin/payouts/{second.GetProperty("id").GetString()}/reject", new { reason = "Duplicate request" }));

        var entries = (await AuditAsync("&targetType=payout")).Where(e => e.GetProperty("subjectUserId").GetString() == creator.Id).ToList();
        Assert.Equal([("payout.rejected", "Duplicate request"), ("payout.paid", "BANK-42")],
            entries.Select(e => (e.GetProperty("action").GetString(), e.GetProperty("reason").GetString())));
    }

    [Fact]
    public async Task NonAdminsGetNoAdminRoute()
    {
        var user = await host.NewUserAsync("not-admin");
        using var http = host.Client(user.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/admin/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PutAsJsonAsync($"/api/admin/users/{user.Id}/roles", new { admin = true, creator = true, reason = "me" })).StatusCode);
    }
}
