using CloneAI.Functions.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Functions;

public static class DependencyInjection
{
    /// <summary>What the function classes need besides Core: the request authenticator.</summary>
    public static IServiceCollection AddCloneAIFunctions(this IServiceCollection services)
    {
        services.AddSingleton<RequestAuth>();
        return services;
    }
}
