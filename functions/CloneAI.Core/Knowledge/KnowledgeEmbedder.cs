using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// <see cref="IKnowledgeEmbedder"/> over any <c>Microsoft.Extensions.AI</c> embedding generator (the in-process ONNX
/// model, Azure OpenAI, OpenAI): splits passages into <see cref="BatchSize"/> calls, prefixes queries with the model's
/// query instruction, and L2-normalises every vector.
/// </summary>
public sealed class KnowledgeEmbedder : IKnowledgeEmbedder
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly EmbeddingGenerationOptions? _generationOptions;

    public KnowledgeEmbedder(IEmbeddingGenerator<string, Embedding<float>> generator, IOptions<EmbeddingOptions> options)
    {
        _generator = generator;
        var settings = options.Value;
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        var model = string.IsNullOrWhiteSpace(metadata?.DefaultModelId) ? settings.ResolvedModel : metadata.DefaultModelId;
        var dimensions = settings.ResolveDimensions(metadata?.DefaultModelDimensions, model)
            ?? throw new InvalidOperationException($"The dimensions of embedding model '{model}' are unknown: set Embeddings:Dimensions.");
        Model = new EmbeddingModelInfo(model, dimensions);
        BatchSize = settings.ResolvedBatchSize;
        QueryPrefix = settings.ResolvedQueryPrefix;
        _generationOptions = settings.Dimensions is { } d ? new EmbeddingGenerationOptions { Dimensions = d } : null;
    }

    public EmbeddingModelInfo Model { get; }

    public int BatchSize { get; }

    /// <summary>Prepended to queries (empty for models that take none).</summary>
    public string QueryPrefix { get; }

    public async Task<float[][]> EmbedPassagesAsync(IReadOnlyList<string> passages, CancellationToken cancellationToken = default)
    {
        var vectors = new float[passages.Count][];
        for (var start = 0; start < passages.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, passages.Count - start);
            var batch = new string[count];
            for (var i = 0; i < count; i++) batch[i] = passages[start + i] ?? throw new ArgumentException("A passage is null.", nameof(passages));
            var embeddings = await _generator.GenerateAsync(batch, _generationOptions, cancellationToken);
            if (embeddings.Count != count)
            {
                throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} vectors for {count} inputs.");
            }
            for (var i = 0; i < count; i++) vectors[start + i] = ToUnitVector(embeddings[i].Vector.Span);
        }
        return vectors;
    }

    public async Task<float[]> EmbedQueryAsync(string query, CancellationToken cancellationToken = default)
    {
        var embeddings = await _generator.GenerateAsync([QueryPrefix + query], _generationOptions, cancellationToken);
        if (embeddings.Count != 1) throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} vectors for one query.");
        return ToUnitVector(embeddings[0].Vector.Span);
    }

    /// <summary>A copy of <paramref name="vector"/> scaled to length 1 (a zero vector stays zero).</summary>
    public static float[] ToUnitVector(ReadOnlySpan<float> vector)
    {
        var sum = 0.0;
        foreach (var x in vector) sum += (double)x * x;
        var result = vector.ToArray();
        if (sum <= 0) return result;
        var scale = (float)(1.0 / Math.Sqrt(sum));
        for (var i = 0; i < result.Length; i++) result[i] *= scale;
        return result;
    }
}

public static class KnowledgeEmbedderRegistration
{
    /// <summary>
    /// Binds and validates <see cref="EmbeddingOptions"/> (section <c>Embeddings</c>) and registers
    /// <see cref="IKnowledgeEmbedder"/> over the <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> that the
    /// host registers (ONNX locally, Azure OpenAI / OpenAI through <c>AddCloneAIEmbeddings</c>).
    /// </summary>
    public static IServiceCollection AddKnowledgeEmbedder(this IServiceCollection services)
    {
        services.AddOptions<EmbeddingOptions>().BindConfiguration(EmbeddingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IKnowledgeEmbedder, KnowledgeEmbedder>();
        return services;
    }
}
