using CloneAI.Core.Accounts;
using CloneAI.Functions.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Functions;

public static class DependencyInjection
{
    /// <summary>
    /// What the function classes need besides Core: the request authenticator, and the Entra app registration that
    /// <c>GET /api/config</c> hands to the web app.
    /// </summary>
    public static IServiceCollection AddCloneAIFunctions(this IServiceCollection services)
    {
        services.AddSingleton<RequestAuth>();
        services.AddOptions<AzureAdOptions>().BindConfiguration(AzureAdOptions.Section);
        return services;
    }
}
