using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Functions.Api.Chat;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

/// <summary>The server's session clock: idle sessions and sessions at their maximum length end themselves.</summary>
public sealed class SessionClockTests : IAsyncLifetime
{
    private readonly ShiftedTime _time = new();
    private OwnHost _host = null!;
    private HttpClient _http = null!;
    private string _cloneId = "";

    public async Task InitializeAsync()
    {
        _host = await OwnHost.StartAsync(new()
        {
            ["Chat:IdleTimeoutMinutes"] = "5",
            ["Chat:MaxSessionMinutes"] = "12",
            ["Chat:ExtractiveWordDelayMs"] = "0",
        }, services => services.AddSingleton<TimeProvider>(_time));
        var creator = await _host.UserAsync("creator-1", creator: true);
        _cloneId = (await _host.PublishedCloneAsync(creator, "Clock", new PricingInput(PerMinute: 20, Currency: "USD"))).Id;
        var asker = await _host.UserAsync("asker-1");
        await _host.FundAsync(asker);
        _http = _host.Client(asker);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<string> StartAsync() =>
        (await (await _http.PostAsync($"/api/clones/{_cloneId}/sessions", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

    private Task<HttpResponseMessage> AskAsync(string sessionId) =>
        _http.PostAsJsonAsync($"/api/sessions/{sessionId}/messages", new { content = "Anything there?", clientMessageId = Guid.NewGuid().ToString("N") });

    [Fact]
    public async Task AnIdleSessionEndsAtItsLastActivityAndIsBilledUpToThere()
    {
        var id = await StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(id)).StatusCode); // the first question starts the clock
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
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(id)).StatusCode); // the first question starts the clock
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
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(id)).StatusCode); // the first question starts the clock: a minute is used
        _time.Offset += TimeSpan.FromMinutes(30);
        var timer = ActivatorUtilities.CreateInstance<SessionTimer>(_host.Services);
        await timer.EndExpiredSessions(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);
        var stored = await _host.Services.GetRequiredService<ISessionStore>().GetAsync(id);
        Assert.Equal(SessionStatus.Ended, stored!.Status);
        Assert.Equal(EndReasons.Idle, stored.EndReason);
        Assert.Single(await _host.Services.GetRequiredService<ISessionStore>().GetUsageAsync(id), u => u.Kind == UsageKinds.Minutes);
    }
}
