using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using Azure.Identity;
using CloneAI.Core.Chat;
using CloneAI.OpenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace CloneAI.Azure.AI;

/// <summary>The Functions host's chat model and responder, by <see cref="ChatSettings.Provider"/>.</summary>
public static class RemoteChat
{
    /// <summary>
    /// <c>azure-openai</c>: <see cref="AzureOpenAIClient"/> on <see cref="ChatSettings.Endpoint"/> with the API key when one is set,
    /// else <paramref name="credential"/> (DefaultAzureCredential), <see cref="ChatSettings.Model"/> being the deployment;
    /// <c>openai</c>: any OpenAI-compatible endpoint. <c>extractive</c> needs no model (see <see cref="CreateResponder"/>).
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
                throw new InvalidOperationException($"Chat:Provider '{settings.Provider}' uses no chat model.");
        }
    }

    /// <summary>
    /// <c>extractive</c>: the offline responder, which needs no endpoint; otherwise the model responder over the host's chat
    /// model (<paramref name="model"/>, asked for only then).
    /// </summary>
    public static IResponder CreateResponder(IOptions<ChatSettings> options, Func<IChatClient> model) =>
        options.Value.Provider == ChatProviders.Extractive
            ? new ExtractiveResponder(TimeSpan.FromMilliseconds(options.Value.ExtractiveWordDelayMs))
            : new ModelResponder(model(), options);
}
