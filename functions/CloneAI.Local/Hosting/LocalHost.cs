using CloneAI.Core;
using CloneAI.Functions;

namespace CloneAI.Local.Hosting;

/// <summary>The embedded host: one ASP.NET Core process that runs the same function classes as Azure, on local adapters.</summary>
public static class LocalHost
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <param name="args">Command line: <c>--data DIR</c>, <c>--urls URL</c> and any configuration key.</param>
    /// <param name="configure">Runs before the services are registered (configuration sources).</param>
    /// <param name="overrideServices">Runs after them, to replace an adapter (tests).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? overrideServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = Normalize(args) });
        builder.Configuration.AddInMemoryCollection(Defaults(builder.Configuration));
        configure?.Invoke(builder);
        if (string.IsNullOrEmpty(builder.Configuration["Auth:PublicBaseUrl"]))
            builder.Configuration["Auth:PublicBaseUrl"] = (builder.Configuration["urls"] ?? DefaultUrl).Split(';')[0];

        builder.Services.AddCloneAICore();
        builder.Services.AddCloneAIFunctions();
        builder.Services.AddCloneAILocal(builder.Configuration);
        builder.AddLocalHosting();
        overrideServices?.Invoke(builder.Services);
        return builder.Build().UseLocalHosting();
    }

    /// <summary>Accepts <c>--data DIR</c> and <c>--urls URL</c> as the README shows them.</summary>
    private static string[] Normalize(string[] args)
    {
        var result = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--data" && i + 1 < args.Length) { result.Add($"--{LocalOptions.Section}:DataDir={args[++i]}"); continue; }
            if (args[i].StartsWith("--data=", StringComparison.Ordinal)) { result.Add($"--{LocalOptions.Section}:DataDir={args[i][7..]}"); continue; }
            result.Add(args[i]);
        }
        return [.. result];
    }

    private static Dictionary<string, string?> Defaults(ConfigurationManager configuration)
    {
        var defaults = new Dictionary<string, string?>();
        if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["ASPNETCORE_URLS"])) defaults["urls"] = DefaultUrl;
        if (string.IsNullOrEmpty(configuration[$"{LocalOptions.Section}:DataDir"]))
            defaults[$"{LocalOptions.Section}:DataDir"] = Environment.GetEnvironmentVariable("CLONEAI_DATA") is { Length: > 0 } d ? d : ".cloneai-data";
        return defaults;
    }
}
