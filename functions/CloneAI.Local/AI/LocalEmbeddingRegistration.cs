using CloneAI.Core.Knowledge;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloneAI.Local.AI;

public static class LocalEmbeddingRegistration
{
    /// <summary>The section of <see cref="OnnxEmbeddingGeneratorOptions"/> (<c>Embeddings:Onnx:IntraOpThreads</c>, ...).</summary>
    public const string OnnxSection = EmbeddingOptions.Section + ":Onnx";

    /// <summary>
    /// When <c>Embeddings:Provider</c> is <c>local</c> (the default): one <see cref="OnnxEmbeddingGenerator"/> for the
    /// process (created on first use: it loads a 90 MB model) registered as
    /// <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>. Always: <see cref="EmbeddingOptions"/> and
    /// <see cref="IKnowledgeEmbedder"/>. Remote providers come from <c>AddCloneAIEmbeddings</c> instead.
    /// </summary>
    public static IServiceCollection AddLocalOnnxEmbeddings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKnowledgeEmbedder();
        var embeddings = configuration.GetSection(EmbeddingOptions.Section).Get<EmbeddingOptions>() ?? new EmbeddingOptions();
        if (!embeddings.IsLocal) return services;

        var model = ResolveModel(embeddings.ResolvedModel);
        var onnx = configuration.GetSection(OnnxSection).Get<OnnxEmbeddingGeneratorOptions>() ?? new OnnxEmbeddingGeneratorOptions();
        services.TryAddSingleton(_ => new OnnxEmbeddingGenerator(model, onnx));
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<OnnxEmbeddingGenerator>());
        return services;
    }

    /// <summary>The bundled local models by id; only snowflake-arctic-embed-xs ships with the local host.</summary>
    public static OnnxEmbeddingModel ResolveModel(string modelId) =>
        string.Equals(modelId, OnnxEmbeddingModel.ArcticXs.ModelId, StringComparison.OrdinalIgnoreCase)
            ? OnnxEmbeddingModel.ArcticXs
            : throw new InvalidOperationException(
                $"Embeddings:Model '{modelId}' is not a bundled local model; use '{OnnxEmbeddingModel.ArcticXs.ModelId}' or a remote provider.");
}
