using CloneAI.Core.Accounts;
using CloneAI.Core.Clones;
using CloneAI.Core.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloneAI.Core;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the application services. Hosts add the adapters for the ports. Built-in accounts
    /// (<see cref="AccountService"/>) need local-only ports, so the local host registers them itself.
    /// </summary>
    public static IServiceCollection AddCloneAICore(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UserService>();
        services.AddSingleton<CloneService>();
        return services;
    }
}
