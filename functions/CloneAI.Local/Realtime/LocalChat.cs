using CloneAI.Core.Chat;
using Microsoft.Extensions.AI;

namespace CloneAI.Local.Realtime;

/// <summary>
/// The local host's chat model: the offline extractive responder (the default), or any OpenAI-compatible endpoint (a local
/// Ollama or vLLM). Azure OpenAI is the Functions host's.
/// </summary>
public static class LocalChat
{
    public static IChatClient Create(ChatSettings settings) => settings.Provider switch
    {
        ChatProviders.Extractive => new ExtractiveResponder(TimeSpan.FromMilliseconds(settings.ExtractiveWordDelayMs)),
        ChatProviders.OpenAI => OpenAICompatibleChat.Create(settings),
        _ => throw new InvalidOperationException(
            $"Chat:Provider '{settings.Provider}' is not available in the local host; use '{ChatProviders.Extractive}' or '{ChatProviders.OpenAI}' (any OpenAI-compatible endpoint)."),
    };
}
