using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using Azure.Identity;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Embeddings;

namespace CloneAI.Azure.AI;

/// <summary>
/// Remote embedding generators (<c>Microsoft.Extensions.AI</c> over the OpenAI SDK) for
/// <see cref="EmbeddingOptions.Provider"/> <c>azure-openai</c> and <c>openai</c>.
/// </summary>
public static class RemoteEmbeddingGenerators
{
    /// <summary>
    /// <c>azure-openai</c>: <see cref="AzureOpenAIClient"/> on <see cref="EmbeddingOptions.Endpoint"/> with the API key
    /// when one is set, else <paramref name="credential"/> (DefaultAzureCredential when null), <see cref="EmbeddingOptions.Model"/>
    /// being the deployment name. <c>openai</c>: <see cref="OpenAIClient"/> with the API key, on api.openai.com or on
    /// <see cref="EmbeddingOptions.Endpoint"/> (any OpenAI-compatible server). <paramref name="transport"/> replaces the
    /// HTTP transport (tests).
    /// </summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Create(EmbeddingOptions options, TokenCredential? credential = null,
        PipelineTransport? transport = null)
    {
        var model = options.ResolvedModel;
        EmbeddingClient client;
        if (string.Equals(options.Provider, EmbeddingOptions.AzureOpenAIProvider, StringComparison.OrdinalIgnoreCase))
        {
            var endpoint = options.Endpoint ?? throw new InvalidOperationException("Embeddings:Endpoint is required for azure-openai.");
            var clientOptions = new AzureOpenAIClientOptions();
            if (transport is not null) clientOptions.Transport = transport;
            var azure = string.IsNullOrWhiteSpace(options.ApiKey)
                ? new AzureOpenAIClient(endpoint, credential ?? new DefaultAzureCredential(), clientOptions)
                : new AzureOpenAIClient(endpoint, new ApiKeyCredential(options.ApiKey), clientOptions);
            client = azure.GetEmbeddingClient(model);
        }
        else if (string.Equals(options.Provider, EmbeddingOptions.OpenAIProvider, StringComparison.OrdinalIgnoreCase))
        {
            var clientOptions = new OpenAIClientOptions();
            if (options.Endpoint is not null) clientOptions.Endpoint = options.Endpoint;
            if (transport is not null) clientOptions.Transport = transport;
            // OpenAI-compatible servers without authentication still need a non-empty key.
            var key = string.IsNullOrWhiteSpace(options.ApiKey) ? "unused" : options.ApiKey;
            client = new OpenAIClient(new ApiKeyCredential(key), clientOptions).GetEmbeddingClient(model);
        }
        else
        {
            throw new InvalidOperationException(
                $"Embeddings:Provider '{options.Provider}' is not a remote provider; the local host registers the ONNX generator itself.");
        }
        // Only an explicit Dimensions goes into requests: older models (text-embedding-ada-002) refuse the parameter.
        return client.AsIEmbeddingGenerator(options.Dimensions);
    }
}
