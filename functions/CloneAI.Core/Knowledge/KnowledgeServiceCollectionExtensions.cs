using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloneAI.Core.Knowledge;

public static class KnowledgeServiceCollectionExtensions
{
    /// <summary>
    /// Registers text extraction and chunking. The chunker counts tokens with the <see cref="Microsoft.ML.Tokenizers.Tokenizer"/>
    /// of the embedding model, which the host registers (this method does not).
    /// </summary>
    public static IServiceCollection AddCloneAIKnowledgeCore(this IServiceCollection services)
    {
        services.AddOptions<ChunkingOptions>().BindConfiguration(ChunkingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ITextExtractor, DocumentExtractor>();
        services.TryAddSingleton<IChunker, Chunker>();
        return services;
    }
}
