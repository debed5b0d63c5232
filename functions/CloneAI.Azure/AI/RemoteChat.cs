using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using Azure.Identity;
using CloneAI.Core.Chat;
using Microsoft.Extensions.AI;

namespace CloneAI.Azure.AI;

/// <summary>The Functions host's chat model, by <see cref="ChatSettings.Provider"/>.</summary>
public static class RemoteChat
{
    /// <summary>
    /// <c>azure-openai</c>: <see cref="AzureOpenAIClient"/> on <see cref="ChatSettings.Endpoint"/> with the API key when one is set,
    /// else <paramref name="credential"/> (DefaultAzureCredential), <see cref="ChatSettings.Model"/> being the deployment;
    /// <c>openai</c>: any OpenAI-compatible endpoint; <c>extractive</c>: the offline responder.
    /// </summary>
    public static IChatClient Create(ChatSettings settings, TokenCredential? credential = null, PipelineTransport? transport = null)
    {
        switch (settings.Provider)
        {
            case ChatProviders.AzureOpenAI:
                var endpoint = string.IsNullOrWhiteSpace(settings.Endpoint)
                    ? throw new InvalidOperationException("Chat:Endpoint is required for azure-openai.")
                    : new Uri(settings.Endpoint);
                var clientOptions = new AzureOpenAIClientOptions();
                if (transport is not null) clientOptions.Transport = transport;
                var client = string.IsNullOrWhiteSpace(settings.ApiKey)
                    ? new AzureOpenAIClient(endpoint, credential ?? new DefaultAzureCredential(), clientOptions)
                    : new AzureOpenAIClient(endpoint, new ApiKeyCredential(settings.ApiKey), clientOptions);
                return client.GetChatClient(settings.Model).AsIChatClient();
            case ChatProviders.OpenAI:
                return OpenAICompatibleChat.Create(settings, transport);
            default:
                return new ExtractiveResponder(TimeSpan.FromMilliseconds(settings.ExtractiveWordDelayMs));
        }
    }
}
