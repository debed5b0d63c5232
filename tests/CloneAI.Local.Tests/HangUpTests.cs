using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CloneAI.Core.Chat;
using CloneAI.Core.Clones;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Tests.Knowledge;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

/// <summary>
/// Security finding 9 end to end, with a model provider (an OpenAI-compatible loopback server that streams two pieces and then
/// keeps thinking): the client hangs up mid-stream; the part written is stored as the answer, marked interrupted, and billed
/// once; a retry with the same key gets it back without asking the model again or paying again.
/// </summary>
public sealed class HangUpTests
{
    private static async Task SlowModelAsync(string path, Stream stream, CancellationToken cancellationToken)
    {
        static string Chunk(string content) => "data: " + JsonSerializer.Serialize(new
        {
            id = "chatcmpl-1", @object = "chat.completion.chunk", created = 1, model = "loopback",
            choices = new[] { new { index = 0, delta = new { content }, finish_reason = (string?)null } },
        }) + "\n\n";
        await RawHttpServer.WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n", cancellationToken);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(Chunk("Tides follow the Moon [1], ")), cancellationToken);
        await stream.FlushAsync(cancellationToken);
        await Task.Delay(200, cancellationToken);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(Chunk("and twice a day the sea")), cancellationToken);
        await stream.FlushAsync(cancellationToken);
        // Thinking for a long time: the asker hangs up meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(Chunk(" rises again.") + "data: [DONE]\n\n"), cancellationToken);
    }

    [Fact]
    public async Task HangingUpMidStreamStoresThePartialAnswerAndBillsItOnce()
    {
        await using var model = new RawHttpServer(SlowModelAsync);
        await using var host = await OwnHost.StartAsync(new()
        {
            ["Chat:Provider"] = "openai",
            ["Chat:Endpoint"] = model.Url + "v1",
            ["Chat:Model"] = "loopback",
            ["Chat:ApiKey"] = "test-key",
        });
        var creator = await host.UserAsync("hang-creator", creator: true);
        var asker = await host.UserAsync("hang-asker");
        await host.FundAsync(asker, 1_000);
        var clone = await host.PublishedCloneAsync(creator, "Tides", new PricingInput(PerMessage: 7, Currency: "USD"));
        var added = await host.Services.GetRequiredService<KnowledgeService>().AddOneAsync(clone, creator.Id, "tides.txt", "txt",
            "Tides are caused mainly by the gravitational pull of the Moon on the oceans. Spring tides are the largest tides of the month."u8.ToArray(), [], null);
        var documents = host.Services.GetRequiredService<IDocumentStore>();
        for (var i = 0; i < 300 && !(await documents.GetAsync(clone.Id, added.Document.Id))!.IsFinished; i++) await Task.Delay(100);

        using var http = host.Client(asker);
        var session = (await (await http.PostAsync($"/api/clones/{clone.Id}/sessions", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var before = await Funding.BalanceAsync(host.Services, asker.Id);

        // Ask with a streamed answer, read until the second piece arrives, then hang up.
        using (var hangUp = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{session}/messages")
            {
                Content = JsonContent.Create(new { content = "What causes tides?", clientMessageId = "hang-1" }),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, hangUp.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(hangUp.Token));
            var written = "";
            while (!written.Contains("the sea", StringComparison.Ordinal) && await reader.ReadLineAsync(hangUp.Token) is { } line)
                if (line.StartsWith("data: ", StringComparison.Ordinal) && JsonDocument.Parse(line[6..]).RootElement is var frame && frame.GetProperty("type").GetString() == "delta")
                    written += frame.GetProperty("text").GetString();
            Assert.Contains("the sea", written, StringComparison.Ordinal);
            await hangUp.CancelAsync();
        }

        // The part written is stored as the answer, marked interrupted, with its tokens and the message's price.
        var sessions = host.Services.GetRequiredService<ISessionStore>();
        SessionMessage? stored = null;
        for (var i = 0; i < 100 && stored is null; i++)
        {
            stored = await sessions.FindAnswerAsync(session, "hang-1");
            if (stored is null) await Task.Delay(100);
        }
        Assert.NotNull(stored);
        Assert.True(stored.Interrupted);
        Assert.Equal("Tides follow the Moon [1], and twice a day the sea", stored.Content);
        Assert.Equal(AnswerKinds.Model, stored.AnswerKind);
        Assert.True(stored.Usage!.OutputTokens > 0);
        Assert.Equal(7, stored.Cost!.Amount);
        UsageEvent usage = null!;
        for (var i = 0; i < 100; i++)
        {
            usage = Assert.Single(await sessions.GetUsageAsync(session), u => u.Kind == UsageKinds.Message);
            if (usage.SettledAt is not null) break;
            await Task.Delay(100);
        }
        Assert.Equal(7, usage.Amount);
        Assert.Equal(stored.Usage.OutputTokens, usage.OutputTokens);
        Assert.NotNull(usage.SettledAt);
        Assert.Equal(before - 7, await Funding.BalanceAsync(host.Services, asker.Id));

        // The session shows it, marked.
        var read = await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}");
        var answer = read.GetProperty("messages").EnumerateArray().Last();
        Assert.True(answer.GetProperty("interrupted").GetBoolean());
        Assert.Equal(stored.Content, answer.GetProperty("content").GetString());

        // A retry with the same key gets the stored part: the model is not asked again and nothing more is paid.
        var modelCalls = model.Requests;
        var retry = await http.PostAsJsonAsync($"/api/sessions/{session}/messages", new { content = "What causes tides?", clientMessageId = "hang-1" });
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var again = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(stored.Content, again.GetProperty("content").GetString());
        Assert.True(again.GetProperty("interrupted").GetBoolean());
        Assert.Equal(modelCalls, model.Requests);
        Assert.Single(await sessions.GetUsageAsync(session), u => u.Kind == UsageKinds.Message);
        Assert.Equal(before - 7, await Funding.BalanceAsync(host.Services, asker.Id));
    }
}
