using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Search.Documents.Indexes;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CloneAI.Azure.Knowledge;

public static class SearchRegistration
{
    /// <summary>
    /// Azure AI Search as the <see cref="IKnowledgeIndex"/>: options from <c>Search</c> and <c>Retrieval</c>, one
    /// <see cref="SearchIndexClient"/> and one <see cref="Azure.Search.Documents.SearchClient"/> (API key if configured, else the
    /// registered <see cref="TokenCredential"/>, by default <see cref="DefaultAzureCredential"/>). Ingestion embeds whole chunks
    /// here (<see cref="KnowledgeOptions.SegmentVectors"/> off): the index holds one vector per chunk.
    /// </summary>
    public static IServiceCollection AddCloneAIAzureSearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AiSearchOptions>().Bind(configuration.GetSection(AiSearchOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetrievalOptions>().Bind(configuration.GetSection(RetrievalOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AiSearchOptions>>().Value;
            return string.IsNullOrWhiteSpace(o.ApiKey)
                ? new SearchIndexClient(o.Endpoint, sp.GetRequiredService<TokenCredential>())
                : new SearchIndexClient(o.Endpoint, new AzureKeyCredential(o.ApiKey));
        });
        services.TryAddSingleton(sp => sp.GetRequiredService<SearchIndexClient>()
            .GetSearchClient(sp.GetRequiredService<IOptions<AiSearchOptions>>().Value.IndexName));
        services.TryAddSingleton<AzureSearchKnowledgeIndex>();
        services.TryAddSingleton<IKnowledgeIndex>(sp => sp.GetRequiredService<AzureSearchKnowledgeIndex>());
        // AI Search holds one vector per chunk: embed whole chunks rather than average segment vectors.
        services.PostConfigure<KnowledgeOptions>(o => o.SegmentVectors = false);
        return services;
    }
}
