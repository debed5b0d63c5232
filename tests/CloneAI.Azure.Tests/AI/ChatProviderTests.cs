using CloneAI.Azure.AI;
using CloneAI.Core.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace CloneAI.Azure.Tests.AI;

/// <summary>The chat providers against a loopback OpenAI-compatible server that streams.</summary>
public sealed class ChatProviderTests
{
    private static async Task<(string Text, UsageDetails? Usage, int Updates)> StreamAsync(IChatClient chat)
    {
        var text = "";
        UsageDetails? usage = null;
        var updates = 0;
        await foreach (var update in chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.System, "Answer from sources."), new ChatMessage(ChatRole.User, "Why tides?")]))
        {
            text += update.Text;
            if (update.Text.Length > 0) updates++;
            foreach (var u in update.Contents.OfType<UsageContent>()) usage = u.Details;
        }
        return (text, usage, updates);
    }

    [Fact]
    public async Task AzureOpenAIStreamsFromTheDeploymentWithTheApiKey()
    {
        await using var server = new LoopbackChatServer("The ", "Moon ", "[1].");
        var chat = RemoteChat.Create(new ChatSettings { Provider = ChatProviders.AzureOpenAI, Endpoint = server.BaseUrl, ApiKey = "azure-key", Model = "gpt-4o-mini" });
        var (text, usage, updates) = await StreamAsync(chat);
        Assert.Equal("The Moon [1].", text);
        Assert.Equal(3, updates);
        Assert.Equal(42, usage!.InputTokenCount);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/openai/deployments/gpt-4o-mini/chat/completions", request.Path);
        Assert.Contains("api-version=", request.Query, StringComparison.Ordinal);
        Assert.Equal("azure-key", request.Headers["api-key"]);
        Assert.True(request.Body.GetProperty("stream").GetBoolean());
        Assert.Equal("Why tides?", request.Body.GetProperty("messages")[1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task AnOpenAICompatibleEndpointStreamsWithTheBearerKeyAndModel()
    {
        await using var server = new LoopbackChatServer("Spring ", "tides ", "[2]");
        var chat = RemoteChat.Create(new ChatSettings { Provider = ChatProviders.OpenAI, Endpoint = server.BaseUrl + "v1", ApiKey = "sk-local", Model = "llama3" });
        var (text, usage, _) = await StreamAsync(chat);
        Assert.Equal("Spring tides [2]", text);
        Assert.Equal(3, usage!.OutputTokenCount);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-local", request.Headers["Authorization"]);
        Assert.Equal("llama3", request.Body.GetProperty("model").GetString());
        Assert.Equal("system", request.Body.GetProperty("messages")[0].GetProperty("role").GetString());
    }

    [Fact]
    public async Task TheExtractiveProviderNeedsNoEndpoint()
    {
        var responder = RemoteChat.CreateResponder(Options.Create(new ChatSettings { Provider = ChatProviders.Extractive, ExtractiveWordDelayMs = 0 }),
            () => throw new InvalidOperationException("No chat model is needed."));
        Assert.IsType<ExtractiveResponder>(responder);
        var text = "";
        await foreach (var u in responder.RespondAsync(new ResponderRequest("", [], "Anything?", "Anything?", [], "medium", PersonaPrompt.DefaultDontKnow)))
            text += u.Text;
        Assert.Equal("I don't know. That isn't covered by the material I was given.", text);
    }

    [Fact]
    public void AModelProviderAnswersWithTheModelResponder() =>
        Assert.IsType<ModelResponder>(RemoteChat.CreateResponder(Options.Create(new ChatSettings { Provider = ChatProviders.OpenAI, Endpoint = "http://127.0.0.1:9/v1", Model = "llama3" }),
            () => RemoteChat.Create(new ChatSettings { Provider = ChatProviders.OpenAI, Endpoint = "http://127.0.0.1:9/v1", Model = "llama3" })));

    [Fact]
    public void AzureOpenAIWithoutAnEndpointSaysWhatIsMissing() =>
        Assert.Contains("Chat:Endpoint", Assert.Throws<InvalidOperationException>(() => RemoteChat.Create(new ChatSettings { Provider = ChatProviders.AzureOpenAI })).Message, StringComparison.Ordinal);

    [Fact]
    public void AnOpenAICompatibleEndpointWithoutAModelSaysWhatToSet() =>
        Assert.Contains("Chat__Model", Assert.Throws<InvalidOperationException>(() => RemoteChat.Create(new ChatSettings { Provider = ChatProviders.OpenAI, Endpoint = "http://127.0.0.1:9/v1" })).Message, StringComparison.Ordinal);
}
