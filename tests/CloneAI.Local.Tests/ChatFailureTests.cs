using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CloneAI.Core.Accounts;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Ports;
using CloneAI.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

/// <summary>A model that fails mid-answer: the stream ends with an error frame, nothing is stored, and a retry answers once.</summary>
public sealed class ChatFailureTests
{
    /// <summary>The extractive responder, except that its first streamed answer breaks after one word.</summary>
    private sealed class BreaksOnce : IChatClient
    {
        private readonly ExtractiveResponder _inner = new(TimeSpan.Zero);
        private int _calls;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            _inner.GetResponseAsync(messages, options, cancellationToken);

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var first = Interlocked.Increment(ref _calls) == 1;
            var n = 0;
            await foreach (var update in _inner.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                if (first && n++ == 1) throw new HttpRequestException("the model went away");
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => _inner.GetService(serviceType, serviceKey);

        public void Dispose() => _inner.Dispose();
    }

    [Fact]
    public async Task AModelFailureEndsTheStreamWithAnErrorFrameStoresNothingAndARetryAnswersOnce()
    {
        var data = Path.Combine(Path.GetTempPath(), "cloneai-chatfail-" + Guid.NewGuid().ToString("N"));
        var url = $"http://127.0.0.1:{LocalHostFixture.FreePort()}";
        var app = LocalHost.Build(["--data", data, "--urls", url],
            b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Critical" }),
            services => services.AddSingleton<IChatClient>(new BreaksOnce()));
        await app.StartAsync();
        try
        {
            var now = DateTimeOffset.UtcNow;
            var users = app.Services.GetRequiredService<IUserStore>();
            var creator = await users.CreateAsync(new User { Id = "c1", Email = "c1@cloneai.test", DisplayName = "C", IsCreator = true, EmailVerified = true, CreatedAt = now, UpdatedAt = now });
            var asker = await users.CreateAsync(new User { Id = "a1", Email = "a1@cloneai.test", DisplayName = "A", EmailVerified = true, CreatedAt = now, UpdatedAt = now });
            var caller = new Caller(creator.Id, creator.Email, "C", false, true);
            var clones = app.Services.GetRequiredService<CloneService>();
            var clone = await clones.PublishAsync(caller, (await clones.CreateAsync(caller, new CloneInput(Name: "Fails", Category: "science", Description: "d",
                Persona: new PersonaInput(Greeting: "Hi", Instructions: "Answer."), Pricing: new PricingInput(PerMessage: 5, Currency: "USD")))).Id);
            var added = await app.Services.GetRequiredService<KnowledgeService>().AddOneAsync(clone, creator.Id, "tides.txt", "txt",
                "Tides are caused mainly by the gravitational pull of the Moon on the oceans. Spring tides are the largest tides of the month."u8.ToArray(), [], null);
            var documents = app.Services.GetRequiredService<IDocumentStore>();
            for (var i = 0; i < 300 && !(await documents.GetAsync(clone.Id, added.Document.Id))!.IsFinished; i++) await Task.Delay(100);

            using var http = new HttpClient { BaseAddress = new Uri(url) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Services.GetRequiredService<IAccessTokenIssuer>().Issue(asker).Token);
            var session = (await (await http.PostAsync($"/api/clones/{clone.Id}/sessions", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{session}/messages")
            {
                Content = JsonContent.Create(new { content = "What causes tides?", clientMessageId = "try-1" }),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            var events = (await (await http.SendAsync(request)).Content.ReadAsStringAsync()).Split('\n')
                .Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l[6..]).RootElement.GetProperty("type").GetString()).ToList();
            Assert.Equal(["start", "delta", "error"], events);
            var afterFailure = await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}");
            Assert.Equal(0, afterFailure.GetProperty("messages").GetArrayLength());
            Assert.Empty(await app.Services.GetRequiredService<ISessionStore>().GetUsageAsync(session!));

            var retry = await http.PostAsJsonAsync($"/api/sessions/{session}/messages", new { content = "What causes tides?", clientMessageId = "try-1" });
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            Assert.Contains("Moon", (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("content").GetString(), StringComparison.Ordinal);
            var usage = await app.Services.GetRequiredService<ISessionStore>().GetUsageAsync(session!);
            Assert.Equal(5, Assert.Single(usage).Amount);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }
}
