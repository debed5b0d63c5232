using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloneAI.Core.Memory;
using CloneAI.Core.Summaries;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

/// <summary>The profile's communication style over HTTP, and that it shapes the extractive answer's length (issue 14, part 4).</summary>
[Collection(LocalHostCollection.Name)]
public sealed partial class StyleApiTests(LocalHostFixture host)
{
    [Fact]
    public async Task TheProfileCarriesTheStyleAndABadOneIsRejectedPerPart()
    {
        var user = await host.NewUserAsync("style");
        using var client = host.Client(user.AccessToken);
        Assert.Equal(JsonValueKind.Null, (await client.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("style").ValueKind);

        var bad = await client.PatchAsJsonAsync("/api/me", new { style = new { length = "medium", tone = "rude" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("style.length", out _));
        Assert.True(errors.TryGetProperty("style.tone", out _));

        var good = await client.PatchAsJsonAsync("/api/me", new { style = new { length = "concise", tone = "formal" } });
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("concise", me.GetProperty("style").GetProperty("length").GetString());
        Assert.Equal("formal", me.GetProperty("style").GetProperty("tone").GetString());

        // A change of something else keeps it; an empty style clears it.
        await client.PatchAsJsonAsync("/api/me", new { bio = "Still concise." });
        Assert.Equal("concise", (await client.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("style").GetProperty("length").GetString());
        await client.PatchAsJsonAsync("/api/me", new { style = new { length = (string?)null, tone = (string?)null } });
        Assert.Equal(JsonValueKind.Null, (await client.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("style").ValueKind);
    }

    [Fact]
    public async Task AConciseUsersAnswerIsShorterThanADetailedUsersToTheSameQuestion()
    {
        var owner = await host.NewUserAsync("style-owner", creator: true);
        var clone = await host.CreateCloneAsync(owner.AccessToken, "Style tides " + Guid.NewGuid().ToString("N")[..6], publish: true);
        var cloneId = clone.GetProperty("id").GetString()!;
        const string text =
            "# Tides\n\nTides rise and fall because the Moon pulls on the oceans of the Earth. Tides rise highest at spring tides, when the Sun " +
            "and the Moon pull in a line. Tides fall least at neap tides, when the Sun and the Moon pull at right angles. Spring tides and neap " +
            "tides each come round twice a month with the Moon's phases. Tides rise and fall about twice a day on most coasts of the world. " +
            "Tides rise far higher in some narrow bays than they do on open coasts.\n";
        var doc = (await host.UploadAsync(owner.AccessToken, cloneId, ("tides.md", Encoding.UTF8.GetBytes(text))))[0];
        await host.WaitForDocumentAsync(owner.AccessToken, cloneId, doc.GetProperty("id").GetString()!);

        async Task<string> AnswerFor(string length)
        {
            var user = await host.NewUserAsync("style-" + length);
            await host.FundAsync(user.Id);
            using var client = host.Client(user.AccessToken);
            Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync("/api/me", new { style = new { length } })).StatusCode);
            var session = await (await client.PostAsync($"/api/clones/{cloneId}/sessions", null)).Content.ReadFromJsonAsync<JsonElement>();
            var answer = await client.PostAsJsonAsync($"/api/sessions/{session.GetProperty("id").GetString()}/messages",
                new { content = "Why do tides rise and fall, and what are spring tides and neap tides?", clientMessageId = "q1" });
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("content").GetString()!;
        }

        var concise = await AnswerFor("concise");
        var detailed = await AnswerFor("detailed");

        Assert.Equal(1, Mark().Count(concise));
        Assert.True(Mark().Count(detailed) >= 2, detailed);
        Assert.True(detailed.Length > concise.Length * 3 / 2, $"concise: {concise}\ndetailed: {detailed}");
    }

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex Mark();
}

/// <summary>
/// The checklist over HTTP on a host of its own, whose memory and summaries (its SQLite stores) the test fills: only its user
/// reads or ticks an item (another user and an admin get 404 for it), ticks survive reads, bad input is 400 per field.
/// </summary>
public sealed class ProgressApiTests : IAsyncLifetime
{
    private const string AdminEmail = "progress-admin@cloneai.test";
    private static readonly DateTimeOffset At = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private OwnHost _host = null!;

    public async Task InitializeAsync() => _host = await OwnHost.StartAsync(new() { ["Auth:AdminEmails:0"] = AdminEmail });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task OnlyTheUserReadsAndTicksTheirChecklist()
    {
        var alice = await _host.UserAsync("alice-progress");
        var bob = await _host.UserAsync("bob-progress");
        var admin = await _host.Services.GetRequiredService<CloneAI.Core.Users.IUserStore>().CreateAsync(new CloneAI.Core.Domain.User
        {
            Id = "admin-progress", Email = AdminEmail, DisplayName = "Admin", EmailVerified = true, CreatedAt = At, UpdatedAt = At,
        });
        await _host.Services.GetRequiredService<IMemoryStore>().UpsertAsync(new MemoryItem
        {
            Id = "m1", UserId = alice.Id, CloneId = "c1", Kind = MemoryKinds.Goal, Text = "Run a marathon in April", CreatedAt = At, UpdatedAt = At,
            Source = new MemorySource("s1", "q1"),
        });
        await _host.Services.GetRequiredService<ISessionSummaryStore>().TryAddAsync(new SessionSummary
        {
            SessionId = "s1", UserId = alice.Id, CloneId = "c1", Summary = "Training.", ActionItems = ["Buy running shoes."],
            Method = SummaryMethods.Extractive, SessionEndedAt = At.AddHours(1), CreatedAt = At.AddHours(1),
        });
        using var aliceClient = _host.Client(alice);
        using var bobClient = _host.Client(bob);
        using var adminClient = _host.Client(admin);

        var list = await aliceClient.GetFromJsonAsync<JsonElement>("/api/me/progress?cloneId=c1");
        Assert.Equal(["goal:m1", "action:s1:0"], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal("action-item", list.GetProperty("items")[1].GetProperty("origin").GetString());
        Assert.Equal((0, 2), (list.GetProperty("done").GetInt32(), list.GetProperty("open").GetInt32()));

        // Nobody else sees or ticks it, admins included.
        foreach (var other in new[] { bobClient, adminClient })
        {
            Assert.Equal(0, (await other.GetFromJsonAsync<JsonElement>("/api/me/progress?cloneId=c1")).GetProperty("items").GetArrayLength());
            var denied = await other.PutAsJsonAsync("/api/me/progress/goal:m1", new { cloneId = "c1", done = true });
            Assert.Equal(HttpStatusCode.NotFound, denied.StatusCode);
            Assert.Equal("application/problem+json", denied.Content.Headers.ContentType?.MediaType);
        }

        var ticked = await aliceClient.PutAsJsonAsync("/api/me/progress/goal:m1", new { cloneId = "c1", done = true });
        Assert.Equal(HttpStatusCode.OK, ticked.StatusCode);
        var item = await ticked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(item.GetProperty("done").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, item.GetProperty("doneAt").ValueKind);

        var after = await aliceClient.GetFromJsonAsync<JsonElement>("/api/me/progress?cloneId=c1");
        Assert.True(after.GetProperty("items")[0].GetProperty("done").GetBoolean());
        Assert.Equal((1, 1), (after.GetProperty("done").GetInt32(), after.GetProperty("open").GetInt32()));
        var open = await _host.Services.GetRequiredService<CloneAI.Core.Progress.IProgressReader>().OpenItemsAsync(alice.Id, "c1");
        Assert.Equal(["action:s1:0"], open.Select(i => i.Id));
    }

    [Fact]
    public async Task BadInputIsRejectedPerFieldAndAnUnknownItemIsNotFound()
    {
        var alice = await _host.UserAsync("alice-bad-input");
        using var client = _host.Client(alice);

        var noClone = await client.GetAsync("/api/me/progress");
        Assert.Equal(HttpStatusCode.BadRequest, noClone.StatusCode);
        Assert.True((await noClone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("cloneId", out _));

        var bad = await client.PutAsJsonAsync("/api/me/progress/goal:m1", new { });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("cloneId", out _));
        Assert.True(errors.TryGetProperty("done", out _));

        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync("/api/me/progress/goal:nothing", new { cloneId = "c1", done = true })).StatusCode);
    }
}
