using System.ClientModel;
using System.ClientModel.Primitives;
using CloneAI.Core.Chat;
using Microsoft.Extensions.AI;
using OpenAI;

namespace CloneAI.OpenAI;

/// <summary>
/// <c>Chat:Provider = openai</c>: any OpenAI-compatible chat endpoint (OpenAI itself, Ollama, vLLM…) through
/// <c>Microsoft.Extensions.AI</c> over the OpenAI SDK. <paramref name="transport"/> replaces the HTTP transport (tests).
/// </summary>
public static class OpenAICompatibleChat
{
    public static IChatClient Create(ChatSettings settings, PipelineTransport? transport = null)
    {
        if (settings.LacksModel) throw new InvalidOperationException(ChatSettings.ModelRequired);
        var clientOptions = new OpenAIClientOptions();
        if (!string.IsNullOrWhiteSpace(settings.Endpoint)) clientOptions.Endpoint = new Uri(settings.Endpoint);
        if (transport is not null) clientOptions.Transport = transport;
        // Servers without authentication (a local Ollama) still need a non-empty key.
        var key = string.IsNullOrWhiteSpace(settings.ApiKey) ? "unused" : settings.ApiKey;
        return new OpenAIClient(new ApiKeyCredential(key), clientOptions).GetChatClient(settings.Model).AsIChatClient();
    }
}
