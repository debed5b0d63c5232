using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Billing;
using CloneAI.Functions.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloneAI.Local.Tests;

public enum Role
{
    Anonymous,
    Other,
    Owner,
    Admin,
}

/// <summary>
/// Every HTTP route, called as anonymous, as another user, as the owner and as an admin. Each case gets fresh targets,
/// so one call never depends on another. A test checks that the matrix names every route the host maps.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class AuthorizationMatrixTests(LocalHostFixture host) : IAsyncLifetime
{
    private TestUser _owner = null!;
    private TestUser _other = null!;
    private TestUser _admin = null!;
    private TestUser _maker = null!;
    private LoopbackSite? _site;

    public sealed record RouteCase(string Method, string Route, int Anonymous, int Other, int Owner, int Admin)
    {
        public int Expected(Role role) => role switch { Role.Anonymous => Anonymous, Role.Other => Other, Role.Owner => Owner, _ => Admin };
        public override string ToString() => $"{Method} {Route}";
    }

    // Route templates as the functions declare them; {id} is a fresh clone of the owner (published unless the case says draft).
    public static readonly RouteCase[] Cases =
    [
        new("POST", "auth/signup", 202, 202, 202, 202),
        new("POST", "auth/verify", 400, 400, 400, 400),
        new("POST", "auth/verify/resend", 202, 202, 202, 202),
        new("POST", "auth/login", 401, 401, 401, 401),
        new("POST", "auth/refresh", 401, 401, 401, 401),
        new("POST", "auth/logout", 204, 204, 204, 204),
        new("POST", "auth/password/forgot", 202, 202, 202, 202),
        new("POST", "auth/password/reset", 400, 400, 400, 400),
        new("GET", "me", 401, 200, 200, 200),
        new("PATCH", "me", 401, 200, 200, 200),
        new("PUT", "me/avatar", 401, 200, 200, 200),
        new("GET", "me/avatar", 401, 200, 200, 200),
        new("POST", "me/creator", 401, 200, 200, 200),
        new("GET", "me/clones", 401, 200, 200, 200),
        // Each signed-in role signs out everywhere as a fresh user of that role (it ends the caller's own sign-ins).
        new("POST", "me/sign-out-everywhere", 401, 204, 204, 204),
        // Progress: a user's checklist is theirs alone, admins included: each caller reads their own, and an item id is looked
        // up in the caller's own checklist only. {itemId}: a goal the owner just added to their memory (shared by their clones):
        // the owner ticks it (200); another user and an admin do not find it (404).
        new("GET", "me/progress", 401, 200, 200, 200),
        new("PUT", "me/progress/{itemId}", 401, 404, 200, 404),
        // {invoiceId}: the owner's statement of a past month in which only their wallet moved (a top-up posted then through the
        // host's ledger); statement ids are months, so the other callers have no statement of that month: 404, never the owner's.
        new("GET", "me/invoices", 401, 200, 200, 200),
        new("GET", "me/invoices/{invoiceId}", 401, 404, 200, 404),
        new("GET", "me/invoices/{invoiceId}/html", 401, 404, 200, 404),
        new("GET", "me/invoices/{invoiceId}/pdf", 401, 404, 200, 404),
        new("GET", "users/{userId}/avatar", 200, 200, 200, 200),
        new("GET", "categories", 200, 200, 200, 200),
        new("GET", "clones", 200, 200, 200, 200),
        new("POST", "clones", 401, 403, 201, 201),
        new("GET", "clones/{id}", 200, 200, 200, 200),
        new("GET", "clones/{id}#draft", 404, 404, 200, 200),
        new("PATCH", "clones/{id}", 401, 403, 200, 200),
        new("PATCH", "clones/{id}#draft", 401, 404, 200, 200),
        new("DELETE", "clones/{id}", 401, 403, 204, 204),
        new("POST", "clones/{id}/publish#draft", 401, 404, 200, 200),
        new("POST", "clones/{id}/unpublish", 401, 403, 200, 200),
        new("PUT", "clones/{id}/avatar", 401, 403, 200, 200),
        new("GET", "clones/{id}/avatar", 200, 200, 200, 200),
        new("POST", "clones/{id}/documents", 401, 403, 201, 201),
        new("POST", "clones/{id}/documents/import-url", 401, 403, 201, 201),
        new("POST", "clones/{id}/documents/upload-url", 401, 403, 404, 404),
        new("GET", "clones/{id}/documents", 401, 403, 200, 200),
        new("GET", "clones/{id}/documents/{docId}", 401, 403, 200, 200),
        new("PATCH", "clones/{id}/documents/{docId}", 401, 403, 200, 200),
        new("DELETE", "clones/{id}/documents/{docId}", 401, 403, 204, 204),
        new("POST", "clones/{id}/documents/{docId}/reindex", 401, 403, 202, 202),
        new("POST", "clones/{id}/documents/bulk", 401, 403, 200, 200),
        new("GET", "clones/{id}/documents/{docId}/text", 401, 403, 200, 200),
        new("GET", "clones/{id}/knowledge/stats", 401, 403, 200, 200),
        new("GET", "clones/{id}/knowledge/search", 401, 403, 200, 200),
        new("POST", "clones/{id}/sessions", 401, 201, 201, 201),
        new("POST", "clones/{id}/sessions#draft", 401, 404, 201, 201),
        new("GET", "clones/{id}/sessions/stats", 401, 403, 200, 200),
        new("GET", "clones/{id}/dashboard", 401, 403, 200, 200),
        new("GET", "clones/{id}/dashboard#draft", 401, 404, 200, 200),
        new("GET", "me/dashboard", 401, 200, 200, 200),
        // Recommendations: the caller's own, from their own usage and summaries; a draft is the owner's (or an admin's) only.
        new("GET", "me/recommendations", 401, 200, 200, 200),
        new("GET", "me/clones/{id}/next-questions", 401, 200, 200, 200),
        new("GET", "me/clones/{id}/next-questions#draft", 401, 404, 200, 200),
        // {sessionId}: a fresh session of the owner (as a user) with another creator's published clone; #preview: with a
        // published clone of their own (a preview: answered, but not rateable).
        new("GET", "sessions", 401, 200, 200, 200),
        // A session is its user's alone here, admins included: an admin reads a conversation only through
        // admin/sessions/{sessionId}, with a reason that goes to the audit log.
        new("GET", "sessions/{sessionId}", 401, 404, 200, 404),
        new("POST", "sessions/{sessionId}/messages", 401, 404, 200, 404),
        new("POST", "sessions/{sessionId}/end", 401, 404, 200, 404),
        new("POST", "sessions/{sessionId}/rating", 401, 404, 200, 404),
        new("POST", "sessions/{sessionId}/rating#preview", 401, 404, 409, 404),
        new("GET", "sessions/{sessionId}/export", 401, 404, 200, 404),
        new("GET", "sessions/{sessionId}/sources/{documentId}/text", 401, 404, 200, 404),
        // A session's summary and deleting it are its user's alone, admins included ({sessionId}: asked, ended, summary written).
        new("GET", "sessions/{sessionId}/summary", 401, 404, 200, 404),
        new("DELETE", "sessions/{sessionId}", 401, 404, 204, 404),
        new("GET", "realtime/negotiate", 401, 200, 200, 200),
        new("GET", "realtime/negotiate#session", 401, 404, 200, 404),
        // {topUpId}: a fresh top-up of the owner's; a user's wallet and top-ups are theirs alone (admins included).
        new("GET", "wallet", 401, 200, 200, 200),
        new("GET", "wallet/transactions", 401, 200, 200, 200),
        new("POST", "wallet/top-ups", 401, 201, 201, 201),
        new("GET", "wallet/top-ups/{topUpId}", 401, 404, 200, 404),
        new("POST", "wallet/top-ups/{topUpId}/test-pay", 401, 404, 200, 404),
        // Earnings and payouts. The owner is a creator without earnings (a payout request is over what is available: 400);
        // the other user is not a creator. {payoutId}: a fresh payout the owner requested from earnings made for the case.
        new("GET", "me/earnings", 401, 200, 200, 200),
        new("GET", "me/earnings/transactions", 401, 200, 200, 200),
        new("GET", "me/payouts", 401, 200, 200, 200),
        new("POST", "me/payouts", 401, 403, 400, 400),
        new("GET", "me/payout-account", 401, 200, 200, 200),
        new("PUT", "me/payout-account", 401, 403, 200, 200),
        new("GET", "admin/payouts", 401, 403, 403, 200),
        new("POST", "admin/payouts/{payoutId}/approve", 401, 403, 403, 200),
        new("POST", "admin/payouts/{payoutId}/reject", 401, 403, 403, 200),
        // Anonymous by design: Lago's signature is the authentication (LagoWebhookTests: 401 without a good one). This host runs
        // Billing:Provider=test, where the route does not exist.
        new("POST", "billing/lago/webhook", 404, 404, 404, 404),
        // Admins' money tools; {sessionId} is the owner's session, ended (a running one is not refunded).
        new("POST", "admin/sessions/{sessionId}/refund", 401, 403, 403, 200),
        new("GET", "admin/ledger/check", 401, 403, 403, 200),
        // The admin console (issue 15). {userId} in admin/users: a fresh account (disabling one never touches the matrix's
        // callers); {id}: the owner's fresh published clone; {sessionId}: the owner's session, read with a reason. Every action
        // carries a reason. The access log is each caller's own.
        new("GET", "admin/users", 401, 403, 403, 200),
        new("POST", "admin/users/{userId}/disable", 401, 403, 403, 200),
        new("POST", "admin/users/{userId}/enable", 401, 403, 403, 200),
        new("PUT", "admin/users/{userId}/roles", 401, 403, 403, 200),
        new("GET", "admin/clones", 401, 403, 403, 200),
        new("POST", "admin/clones/{id}/unpublish", 401, 403, 403, 200),
        new("POST", "admin/clones/{id}/feature", 401, 403, 403, 200),
        new("POST", "admin/clones/{id}/unfeature", 401, 403, 403, 200),
        new("POST", "admin/clones/{id}/verify", 401, 403, 403, 200),
        new("POST", "admin/clones/{id}/unverify", 401, 403, 403, 200),
        new("GET", "admin/audit", 401, 403, 403, 200),
        new("GET", "admin/sessions/{sessionId}", 401, 403, 403, 200),
        new("GET", "me/access-log", 401, 200, 200, 200),
        // Maintenance after an upgrade (the audience recount): admins only, with a reason; idempotent, so running it in the matrix is harmless.
        new("POST", "admin/maintenance/recount-audience", 401, 403, 403, 200),
        // Memory: each caller's own items and per-clone settings. {memoryId} is a fresh item of the owner's: no one else finds it,
        // admins included. {id} in clone-settings is the owner's published clone, whose settings each caller has for themselves.
        new("GET", "me/memories", 401, 200, 200, 200),
        new("POST", "me/memories", 401, 201, 201, 201),
        new("PATCH", "me/memories/{memoryId}", 401, 404, 200, 404),
        new("DELETE", "me/memories/{memoryId}", 401, 404, 204, 404),
        new("GET", "me/clone-settings/{id}", 401, 200, 200, 200),
        new("PUT", "me/clone-settings/{id}", 401, 200, 200, 200),
        // Moderation (issue 15 parts 3 and 4). Any signed-in user but the owner reports a clone; the queue and decisions are
        // admins'. {reportId}: a fresh report of the owner's published clone by the other user. {verificationId}: a fresh pending
        // request of a new creator. me/verification is the caller's own (posting needs a creator: the other user is not one).
        // {creatorId}: the owner, a creator with a published clone: public.
        new("POST", "clones/{id}/reports", 401, 201, 403, 201),
        new("GET", "admin/reports", 401, 403, 403, 200),
        new("POST", "admin/reports/{reportId}/resolve", 401, 403, 403, 200),
        new("GET", "me/verification", 401, 200, 200, 200),
        new("POST", "me/verification", 401, 403, 201, 201),
        new("GET", "admin/verifications", 401, 403, 403, 200),
        new("POST", "admin/verifications/{verificationId}/approve", 401, 403, 403, 200),
        new("POST", "admin/verifications/{verificationId}/reject", 401, 403, 403, 200),
        new("GET", "creators/{creatorId}", 200, 200, 200, 200),
        // Your data. An export is each caller's own. {exportId}: the owner's export, built; without a token only its owner
        // downloads it (signed in), with the emailed link's token (#token) anyone holding the link does, unless signed in as
        // someone else. DELETE me with a wrong password is a field error (never a deletion here; Privacy/YourDataTests deletes).
        new("POST", "me/export", 401, 202, 202, 202),
        new("GET", "me/exports", 401, 200, 200, 200),
        new("GET", "me/exports/{exportId}/download", 401, 404, 200, 404),
        new("GET", "me/exports/{exportId}/download#token", 200, 404, 200, 404),
        new("DELETE", "me", 401, 400, 400, 400),
        new("GET", "terms", 200, 200, 200, 200),
        new("GET", "health", 200, 200, 200, 200),
        new("GET", "config", 200, 200, 200, 200),
        new("GET", "openapi.json", 200, 200, 200, 200),
    ];

    public static TheoryData<string, Role> Matrix()
    {
        var data = new TheoryData<string, Role>();
        foreach (var c in Cases)
            foreach (var role in Enum.GetValues<Role>())
                data.Add(c.ToString(), role);
        return data;
    }

    public async Task InitializeAsync()
    {
        _site = await LoopbackSite.StartAsync("<html><body><main><p>Imported by the authorization matrix.</p></main></body></html>");
        _owner = await host.NewUserAsync("owner", creator: true);
        _other = await host.NewUserAsync("other");
        _maker = await host.NewUserAsync("maker", creator: true);
        var adminEmail = LocalHostFixture.AdminEmail;
        try { await host.SignUpVerifiedAsync(adminEmail, "Admin"); }
        catch (Xunit.Sdk.EqualException) { } // another test class already created the admin
        var tokens = await host.LoginAsync(adminEmail);
        _admin = new TestUser("", adminEmail, tokens.AccessToken, tokens.RefreshToken);
        // Sessions with paid clones start only with money in the wallet.
        await host.FundAsync(_owner.Id);
        await host.FundAsync(_other.Id);
        using var admin = host.Client(_admin.AccessToken);
        await Funding.FundSignedInAsync(host.App.Services, admin);
    }

    public async Task DisposeAsync()
    {
        if (_site is not null) await _site.DisposeAsync();
    }

    [Fact]
    public void TheMatrixCoversEveryMappedRoute()
    {
        var mapped = RouteCatalog.Discover().SelectMany(f => f.Methods.Select(m => $"{m} {f.Route}")).ToHashSet();
        var covered = Cases.Select(c => $"{c.Method} {c.Route.Split('#')[0]}").ToHashSet();
        Assert.Empty(mapped.Except(covered));
        Assert.Empty(covered.Except(mapped));
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task EveryRouteAnswersEachRoleAsDesigned(string name, Role role)
    {
        var c = Cases.Single(x => x.ToString() == name);
        var response = await SendAsync(c, role);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(c.Expected(role) == (int)response.StatusCode, $"{c} as {role}: expected {c.Expected(role)}, got {(int)response.StatusCode} {body}");
        if ((int)response.StatusCode >= 400) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpResponseMessage> SendAsync(RouteCase c, Role role)
    {
        var caller = role switch { Role.Owner => _owner, Role.Other => _other, Role.Admin => _admin, _ => null };
        var draft = c.Route.EndsWith("#draft", StringComparison.Ordinal);
        var preview = c.Route.EndsWith("#preview", StringComparison.Ordinal);
        var path = c.Route.Split('#')[0];
        if (path.Contains("{id}", StringComparison.Ordinal))
        {
            var clone = await host.CreateCloneAsync(_owner.AccessToken, "Matrix " + Guid.NewGuid().ToString("N")[..8], publish: !draft);
            var id = clone.GetProperty("id").GetString()!;
            if (path.EndsWith("/avatar", StringComparison.Ordinal) && c.Method == "GET")
                await PutImageAsync(host.Client(_owner.AccessToken), $"/api/clones/{id}/avatar");
            path = path.Replace("{id}", id, StringComparison.Ordinal);
            if (path.Contains("{docId}", StringComparison.Ordinal))
            {
                var doc = (await host.UploadAsync(_owner.AccessToken, id, ("matrix.txt", System.Text.Encoding.UTF8.GetBytes("Matrix document " + Guid.NewGuid()))))[0];
                var docId = doc.GetProperty("id").GetString()!;
                // Ingestion writes the document as it goes: a change made meanwhile may meet 409 (changed by another
                // request). The matrix is about who may call, so the document has finished ingesting first.
                await host.WaitForDocumentAsync(_owner.AccessToken, id, docId);
                path = path.Replace("{docId}", docId, StringComparison.Ordinal);
            }
        }
        string? sessionId = null;
        if (path.Contains("{sessionId}", StringComparison.Ordinal) || c.Route.EndsWith("#session", StringComparison.Ordinal))
        {
            // The owner's session with someone else's clone; with their own, it is a preview.
            var maker = preview ? _owner : _maker;
            var clone = await host.CreateCloneAsync(maker.AccessToken, "Matrix chat " + Guid.NewGuid().ToString("N")[..8], publish: true);
            using var owner = host.Client(_owner.AccessToken);
            var started = await owner.PostAsync($"/api/clones/{clone.GetProperty("id").GetString()}/sessions", null);
            sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var summary = path.EndsWith("/summary", StringComparison.Ordinal);
            if (path.EndsWith("/rating", StringComparison.Ordinal) || path.Contains("{documentId}", StringComparison.Ordinal) || summary)
            {
                var cloneId = clone.GetProperty("id").GetString()!;
                var doc = (await host.UploadAsync(maker.AccessToken, cloneId, ("matrix-chat.txt", System.Text.Encoding.UTF8.GetBytes("Matrix chats cover session routes and their roles. " + Guid.NewGuid()))))[0];
                var docId = doc.GetProperty("id").GetString()!;
                await host.WaitForDocumentAsync(maker.AccessToken, cloneId, docId);
                (await owner.PostAsJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "What do matrix chats cover?", clientMessageId = "m1" })).EnsureSuccessStatusCode();
                path = path.Replace("{documentId}", docId, StringComparison.Ordinal);
            }
            if (path.EndsWith("/refund", StringComparison.Ordinal) || summary)
                (await owner.PostAsync($"/api/sessions/{sessionId}/end", null)).EnsureSuccessStatusCode();
            if (summary)
            {
                for (var i = 0; i < 300 && (await owner.GetAsync($"/api/sessions/{sessionId}/summary")).StatusCode == HttpStatusCode.Accepted; i++)
                    await Task.Delay(100);
            }
            path = path.Replace("{sessionId}", sessionId, StringComparison.Ordinal);
        }
        if (path.Contains("{payoutId}", StringComparison.Ordinal))
        {
            var clone = await host.CreateCloneAsync(_owner.AccessToken, "Matrix earner " + Guid.NewGuid().ToString("N")[..8], publish: true);
            await Billing.PayoutTests.ChargeAsync(host.App.Services, _owner.Id, clone.GetProperty("id").GetString()!, 2_000);
            using var owner = host.Client(_owner.AccessToken);
            var requested = await owner.PostAsJsonAsync("/api/me/payouts", new { amount = 1_000 });
            Assert.Equal(HttpStatusCode.Created, requested.StatusCode);
            path = path.Replace("{payoutId}", (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, StringComparison.Ordinal);
        }
        if (path.StartsWith("admin/users/{userId}", StringComparison.Ordinal))
        {
            var target = await host.NewUserAsync("matrix-target");
            path = path.Replace("{userId}", target.Id, StringComparison.Ordinal);
        }
        if (path.Contains("{reportId}", StringComparison.Ordinal))
        {
            var clone = await host.CreateCloneAsync(_owner.AccessToken, "Matrix reported " + Guid.NewGuid().ToString("N")[..8], publish: true);
            using var other = host.Client(_other.AccessToken);
            var reported = await other.PostAsJsonAsync($"/api/clones/{clone.GetProperty("id").GetString()}/reports", new { reason = "spam", details = "Reported by the matrix" });
            Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
            path = path.Replace("{reportId}", (await reported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, StringComparison.Ordinal);
        }
        if (path.Contains("{verificationId}", StringComparison.Ordinal))
        {
            var creator = await host.NewUserAsync("matrix-expert", creator: true);
            using var expert = host.Client(creator.AccessToken);
            var asked = await expert.PostAsJsonAsync("/api/me/verification", new { links = new[] { "https://example.com/matrix-expert" }, statement = "I am the matrix expert, and these links show it." });
            Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
            path = path.Replace("{verificationId}", (await asked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, StringComparison.Ordinal);
        }
        if (path.Contains("{creatorId}", StringComparison.Ordinal))
        {
            await host.CreateCloneAsync(_owner.AccessToken, "Matrix profile " + Guid.NewGuid().ToString("N")[..8], publish: true);
            path = path.Replace("{creatorId}", _owner.Id, StringComparison.Ordinal);
        }
        if (path.Contains("{userId}", StringComparison.Ordinal))
        {
            await PutImageAsync(host.Client(_owner.AccessToken), "/api/me/avatar");
            path = path.Replace("{userId}", _owner.Id, StringComparison.Ordinal);
        }
        if (path.Contains("{topUpId}", StringComparison.Ordinal))
        {
            using var owner = host.Client(_owner.AccessToken);
            var created = await owner.PostAsJsonAsync("/api/wallet/top-ups", new { amount = 1000, idempotencyKey = Guid.NewGuid().ToString("N") });
            path = path.Replace("{topUpId}", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, StringComparison.Ordinal);
        }
        if (path.Contains("{invoiceId}", StringComparison.Ordinal))
        {
            // Other callers' wallets move this month (their paid sessions are funded), so the owner's statement is of a month
            // long past, in which only the owner's wallet moved.
            var month = new DateTimeOffset(2020, 1, 15, 12, 0, 0, TimeSpan.Zero);
            var billing = host.App.Services.GetRequiredService<IOptions<BillingOptions>>().Value;
            await host.App.Services.GetRequiredService<ILedger>().PostAsync(LedgerPostings.TopUp(Guid.NewGuid().ToString("N"), _owner.Id, 1000, billing.Currency, month));
            path = path.Replace("{invoiceId}", month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        if (path.Contains("{itemId}", StringComparison.Ordinal))
        {
            // A real item of the owner's checklist: a goal in their memory shared by all their clones (so on "matrix-clone"'s list).
            using var owner = host.Client(_owner.AccessToken);
            var goal = await owner.PostAsJsonAsync("/api/me/memories", new { kind = "goal", text = "Matrix checklist goal " + Guid.NewGuid().ToString("N")[..8] });
            Assert.Equal(HttpStatusCode.Created, goal.StatusCode);
            path = path.Replace("{itemId}", "goal:" + (await goal.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString(), StringComparison.Ordinal);
        }
        if (path.Contains("{memoryId}", StringComparison.Ordinal))
        {
            using var owner = host.Client(_owner.AccessToken);
            var added = await owner.PostAsJsonAsync("/api/me/memories", new { kind = "goal", text = "Matrix goal " + Guid.NewGuid().ToString("N")[..8] });
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
            path = path.Replace("{memoryId}", (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, StringComparison.Ordinal);
        }
        string? exportToken = null;
        if (path.Contains("{exportId}", StringComparison.Ordinal))
        {
            using var owner = host.Client(_owner.AccessToken);
            var asked = await owner.PostAsync("/api/me/export", null);
            var exportId = (await asked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            await Privacy.YourDataTests.WaitAsync(async () => (await owner.GetFromJsonAsync<JsonElement>("/api/me/exports")).GetProperty("items")
                .EnumerateArray().Any(e => e.GetProperty("id").GetString() == exportId && e.GetProperty("status").GetString() == "ready"), "the export was not built");
            exportToken = await Privacy.YourDataTests.WaitForLinkAsync(host.DataDir, _owner.Email, exportId);
            path = path.Replace("{exportId}", exportId, StringComparison.Ordinal);
        }
        if (path == "me/sign-out-everywhere" && caller is not null)
        {
            caller = await host.NewUserAsync("matrix-leaver");
            if (role == Role.Admin)
            {
                var users = host.App.Services.GetRequiredService<CloneAI.Core.Users.IUserStore>();
                await users.ReplaceAsync((await users.GetAsync(caller.Id))! with { IsAdmin = true });
            }
        }
        if (path == "me/avatar" && c.Method == "GET" && caller is not null)
            await PutImageAsync(host.Client(caller.AccessToken), "/api/me/avatar");

        using var client = host.Client(caller?.AccessToken);
        var query = path.EndsWith("knowledge/search", StringComparison.Ordinal) ? "?q=matrix"
            : path == "me/progress" ? "?cloneId=matrix-clone"
            : c.Route.EndsWith("#session", StringComparison.Ordinal) ? "?sessionId=" + sessionId
            : path.StartsWith("admin/sessions/", StringComparison.Ordinal) && c.Method == "GET" ? "?reason=" + Uri.EscapeDataString("Matrix: checking a reported answer")
            : c.Route.EndsWith("#token", StringComparison.Ordinal) ? "?token=" + exportToken : "";
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), "/api/" + path + query) { Content = Body(c, path) };
        return await client.SendAsync(request);
    }

    private static MultipartFormDataContent Files()
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes("A fresh matrix upload " + Guid.NewGuid())), "files", "upload.txt");
        return form;
    }

    private HttpContent? Body(RouteCase c, string path) => (c.Method, path) switch
    {
        ("POST", "auth/signup") => JsonContent.Create(new { email = $"m-{Guid.NewGuid():N}@cloneai.test", password = "long enough password", displayName = "Matrix", acceptTerms = true }),
        ("POST", "auth/verify") => JsonContent.Create(new { token = "not-a-real-token" }),
        ("POST", "auth/verify/resend") => JsonContent.Create(new { email = "nobody@cloneai.test" }),
        ("POST", "auth/login") => JsonContent.Create(new { email = $"nobody-{Guid.NewGuid():N}@cloneai.test", password = "wrong password!" }),
        ("POST", "auth/refresh") or ("POST", "auth/logout") => JsonContent.Create(new { refreshToken = "not-a-real-token" }),
        ("POST", "auth/password/forgot") => JsonContent.Create(new { email = "nobody@cloneai.test" }),
        ("POST", "auth/password/reset") => JsonContent.Create(new { token = "not-a-real-token", password = "long enough password" }),
        ("PATCH", "me") => JsonContent.Create(new { bio = "Updated by the matrix" }),
        ("DELETE", "me") => JsonContent.Create(new { password = "not the password" }),
        ("PUT", _) when path.StartsWith("me/progress/", StringComparison.Ordinal) => JsonContent.Create(new { cloneId = "matrix-clone", done = true }),
        ("POST", "wallet/top-ups") => JsonContent.Create(new { amount = 1000, idempotencyKey = Guid.NewGuid().ToString("N") }),
        ("POST", _) when path.EndsWith("/test-pay", StringComparison.Ordinal) => JsonContent.Create(new { cardNumber = "4242 4242 4242 4242" }),
        ("POST", _) when path.EndsWith("/messages", StringComparison.Ordinal) => JsonContent.Create(new { content = "What do you know?", clientMessageId = Guid.NewGuid().ToString("N") }),
        ("POST", _) when path.EndsWith("/rating", StringComparison.Ordinal) => JsonContent.Create(new { stars = 5, comment = "Rated by the matrix" }),
        ("POST", _) when path.EndsWith("/documents", StringComparison.Ordinal) => Files(),
        ("POST", _) when path.EndsWith("/import-url", StringComparison.Ordinal) => JsonContent.Create(new { url = _site!.Url + "page-" + Guid.NewGuid().ToString("N") }),
        ("POST", _) when path.EndsWith("/upload-url", StringComparison.Ordinal) => JsonContent.Create(new { fileName = "big.pdf", size = 1000 }),
        ("POST", _) when path.EndsWith("/bulk", StringComparison.Ordinal) => JsonContent.Create(new { action = "tag", documentIds = new[] { "none" }, tags = new[] { "x" } }),
        ("PATCH", _) when path.Contains("/documents/", StringComparison.Ordinal) => JsonContent.Create(new { title = "Renamed by the matrix" }),
        ("PUT", "me/payout-account") => JsonContent.Create(new { stripeAccountId = "acct_1Matrix" }),
        ("POST", "me/payouts") => JsonContent.Create(new { amount = 1_000_000 }),
        ("PUT", _) when path.StartsWith("admin/users/", StringComparison.Ordinal) => JsonContent.Create(new { admin = false, creator = true, reason = "Matrix: creator role" }),
        ("POST", _) when path.StartsWith("admin/users/", StringComparison.Ordinal) || path.StartsWith("admin/clones/", StringComparison.Ordinal)
            || path.StartsWith("admin/maintenance/", StringComparison.Ordinal) =>
            JsonContent.Create(new { reason = "Matrix: an admin action" }),
        ("POST", _) when path.EndsWith("/reports", StringComparison.Ordinal) => JsonContent.Create(new { reason = "misleading", details = "Reported by the matrix" }),
        ("POST", _) when path.EndsWith("/resolve", StringComparison.Ordinal) => JsonContent.Create(new { action = "dismiss", reason = "Dismissed by the matrix" }),
        ("POST", "me/verification") => JsonContent.Create(new { links = new[] { "https://example.com/matrix" }, statement = "Verification asked by the matrix, with evidence." }),
        ("POST", _) when path.StartsWith("admin/verifications/", StringComparison.Ordinal) => JsonContent.Create(new { reason = "Decided by the matrix" }),
        ("POST", _) when path.EndsWith("/approve", StringComparison.Ordinal) => JsonContent.Create(new { reference = "MATRIX-1" }),
        ("POST", _) when path.EndsWith("/reject", StringComparison.Ordinal) => JsonContent.Create(new { reason = "Rejected by the matrix" }),
        ("POST", "me/memories") => JsonContent.Create(new { kind = "preference", text = "I prefer examples (the matrix)" }),
        ("PATCH", _) when path.StartsWith("me/memories/", StringComparison.Ordinal) => JsonContent.Create(new { text = "Changed by the matrix" }),
        ("PUT", _) when path.StartsWith("me/clone-settings/", StringComparison.Ordinal) => JsonContent.Create(new { memoryEnabled = true, style = new { length = "concise", tone = (string?)null } }),
        ("PUT", _) => Image(),
        ("POST", "clones") => JsonContent.Create(LocalHostFixture.PublishableClone("Matrix new " + Guid.NewGuid().ToString("N")[..8])),
        ("PATCH", _) => JsonContent.Create(new { tagline = "Changed by the matrix" }),
        _ => null,
    };

    private static ByteArrayContent Image()
    {
        var content = new ByteArrayContent(TestImages.Png());
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return content;
    }

    private static async Task PutImageAsync(HttpClient client, string path)
    {
        using (client)
        {
            var response = await client.PutAsync(path, Image());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
