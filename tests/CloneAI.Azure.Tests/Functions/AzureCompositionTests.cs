using System.Text.Json;
using CloneAI.Core;
using CloneAI.Functions;
using CloneAI.Functions.Api.Ops;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Azure.Tests.Functions;

/// <summary>The services the deployed host composes (as its Program.cs does) can create every function class.</summary>
public sealed class AzureCompositionTests
{
    private static ServiceProvider BuildLikeTheHost()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cosmos:Endpoint"] = "https://cloneai-test.documents.azure.com:443/",
            ["Blob:ServiceUri"] = "https://cloneaitest.blob.core.windows.net",
            ["AzureAd:Instance"] = "https://cloneaitest.ciamlogin.com/",
            ["AzureAd:TenantId"] = "11111111-1111-1111-1111-111111111111",
            ["AzureAd:ClientId"] = "22222222-2222-2222-2222-222222222222",
            ["Auth:Mode"] = Names.AuthModeEntra,
            // As infra/bicep sets them for the Function App.
            ["Embeddings:Provider"] = "azure-openai",
            ["Embeddings:Endpoint"] = "https://cloneai-test.openai.azure.com/",
            ["Embeddings:Model"] = "text-embedding-3-small",
            ["Search:Endpoint"] = "https://cloneai-test.search.windows.net",
            ["Search:Dimensions"] = "1536",
            ["Chat:Endpoint"] = "https://cloneai-test.openai.azure.com/",
            ["Chat:Model"] = "gpt-4o-mini",
            ["WebPubSub:Endpoint"] = "https://cloneai-test.webpubsub.azure.com",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<global::Azure.Core.TokenCredential>(new OfflineCredential());
        services.AddCloneAICore();
        services.AddCloneAIFunctions();
        services.AddCloneAIAzure(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>Every class with an instance [Function] method: HTTP APIs, the blob trigger, activities (orchestrators are static).</summary>
    public static TheoryData<string> FunctionClasses() =>
        [.. typeof(RouteCatalog).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false }
                && t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
                    .Any(m => m.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.FunctionAttribute), false).Length > 0))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(FunctionClasses))]
    public void EveryFunctionClassCanBeCreated(string className)
    {
        using var provider = BuildLikeTheHost();
        using var scope = provider.CreateScope();
        var type = typeof(RouteCatalog).Assembly.GetType(className, throwOnError: true)!;

        // What the worker's DefaultFunctionActivator does for each invocation.
        var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, type);

        Assert.IsType(type, instance);
    }

    [Fact]
    public void TheClientConfigHandsTheWebAppTheAzureAdAppRegistration()
    {
        using var provider = BuildLikeTheHost();
        using var scope = provider.CreateScope();
        var ops = ActivatorUtilities.CreateInstance<OpsApi>(scope.ServiceProvider);

        var result = Assert.IsType<OkObjectResult>(ops.ClientConfig(new DefaultHttpContext().Request));
        var entra = JsonSerializer.SerializeToElement(result.Value, JsonSerializerOptions.Web).GetProperty("entra");

        Assert.Equal("22222222-2222-2222-2222-222222222222", entra.GetProperty("clientId").GetString());
        Assert.Equal("https://cloneaitest.ciamlogin.com/11111111-1111-1111-1111-111111111111", entra.GetProperty("authority").GetString());
        Assert.Equal("api://22222222-2222-2222-2222-222222222222/access_as_user", entra.GetProperty("scopes")[0].GetString());
        Assert.Equal("cloneaitest.ciamlogin.com", entra.GetProperty("knownAuthorities")[0].GetString());
    }
}
