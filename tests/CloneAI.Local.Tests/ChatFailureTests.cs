using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

/// <summary>A model that fails mid-answer: the stream ends with an error frame, nothing is stored, and a retry answers once.</summary>
public sealed class ChatFailureTests
{
    /// <summary>The extractive responder, except that its first streamed answer breaks after one word.</summary>
    private sealed class BreaksOnce : IResponder
    {
        private readonly ExtractiveResponder _inner = new(TimeSpan.Zero);
        private int _calls;

        public bool UsesModel => _inner.UsesModel;

        public string AnswerKind => _inner.AnswerKind;

        public Task<string> RewriteFollowUpAsync(string question, IReadOnlyList<SessionMessage> history, CancellationToken cancellationToken = default) =>
            _inner.RewriteFollowUpAsync(question, history, cancellationToken);

        public async IAsyncEnumerable<ResponderUpdate> RespondAsync(ResponderRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var first = Interlocked.Increment(ref _calls) == 1;
            var n = 0;
            await foreach (var update in _inner.RespondAsync(request, cancellationToken))
            {
                if (first && n++ == 1) throw new HttpRequestException("the model went away");
                yield return update;
            }
        }
    }

    [Fact]
    public async Task AModelFailureEndsTheStreamWithAnErrorFrameStoresNothingAndARetryAnswersOnce()
    {
        await using var host = await OwnHost.StartAsync(new() { ["Logging:LogLevel:Default"] = "Critical" },
            services => services.AddSingleton<IResponder>(new BreaksOnce()));
        var creator = await host.UserAsync("c1", creator: true);
        var asker = await host.UserAsync("a1");
        await host.FundAsync(asker);
        var clone = await host.PublishedCloneAsync(creator, "Fails", new PricingInput(PerMessage: 5, Currency: "USD"));
        var added = await host.Services.GetRequiredService<KnowledgeService>().AddOneAsync(clone, creator.Id, "tides.txt", "txt",
            "Tides are caused mainly by the gravitational pull of the Moon on the oceans. Spring tides are the largest tides of the month."u8.ToArray(), [], null);
        var documents = host.Services.GetRequiredService<IDocumentStore>();
        for (var i = 0; i < 300 && !(await documents.GetAsync(clone.Id, added.Document.Id))!.IsFinished; i++) await Task.Delay(100);

        using var http = host.Client(asker);
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
        Assert.Empty(SessionMessages.Exchanged(afterFailure.GetProperty("messages")));
        Assert.Empty(await host.Services.GetRequiredService<ISessionStore>().GetUsageAsync(session!));

        var retry = await http.PostAsJsonAsync($"/api/sessions/{session}/messages", new { content = "What causes tides?", clientMessageId = "try-1" });
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Contains("Moon", (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("content").GetString(), StringComparison.Ordinal);
        var usage = await host.Services.GetRequiredService<ISessionStore>().GetUsageAsync(session!);
        Assert.Equal(5, Assert.Single(usage).Amount);
    }
}
