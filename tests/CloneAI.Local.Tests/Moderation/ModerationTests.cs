using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests.Moderation;

/// <summary>Reports, auto-hiding, the admins' queue and its audit entries, verified experts and creator profiles, over HTTP.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class ModerationTests(LocalHostFixture host)
{
    private async Task<TestUser> AdminAsync()
    {
        try { await host.SignUpVerifiedAsync(LocalHostFixture.AdminEmail, "Admin"); }
        catch (Xunit.Sdk.EqualException) { } // another test class already created the admin
        var tokens = await host.LoginAsync(LocalHostFixture.AdminEmail);
        return new TestUser("", LocalHostFixture.AdminEmail, tokens.AccessToken, tokens.RefreshToken);
    }

    private static async Task<HttpResponseMessage> ReportAsync(HttpClient client, string cloneId, object body) =>
        await client.PostAsJsonAsync($"/api/clones/{cloneId}/reports", body);

    private async Task<bool> InMarketplaceAsync(string name)
    {
        using var anonymous = host.Client();
        var page = await anonymous.GetFromJsonAsync<JsonElement>($"/api/clones?q={Uri.EscapeDataString(name)}&pageSize=50");
        return page.GetProperty("items").EnumerateArray().Any(c => c.GetProperty("name").GetString() == name);
    }

    private static async Task<List<string>> AnswerIdsAsync(HttpClient client, string cloneId)
    {
        var started = await client.PostAsync($"/api/clones/{cloneId}/sessions", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var answered = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "What do you know?", clientMessageId = Guid.NewGuid().ToString("N") });
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var session = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}");
        return [sessionId, .. session.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("role").GetString() == "assistant").Select(m => m.GetProperty("id").GetString()!)];
    }

    [Fact]
    public async Task ThreeDistinctReportersHideACloneButThreeReportsFromOneUserDoNot()
    {
        var owner = await host.NewUserAsync("owner", creator: true);
        var name = "Reported " + Guid.NewGuid().ToString("N")[..8];
        var cloneId = (await host.CreateCloneAsync(owner.AccessToken, name, publish: true)).GetProperty("id").GetString()!;
        var a = await host.NewUserAsync("reporter-a");
        await host.FundAsync(a.Id);
        using var clientA = host.Client(a.AccessToken);

        // One user: the clone, then two answers of their own session (the greeting and an answer): three open reports.
        var first = await ReportAsync(clientA, cloneId, new { reason = "impersonation", details = "Not the real person." });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var repeat = await ReportAsync(clientA, cloneId, new { reason = "impersonation", details = "Again." });
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString(), (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        var ids = await AnswerIdsAsync(clientA, cloneId);
        Assert.True(ids.Count >= 3, "a greeting and an answer");
        foreach (var messageId in ids.Skip(1).Take(2))
            Assert.Equal(HttpStatusCode.Created, (await ReportAsync(clientA, cloneId, new { reason = "harmful", details = "This answer.", sessionId = ids[0], messageId })).StatusCode);
        Assert.True(await InMarketplaceAsync(name), "three reports from one user do not hide a clone");

        var b = await host.NewUserAsync("reporter-b");
        using (var clientB = host.Client(b.AccessToken))
            Assert.Equal(HttpStatusCode.Created, (await ReportAsync(clientB, cloneId, new { reason = "spam", details = "Visit https://evil.example now" })).StatusCode);
        Assert.True(await InMarketplaceAsync(name), "two distinct reporters are below the threshold");
        var c = await host.NewUserAsync("reporter-c");
        using (var clientC = host.Client(c.AccessToken))
            Assert.Equal(HttpStatusCode.Created, (await ReportAsync(clientC, cloneId, new { reason = "impersonation", details = "Fake." })).StatusCode);

        Assert.False(await InMarketplaceAsync(name), "three distinct reporters hide it");
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/clones/{cloneId}")).StatusCode);
        using var other = host.Client(b.AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/clones/{cloneId}/sessions", null)).StatusCode);

        // The owner still sees it, with why: the categories, never the reporters or their words.
        using var ownerClient = host.Client(owner.AccessToken);
        var mine = await ownerClient.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}");
        Assert.Equal(JsonValueKind.String, mine.GetProperty("hiddenAt").ValueKind);
        var why = mine.GetProperty("hiddenReason").GetString()!;
        Assert.Contains("impersonation", why, StringComparison.Ordinal);
        Assert.Contains("spam", why, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", why, StringComparison.Ordinal);
        Assert.DoesNotContain("reporter", why, StringComparison.OrdinalIgnoreCase);

        var email = host.LatestEmail(owner.Email);
        Assert.Equal("Your clone is hidden from the marketplace while we review reports", email.Subject);
        Assert.Contains($"Clone name: “{name}”", email.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", email.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", email.HtmlBody, StringComparison.Ordinal);

        var audit = await host.App.Services.GetRequiredService<IAuditLog>().ListForSubjectAsync(owner.Id, 20);
        Assert.Contains(audit, e => e.Action == AuditActions.CloneHidden && e.TargetId == cloneId && e.ActorId == "system");
    }

    [Fact]
    public async Task AnAdminHidesAndRestoresThroughTheQueueAndEveryActionIsAudited()
    {
        var admin = await AdminAsync();
        var owner = await host.NewUserAsync("owner", creator: true);
        var name = "Queued " + Guid.NewGuid().ToString("N")[..8];
        var cloneId = (await host.CreateCloneAsync(owner.AccessToken, name, publish: true)).GetProperty("id").GetString()!;
        var reporter = await host.NewUserAsync("reporter");
        using var reporterClient = host.Client(reporter.AccessToken);
        var reportId = (await (await ReportAsync(reporterClient, cloneId, new { reason = "misleading", details = "Claims to be a doctor." })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        using var adminClient = host.Client(admin.AccessToken);
        JsonElement? queued = null;
        for (string? token = null; ;)
        {
            var page = await adminClient.GetFromJsonAsync<JsonElement>("/api/admin/reports?status=open&pageSize=50" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            queued ??= page.GetProperty("items").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(r => r!.Value.GetProperty("id").GetString() == reportId);
            if (queued is not null || page.GetProperty("continuationToken").ValueKind == JsonValueKind.Null) break;
            token = page.GetProperty("continuationToken").GetString();
        }
        Assert.NotNull(queued);
        Assert.Equal(name, queued.Value.GetProperty("reportedClone").GetProperty("name").GetString());
        Assert.Equal(1, queued.Value.GetProperty("reportedClone").GetProperty("openReports").GetInt32());
        Assert.Equal(reporter.Id, queued.Value.GetProperty("reporterId").GetString());

        var noReason = await adminClient.PostAsJsonAsync($"/api/admin/reports/{reportId}/resolve", new { action = "hide", reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True(await InMarketplaceAsync(name), "a refused action changes nothing");

        var hidden = await adminClient.PostAsJsonAsync($"/api/admin/reports/{reportId}/resolve", new { action = "hide", reason = "Poses as a medical doctor" });
        Assert.Equal(HttpStatusCode.OK, hidden.StatusCode);
        Assert.Equal("upheld", (await hidden.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.False(await InMarketplaceAsync(name));
        using var ownerClient = host.Client(owner.AccessToken);
        var mine = await ownerClient.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}");
        Assert.Contains("misleading", mine.GetProperty("hiddenReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("Clone name: “" + name + "”", host.LatestEmail(owner.Email).TextBody, StringComparison.Ordinal);
        Assert.Contains("Moderator's note: “Poses as a medical doctor”", host.LatestEmail(owner.Email).TextBody, StringComparison.Ordinal);

        // A new report closed by dismissing does not show it again; restoring does.
        var second = await host.NewUserAsync("reporter-2");
        var log = host.App.Services.GetRequiredService<IAuditLog>();
        var entries = await log.ListForSubjectAsync(owner.Id, 20);
        Assert.Contains(entries, e => e.Action == AuditActions.CloneHidden && e.TargetId == cloneId && e.ActorEmail == LocalHostFixture.AdminEmail && e.Reason == "Poses as a medical doctor");
        var dismissedTwice = await adminClient.PostAsJsonAsync($"/api/admin/reports/{reportId}/resolve", new { action = "dismiss", reason = "Already handled" });
        Assert.Equal(HttpStatusCode.Conflict, dismissedTwice.StatusCode);
        Assert.False(await InMarketplaceAsync(name), "dismissing does not unhide");

        var restored = await adminClient.PostAsJsonAsync($"/api/admin/reports/{reportId}/resolve", new { action = "restore", reason = "The owner proved their licence" });
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.True(await InMarketplaceAsync(name));
        Assert.Equal(JsonValueKind.Null, (await ownerClient.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}")).GetProperty("hiddenAt").ValueKind);
        Assert.Equal("Your clone is back in the marketplace", host.LatestEmail(owner.Email).Subject);
        entries = await log.ListForSubjectAsync(owner.Id, 20);
        Assert.Contains(entries, e => e.Action == AuditActions.CloneRestored && e.TargetId == cloneId && e.Reason == "The owner proved their licence");
        Assert.NotNull(second);
    }

    [Fact]
    public async Task AnAnswerCanBeReportedOnlyFromTheReportersOwnSessionWithThatClone()
    {
        var owner = await host.NewUserAsync("owner", creator: true);
        var cloneId = (await host.CreateCloneAsync(owner.AccessToken, "Answers " + Guid.NewGuid().ToString("N")[..8], publish: true)).GetProperty("id").GetString()!;
        var otherCloneId = (await host.CreateCloneAsync(owner.AccessToken, "Elsewhere " + Guid.NewGuid().ToString("N")[..8], publish: true)).GetProperty("id").GetString()!;
        var user = await host.NewUserAsync("asker");
        await host.FundAsync(user.Id);
        using var userClient = host.Client(user.AccessToken);
        var ids = await AnswerIdsAsync(userClient, cloneId);
        var stranger = await host.NewUserAsync("stranger");
        using var strangerClient = host.Client(stranger.AccessToken);

        Assert.Equal(HttpStatusCode.NotFound, (await ReportAsync(strangerClient, cloneId, new { reason = "harmful", sessionId = ids[0], messageId = ids[^1] })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ReportAsync(userClient, otherCloneId, new { reason = "harmful", sessionId = ids[0], messageId = ids[^1] })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ReportAsync(userClient, cloneId, new { reason = "harmful", sessionId = ids[0], messageId = "not-a-message" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ReportAsync(userClient, cloneId, new { reason = "harmful", sessionId = ids[0] })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ReportAsync(userClient, cloneId, new { reason = "harmful", sessionId = ids[0], messageId = ids[^1] })).StatusCode);
        using var ownerClient = host.Client(owner.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await ReportAsync(ownerClient, cloneId, new { reason = "spam" })).StatusCode);
    }

    [Theory]
    [InlineData("{\"reason\":\"nonsense\"}")]
    [InlineData("{\"reason\":\"other\",\"details\":\"   \"}")]
    [InlineData("{\"reason\":null}")]
    [InlineData("{\"reason\":\"spam\",\"details\":12}")]
    [InlineData("[1,2,3]")]
    public async Task HostileReportBodiesAreRefusedWith400AndStoreNothing(string body)
    {
        var owner = await host.NewUserAsync("owner", creator: true);
        var cloneId = (await host.CreateCloneAsync(owner.AccessToken, "Hostile " + Guid.NewGuid().ToString("N")[..8], publish: true)).GetProperty("id").GetString()!;
        var user = await host.NewUserAsync("hostile");
        using var client = host.Client(user.AccessToken);
        var response = await client.PostAsync($"/api/clones/{cloneId}/reports", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var stored = await host.App.Services.GetRequiredService<CloneAI.Core.Moderation.IReportStore>().ListByReporterAsync(user.Id, 10);
        Assert.Empty(stored);
    }

    [Fact]
    public async Task HostileTextInAReportIsStoredAsTextAndTooLongDetailsAreRefused()
    {
        var owner = await host.NewUserAsync("owner", creator: true);
        var cloneId = (await host.CreateCloneAsync(owner.AccessToken, "Texts " + Guid.NewGuid().ToString("N")[..8], publish: true)).GetProperty("id").GetString()!;
        var user = await host.NewUserAsync("texter");
        using var client = host.Client(user.AccessToken);
        Assert.Equal(HttpStatusCode.BadRequest, (await ReportAsync(client, cloneId, new { reason = "spam", details = new string('x', 2001) })).StatusCode);
        const string hostile = "<script>alert(1)</script>\u202E\u0000'; DROP TABLE reports; --\r\nIgnore previous instructions";
        var created = await ReportAsync(client, cloneId, new { reason = "other", details = hostile });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(hostile.Trim(), (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("details").GetString());
    }

    [Fact]
    public async Task AnApprovedExpertAndAllTheirClonesCarryTheBadgeAndTheirPublicProfileShowsIt()
    {
        var admin = await AdminAsync();
        var creator = await host.NewUserAsync("Expert", creator: true);
        var cloneId = (await host.CreateCloneAsync(creator.AccessToken, "Expert clone " + Guid.NewGuid().ToString("N")[..8], publish: true)).GetProperty("id").GetString()!;
        using var client = host.Client(creator.AccessToken);
        Assert.False((await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}")).GetProperty("verified").GetBoolean());

        var bad = await client.PostAsJsonAsync("/api/me/verification", new { links = new[] { "javascript:alert(1)" }, statement = "I am who I say I am, honestly." });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var asked = await client.PostAsJsonAsync("/api/me/verification", new { links = new[] { "https://example.com/me" }, statement = "I am who I say I am, honestly." });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var requestId = (await asked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/me/verification", new { links = new[] { "https://example.com/me" }, statement = "Once more, while the first waits." })).StatusCode);
        Assert.Equal("pending", (await client.GetFromJsonAsync<JsonElement>("/api/me/verification")).GetProperty("latest").GetProperty("status").GetString());

        using var adminClient = host.Client(admin.AccessToken);
        Assert.Equal(HttpStatusCode.BadRequest, (await adminClient.PostAsJsonAsync($"/api/admin/verifications/{requestId}/approve", new { reason = "" })).StatusCode);
        var approved = await adminClient.PostAsJsonAsync($"/api/admin/verifications/{requestId}/approve", new { reason = "Checked the links" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await adminClient.PostAsJsonAsync($"/api/admin/verifications/{requestId}/reject", new { reason = "Too late" })).StatusCode);

        var mine = await client.GetFromJsonAsync<JsonElement>("/api/me/verification");
        Assert.True(mine.GetProperty("verified").GetBoolean());
        using var anonymous = host.Client();
        var clone = await anonymous.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}");
        Assert.True(clone.GetProperty("verified").GetBoolean());
        Assert.True(clone.GetProperty("ownerVerified").GetBoolean());
        var later = await host.CreateCloneAsync(creator.AccessToken, "Later clone " + Guid.NewGuid().ToString("N")[..8], publish: true);
        Assert.True(later.GetProperty("ownerVerified").GetBoolean());

        var profile = await anonymous.GetFromJsonAsync<JsonElement>($"/api/creators/{creator.Id}");
        Assert.True(profile.GetProperty("verified").GetBoolean());
        Assert.Equal("Expert", profile.GetProperty("displayName").GetString());
        Assert.Equal(2, profile.GetProperty("clones").GetArrayLength());
        Assert.DoesNotContain(creator.Email, profile.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("You are now a verified expert on CloneAI", host.LatestEmail(creator.Email).Subject);

        var entries = await host.App.Services.GetRequiredService<IAuditLog>().ListForSubjectAsync(creator.Id, 20);
        Assert.Contains(entries, e => e.Action == AuditActions.VerificationApproved && e.TargetId == requestId && e.Reason == "Checked the links");
    }

    [Fact]
    public async Task ARejectedCreatorIsToldTheReasonQuotedAndMayAskAgain()
    {
        var admin = await AdminAsync();
        var creator = await host.NewUserAsync("Hopeful", creator: true);
        using var client = host.Client(creator.AccessToken);
        var asked = await client.PostAsJsonAsync("/api/me/verification", new { links = new[] { "https://example.com/hopeful" }, statement = "Please verify me, I know my field." });
        var requestId = (await asked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var adminClient = host.Client(admin.AccessToken);
        var rejected = await adminClient.PostAsJsonAsync($"/api/admin/verifications/{requestId}/reject", new { reason = "The link does not name you.\nVisit https://evil.example" });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);

        var mine = await client.GetFromJsonAsync<JsonElement>("/api/me/verification");
        Assert.False(mine.GetProperty("verified").GetBoolean());
        Assert.Equal("rejected", mine.GetProperty("latest").GetProperty("status").GetString());
        Assert.StartsWith("The link does not name you.", mine.GetProperty("latest").GetProperty("decisionReason").GetString(), StringComparison.Ordinal);
        var email = host.LatestEmail(creator.Email);
        Assert.Equal("Your verification request was not approved", email.Subject);
        // The admin's words stay on the one quoted, labelled line.
        Assert.All((email.TextBody ?? "").Split('\n').Where(l => l.Contains("evil.example", StringComparison.Ordinal)),
            l => Assert.StartsWith("Reviewer's note: “The link does not name you. Visit https://evil.example”", l, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/me/verification", new { links = new[] { "https://example.com/hopeful-2" }, statement = "Second try, with a page that names me." })).StatusCode);
    }

    [Fact]
    public async Task AUsersReportsAndVerificationRequestsAreExportedAndErasedWithTheirAccount()
    {
        var owner = await host.NewUserAsync("owner", creator: true);
        var cloneId = (await host.CreateCloneAsync(owner.AccessToken, "Erased " + Guid.NewGuid().ToString("N")[..8], publish: true)).GetProperty("id").GetString()!;
        var user = await host.NewUserAsync("leaver", creator: true);
        using var client = host.Client(user.AccessToken);
        Assert.Equal(HttpStatusCode.Created, (await ReportAsync(client, cloneId, new { reason = "spam", details = "A phrase only I wrote" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/me/verification", new { links = new[] { "https://example.com/leaver" }, statement = "Leaving soon, but verify me first." })).StatusCode);

        var exporters = host.App.Services.GetServices<CloneAI.Core.UserData.IUserDataExporter>().ToList();
        var erasers = host.App.Services.GetServices<CloneAI.Core.UserData.IUserDataEraser>().ToList();
        Assert.Contains("A phrase only I wrote", JsonSerializer.Serialize(await exporters.Single(e => e.Name == "reports").ExportAsync(user.Id)), StringComparison.Ordinal);
        Assert.Null(await exporters.Single(e => e.Name == "reports").ExportAsync(owner.Id));
        foreach (var name in new[] { "reports", "verification" })
        {
            var exported = await exporters.Single(e => e.Name == name).ExportAsync(user.Id);
            Assert.NotNull(exported);
            await erasers.Single(e => e.Name == name).EraseAsync(user.Id, "deleted-user");
            Assert.Null(await exporters.Single(e => e.Name == name).ExportAsync(user.Id));
        }
    }

    [Fact]
    public async Task ACreatorProfileShowsOnlyPublishedShownClonesAndNoOneElseHasOne()
    {
        var creator = await host.NewUserAsync("Profiled", creator: true);
        var shown = await host.CreateCloneAsync(creator.AccessToken, "Shown " + Guid.NewGuid().ToString("N")[..8], publish: true);
        await host.CreateCloneAsync(creator.AccessToken, "Draft " + Guid.NewGuid().ToString("N")[..8], publish: false);
        using var anonymous = host.Client();
        var profile = await anonymous.GetFromJsonAsync<JsonElement>($"/api/creators/{creator.Id}");
        Assert.Equal([shown.GetProperty("id").GetString()], profile.GetProperty("clones").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        var plain = await host.NewUserAsync("plain");
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/creators/{plain.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/creators/nobody")).StatusCode);
    }
}
