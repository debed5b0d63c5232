using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Accounts;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Ports;
using CloneAI.Functions.Api.Chat;
using CloneAI.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

/// <summary>The server's session clock: idle sessions and sessions at their maximum length end themselves.</summary>
public sealed class SessionClockTests : IAsyncLifetime
{
    /// <summary>The real clock plus an offset the test moves forward (access tokens are still checked against the real clock).</summary>
    private sealed class ShiftedTime : TimeProvider
    {
        public TimeSpan Offset { get; set; }
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    private readonly ShiftedTime _time = new();
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cloneai-clock-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private string _cloneId = "";

    public async Task InitializeAsync()
    {
        var url = $"http://127.0.0.1:{LocalHostFixture.FreePort()}";
        _app = LocalHost.Build(["--data", _data, "--urls", url],
            b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                ["Chat:IdleTimeoutMinutes"] = "5",
                ["Chat:MaxSessionMinutes"] = "12",
                ["Chat:ExtractiveWordDelayMs"] = "0",
            }),
            services => services.AddSingleton<TimeProvider>(_time));
        await _app.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var users = _app.Services.GetRequiredService<IUserStore>();
        var creator = await users.CreateAsync(new User { Id = "creator-1", Email = "c@cloneai.test", DisplayName = "C", IsCreator = true, EmailVerified = true, CreatedAt = now, UpdatedAt = now });
        var asker = await users.CreateAsync(new User { Id = "asker-1", Email = "a@cloneai.test", DisplayName = "A", EmailVerified = true, CreatedAt = now, UpdatedAt = now });
        var clones = _app.Services.GetRequiredService<CloneService>();
        var caller = new Caller(creator.Id, creator.Email, creator.DisplayName, false, true);
        var clone = await clones.CreateAsync(caller, new CloneInput(Name: "Clock", Category: "science", Description: "d",
            Persona: new PersonaInput(Greeting: "Hi", Instructions: "Answer."), Pricing: new PricingInput(PerMinute: 20, Currency: "USD")));
        _cloneId = (await clones.PublishAsync(caller, clone.Id)).Id;
        _http = new HttpClient { BaseAddress = new Uri(url) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _app.Services.GetRequiredService<IAccessTokenIssuer>().Issue(asker).Token);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }

    private async Task<string> StartAsync() =>
        (await (await _http.PostAsync($"/api/clones/{_cloneId}/sessions", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

    private Task<HttpResponseMessage> AskAsync(string sessionId) =>
        _http.PostAsJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "Anything there?", clientMessageId = Guid.NewGuid().ToString("N") });

    [Fact]
    public async Task AnIdleSessionEndsAtItsLastActivityAndIsBilledUpToThere()
    {
        var id = await StartAsync();
        _time.Offset += TimeSpan.FromSeconds(90);
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(id)).StatusCode); // activity at 1.5 min
        _time.Offset += TimeSpan.FromMinutes(6); // idle past the 5-minute timeout

        var session = (await _http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}")).GetProperty("session");
        Assert.Equal("ended", session.GetProperty("status").GetString());
        Assert.Equal("idle", session.GetProperty("endReason").GetString());
        Assert.Equal(session.GetProperty("lastActivityAt").GetDateTimeOffset(), session.GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal(40, session.GetProperty("cost").GetProperty("amount").GetInt64()); // two started minutes at 20
        Assert.Equal(HttpStatusCode.Conflict, (await AskAsync(id)).StatusCode);
    }

    [Fact]
    public async Task ASessionEndsAtItsMaximumLengthEvenWhileActive()
    {
        var id = await StartAsync();
        for (var minute = 0; minute < 3; minute++)
        {
            _time.Offset += TimeSpan.FromMinutes(3); // active every 3 minutes: never idle
            Assert.Equal(HttpStatusCode.OK, (await AskAsync(id)).StatusCode);
        }
        _time.Offset += TimeSpan.FromMinutes(4); // 13 minutes in, past the 12-minute maximum
        var late = await AskAsync(id);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        var session = (await _http.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}")).GetProperty("session");
        Assert.Equal("max-length", session.GetProperty("endReason").GetString());
        Assert.Equal(12 * 20, session.GetProperty("cost").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task TheTimerFunctionEndsExpiredSessionsNobodyLooksAt()
    {
        var id = await StartAsync();
        _time.Offset += TimeSpan.FromMinutes(30);
        var timer = ActivatorUtilities.CreateInstance<SessionTimer>(_app.Services);
        await timer.EndExpiredSessions(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);
        var stored = await _app.Services.GetRequiredService<ISessionStore>().GetAsync(id);
        Assert.Equal(SessionStatus.Ended, stored!.Status);
        Assert.Equal(EndReasons.Idle, stored.EndReason);
        Assert.Single(await _app.Services.GetRequiredService<ISessionStore>().GetUsageAsync(id), u => u.Kind == UsageKinds.Minutes);
    }
}
