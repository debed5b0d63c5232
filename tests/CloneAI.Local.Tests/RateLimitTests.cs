using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

/// <summary>Per-user limits on asking and uploading, at their defaults: 20 questions and 30 uploads a minute.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly ShiftedTime _time = new();
    private OwnHost _host = null!;
    private string _cloneId = "";
    private User _creator = null!;

    public async Task InitializeAsync()
    {
        _host = await OwnHost.StartAsync(new() { ["Chat:ExtractiveWordDelayMs"] = "0" }, services => services.AddSingleton<TimeProvider>(_time));
        _creator = await _host.UserAsync("creator", creator: true);
        _cloneId = (await _host.PublishedCloneAsync(_creator, "Limits", new PricingInput(PerMinute: 1, Currency: "USD"))).Id;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<HttpClient> ClientAsync(string id)
    {
        var user = await _host.UserAsync(id);
        await _host.FundAsync(user);
        return _host.Client(user);
    }

    [Fact]
    public async Task TheTwentyFirstQuestionInAMinuteIsRefusedWithRetryAfterAndOthersAreUnaffected()
    {
        using var http = await ClientAsync("asker");
        var session = (await (await http.PostAsync($"/api/clones/{_cloneId}/sessions", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/sessions/{session}/messages", new { content = "Question " + i, clientMessageId = "q" + i })).StatusCode);

        var refused = await http.PostAsJsonAsync($"/api/sessions/{session}/messages", new { content = "One too many", clientMessageId = "q20" });
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retryAfterSeconds").GetInt32() > 0);
        // A retry of an answered question is not a new question.
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/sessions/{session}/messages", new { content = "Question 3", clientMessageId = "q3" })).StatusCode);
        // Another user is not affected.
        using var other = await ClientAsync("other");
        var otherSession = (await (await other.PostAsync($"/api/clones/{_cloneId}/sessions", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsJsonAsync($"/api/sessions/{otherSession}/messages", new { content = "Hello", clientMessageId = "o1" })).StatusCode);

        // A minute later the window has moved on (the session is still active: its idle timeout is 15 minutes).
        _time.Offset += TimeSpan.FromSeconds(61);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/sessions/{session}/messages", new { content = "Later", clientMessageId = "q21" })).StatusCode);
        var stored = await _host.Services.GetRequiredService<CloneAI.Core.Chat.ISessionStore>().GetAsync(session!);
        Assert.Equal(21, stored!.MessageCount);
    }

    [Fact]
    public async Task TheThirtyFirstUploadInAMinuteIsRefused()
    {
        using var http = await ClientAsync(_creator.Id);
        for (var i = 0; i <= 30; i++)
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"Upload number {i} about limits.")), "files", $"u{i}.txt" } };
            var response = await http.PostAsync($"/api/clones/{_cloneId}/documents", form);
            Assert.Equal(i < 30 ? HttpStatusCode.Created : (HttpStatusCode)429, response.StatusCode);
        }
    }
}
