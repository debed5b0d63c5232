using CloneAI.Core.Knowledge;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloneAI.Local.Knowledge;

public static class KnowledgeIndexRegistration
{
    /// <summary>The SQLite retrieval index (needs the <see cref="Storage.SqliteDatabase"/> singleton) and <see cref="RetrievalOptions"/>.</summary>
    public static IServiceCollection AddCloneAILocalSearch(this IServiceCollection services)
    {
        services.AddOptions<RetrievalOptions>().BindConfiguration(RetrievalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<SqliteKnowledgeIndex>();
        services.TryAddSingleton<IKnowledgeIndex>(sp => sp.GetRequiredService<SqliteKnowledgeIndex>());
        return services;
    }
}
