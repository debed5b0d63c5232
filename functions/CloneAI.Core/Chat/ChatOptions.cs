using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Chat;

public static class ChatProviders
{
    public const string Extractive = "extractive";
    public const string AzureOpenAI = "azure-openai";
    public const string OpenAI = "openai";
    public static readonly IReadOnlyList<string> All = [Extractive, AzureOpenAI, OpenAI];
}

/// <summary>Sessions, retrieval for answers, and the chat model. Section <c>Chat</c>.</summary>
public sealed class ChatSettings
{
    public const string Section = "Chat";

    /// <summary><c>extractive</c> (answers quoted from the sources, offline), <c>azure-openai</c> or <c>openai</c> (any compatible endpoint).</summary>
    [Required]
    public string Provider { get; set; } = ChatProviders.Extractive;

    /// <summary>Azure OpenAI resource URL, or an OpenAI-compatible base URL (for example http://127.0.0.1:11434/v1 for Ollama).</summary>
    public string? Endpoint { get; set; }

    /// <summary>API key; without one, Azure OpenAI signs in with DefaultAzureCredential.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model the OpenAI and Azure OpenAI endpoints default to.</summary>
    public const string OpenAIDefaultModel = "gpt-4o-mini";

    private string? _model;

    /// <summary>
    /// Model name, or the Azure OpenAI deployment name. Unset, it is <see cref="OpenAIDefaultModel"/> for Azure OpenAI and for
    /// OpenAI itself (no endpoint, or api.openai.com); any other endpoint (Ollama, vLLM…) has no default and must name its
    /// model, which start-up validation demands. Empty when there is no default.
    /// </summary>
    public string Model
    {
        get => string.IsNullOrWhiteSpace(_model) ? DefaultModel(Provider, Endpoint) ?? "" : _model;
        set => _model = value;
    }

    /// <summary>Whether a model responder is configured without a model name it can use (see <see cref="Model"/>).</summary>
    public bool LacksModel => Provider != ChatProviders.Extractive && Model.Length == 0;

    /// <summary><see cref="OpenAIDefaultModel"/> for Azure OpenAI and OpenAI's own API; null for any other endpoint.</summary>
    public static string? DefaultModel(string? provider, string? endpoint)
    {
        if (provider == ChatProviders.AzureOpenAI || string.IsNullOrWhiteSpace(endpoint)) return OpenAIDefaultModel;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)) return null;
        var host = uri.Host.ToLowerInvariant();
        return host == "api.openai.com" || host.EndsWith(".openai.azure.com", StringComparison.Ordinal)
               || host.EndsWith(".cognitiveservices.azure.com", StringComparison.Ordinal)
               || host.EndsWith(".services.ai.azure.com", StringComparison.Ordinal)
            ? OpenAIDefaultModel
            : null;
    }

    /// <summary>The start-up error for <see cref="LacksModel"/>.</summary>
    public const string ModelRequired =
        "Chat:Model is required when Chat:Endpoint is neither Azure OpenAI nor api.openai.com: set Chat__Model to a model the server has "
        + "(for example Chat__Model=llama3.2 for Ollama).";

    /// <summary>One line for the console: which responder answers questions.</summary>
    public string ResponderDescription => Provider == ChatProviders.Extractive
        ? "extractive (quotes from the clone's sources, no language model)"
        : $"model '{Model}' at {(string.IsNullOrWhiteSpace(Endpoint) ? "api.openai.com" : Endpoint)} ({Provider})";

    /// <summary>A session with no message for this long ends itself (billed up to its last activity).</summary>
    [Range(1, 24 * 60)]
    public int IdleTimeoutMinutes { get; set; } = 15;

    /// <summary>The longest a session may run.</summary>
    [Range(1, 24 * 60)]
    public int MaxSessionMinutes { get; set; } = 120;

    [Range(1, 100_000)]
    public int MaxMessageChars { get; set; } = 4000;

    /// <summary>Passages retrieved for an answer.</summary>
    [Range(1, 50)]
    public int Top { get; set; } = 6;

    /// <summary>Source diversity: passages of one document in an answer's sources.</summary>
    [Range(1, 50)]
    public int MaxPerDocument { get; set; } = 3;

    /// <summary>Tokens of source text the prompt may hold.</summary>
    [Range(100, 100_000)]
    public int ContextTokens { get; set; } = 1800;

    /// <summary>
    /// The clone says its "I don't know" message when the best passage's cosine similarity to the question is below this
    /// (when the index reports similarities), or when nothing matches at all.
    /// </summary>
    [Range(-1.0, 1.0)]
    public double MinSimilarity { get; set; } = 0.3;

    /// <summary>
    /// Ask the language model to rewrite a follow-up into a stand-alone question for retrieval. Off by default: it is a whole
    /// model round trip before the first token, and the model sees the conversation anyway; the offline rewrite is used instead.
    /// </summary>
    public bool RewriteWithModel { get; set; }

    /// <summary>Earlier messages the model sees (and the follow-up rewriter uses).</summary>
    [Range(0, 50)]
    public int HistoryMessages { get; set; } = 6;

    /// <summary>Pause between the words the extractive responder streams, so the answer reads as it arrives.</summary>
    [Range(0, 1000)]
    public int ExtractiveWordDelayMs { get; set; } = 10;

    /// <summary>Lifetime of a realtime client access token from <c>/api/realtime/negotiate</c>.</summary>
    [Range(1, 24 * 60)]
    public int RealtimeTokenMinutes { get; set; } = 60;
}
