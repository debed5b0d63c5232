using CloneAI.Core.Accounts;
using CloneAI.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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

    /// <summary>
    /// The Functions worker's pipeline steps that the local host takes in its own middleware (issue 15, hardening):
    /// <c>Cache-Control: no-store</c> on personal responses.
    /// </summary>
    public static IFunctionsWorkerApplicationBuilder UseCloneAIFunctions(this IFunctionsWorkerApplicationBuilder builder) =>
        builder.UseMiddleware<PersonalResponsesMiddleware>();
}
