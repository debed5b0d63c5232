using CloneAI.Core.Chat;
using CloneAI.OpenAI;
using Microsoft.Extensions.Options;

namespace CloneAI.Local.AI;

/// <summary>
/// The local host's responder: the offline extractive responder (the default), or a model behind any OpenAI-compatible
/// endpoint (a local Ollama or vLLM). Azure OpenAI is the Functions host's.
/// </summary>
public static class LocalChat
{
    public static IResponder Create(IOptions<ChatSettings> options) => options.Value.Provider switch
    {
        ChatProviders.Extractive => new ExtractiveResponder(TimeSpan.FromMilliseconds(options.Value.ExtractiveWordDelayMs)),
        ChatProviders.OpenAI => new ModelResponder(OpenAICompatibleChat.Create(options.Value), options),
        _ => throw new InvalidOperationException(
            $"Chat:Provider '{options.Value.Provider}' is not available in the local host; use '{ChatProviders.Extractive}' or '{ChatProviders.OpenAI}' (any OpenAI-compatible endpoint)."),
    };
}
