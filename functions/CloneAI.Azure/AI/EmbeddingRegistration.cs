using Azure.Core;
using Azure.Identity;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CloneAI.Azure.AI;

public static class EmbeddingRegistration
{
    /// <summary>
    /// Binds and validates <see cref="EmbeddingOptions"/> (section <c>Embeddings</c>), registers
    /// <see cref="IKnowledgeEmbedder"/>, and, when <c>Embeddings:Provider</c> is <c>azure-openai</c> or <c>openai</c>, the
    /// remote <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> (Azure signs in with the registered
    /// <see cref="TokenCredential"/>, DefaultAzureCredential by default, unless an API key is set). For <c>local</c> it
    /// registers no generator: the local host adds the ONNX one.
    /// </summary>
    public static IServiceCollection AddCloneAIEmbeddings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKnowledgeEmbedder();
        var options = configuration.GetSection(EmbeddingOptions.Section).Get<EmbeddingOptions>() ?? new EmbeddingOptions();
        if (options.IsLocal) return services;

        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton(sp => RemoteEmbeddingGenerators.Create(
            sp.GetRequiredService<IOptions<EmbeddingOptions>>().Value, sp.GetRequiredService<TokenCredential>()));
        return services;
    }
}
