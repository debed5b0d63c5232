using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// Which embedding model turns chunks and queries into vectors (section <c>Embeddings</c>, environment variables
/// <c>Embeddings__Provider</c>, <c>Embeddings__Model</c>, ...). <c>local</c> runs an ONNX model in process (the local
/// host); <c>azure-openai</c> and <c>openai</c> call a remote embeddings endpoint.
/// </summary>
public sealed class EmbeddingOptions : IValidatableObject
{
    public const string Section = "Embeddings";

    public const string LocalProvider = "local";
    public const string AzureOpenAIProvider = "azure-openai";
    public const string OpenAIProvider = "openai";

    /// <summary>The default local model: Snowflake's snowflake-arctic-embed-xs (384 dimensions, CLS pooling).</summary>
    public const string ArcticXsModel = "snowflake-arctic-embed-xs";

    /// <summary>The default remote model (or Azure deployment name).</summary>
    public const string DefaultRemoteModel = "text-embedding-3-small";

    /// <summary>The instruction arctic-embed models were trained with on the query side (passages take none).</summary>
    public const string ArcticQueryPrefix = "Represent this sentence for searching relevant passages: ";

    /// <summary><c>local</c> (default), <c>azure-openai</c> or <c>openai</c> (also any OpenAI-compatible endpoint).</summary>
    [Required]
    public string Provider { get; set; } = LocalProvider;

    /// <summary>Model id; for Azure OpenAI the deployment name. Defaults: <see cref="ArcticXsModel"/> locally,
    /// <see cref="DefaultRemoteModel"/> remotely.</summary>
    public string? Model { get; set; }

    /// <summary>Azure OpenAI resource endpoint (required for <c>azure-openai</c>), or the base URL of an
    /// OpenAI-compatible server for <c>openai</c> (optional: api.openai.com when absent).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>API key. Optional for Azure OpenAI (DefaultAzureCredential when absent), required for api.openai.com.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Output dimensions for models that can shorten their vectors (text-embedding-3-*). Unset: the model's own.</summary>
    [Range(1, 8192)]
    public int? Dimensions { get; set; }

    /// <summary>Prepended to every query (never to passages). Unset: <see cref="ArcticQueryPrefix"/> for a local
    /// arctic-embed model, empty otherwise. Set to an empty string to turn it off.</summary>
    [MaxLength(1000)]
    public string? QueryPrefix { get; set; }

    /// <summary>
    /// Passages per embedding call. Unset: 2048 locally (the in-process model sorts a call's passages by length, so bigger calls
    /// pad less, and callers take turns run by run), 64 remotely.
    /// </summary>
    [Range(1, 2048)]
    public int? BatchSize { get; set; }

    public bool IsLocal => string.Equals(Provider, LocalProvider, StringComparison.OrdinalIgnoreCase);

    public string ResolvedModel => !string.IsNullOrWhiteSpace(Model) ? Model.Trim() : IsLocal ? ArcticXsModel : DefaultRemoteModel;

    public string ResolvedQueryPrefix => QueryPrefix
        ?? (IsLocal && ResolvedModel.Contains("arctic-embed", StringComparison.OrdinalIgnoreCase) ? ArcticQueryPrefix : string.Empty);

    public int ResolvedBatchSize => BatchSize ?? (IsLocal ? 2048 : 64);

    /// <summary>The vector length: <see cref="Dimensions"/> when set, else what the generator reports, else the
    /// published size of well-known OpenAI models (by <paramref name="modelId"/>, default <see cref="ResolvedModel"/>);
    /// null when none of these is known.</summary>
    public int? ResolveDimensions(int? generatorDimensions, string? modelId = null) => Dimensions ?? generatorDimensions ?? (modelId ?? ResolvedModel) switch
    {
        "text-embedding-3-small" or "text-embedding-ada-002" => 1536,
        "text-embedding-3-large" => 3072,
        _ => null,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string[] providers = [LocalProvider, AzureOpenAIProvider, OpenAIProvider];
        if (!providers.Contains(Provider, StringComparer.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"Embeddings:Provider must be one of {string.Join(", ", providers)}.", [nameof(Provider)]);
        }
        else if (string.Equals(Provider, AzureOpenAIProvider, StringComparison.OrdinalIgnoreCase) && Endpoint is null)
        {
            yield return new ValidationResult("Embeddings:Endpoint is required for azure-openai.", [nameof(Endpoint)]);
        }
        else if (string.Equals(Provider, OpenAIProvider, StringComparison.OrdinalIgnoreCase) && Endpoint is null && string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return new ValidationResult("Embeddings:ApiKey is required for openai (or set Embeddings:Endpoint to an OpenAI-compatible server).", [nameof(ApiKey)]);
        }
        if (Endpoint is { IsAbsoluteUri: false })
        {
            yield return new ValidationResult("Embeddings:Endpoint must be an absolute URL.", [nameof(Endpoint)]);
        }
    }
}
