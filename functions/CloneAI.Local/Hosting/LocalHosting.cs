using CloneAI.Core.Chat;
using CloneAI.Functions.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Hosting;

/// <summary>
/// What the Azure Functions host does for the function classes, done in one ASP.NET Core process: HTTP functions as routes,
/// orchestrations and activities on the in-process Durable backend, blob and timer triggers; plus the web app, the realtime
/// WebSocket endpoint, the API reference, the demo seed and console output meant for a person.
/// </summary>
public static partial class LocalHosting
{
    /// <summary>A Host header fit to be named in the CSP (a name or address and a port, nothing that could end a directive).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")]
    private static partial System.Text.RegularExpressions.Regex SafeHost();

    public static WebApplicationBuilder AddLocalHosting(this WebApplicationBuilder builder)
    {
        var local = builder.Configuration.GetSection(LocalOptions.Section).Get<LocalOptions>() ?? new LocalOptions();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = local.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new IdleChannelLogFilter(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(), sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(), sp.GetService<IExternalScopeProvider>()))));

        var services = builder.Services;
        services.AddMvcCore();
        services.AddLocalDurableFunctions(typeof(CloneAI.Functions.DependencyInjection).Assembly);
        services.AddHostedService<LocalBlobTriggers>();
        services.AddHostedService<IngestionResumer>();
        services.AddHostedService<UsageSettler>();
        // Issue 14 part 1: an ended session starts its SummarizeSession at once; summaries a crash cut short resume at start.
        services.AddSingleton<CloneAI.Core.Chat.ISessionEndObserver, CloneAI.Functions.Summaries.StartingSessionEndObserver>();
        services.AddHostedService<SummaryResumer>();
        // Issue 15 part 5: deletions a crash cut short finish, and unfinished exports resume, at start.
        services.AddHostedService<PrivacyResumer>();
        services.AddHostedService<LocalTimers>();
        services.AddHostedService<DemoSeeder>();
        return builder;
    }

    public static WebApplication UseLocalHosting(this WebApplication app)
    {
        var local = app.Services.GetRequiredService<IOptions<LocalOptions>>().Value;
        var dataDir = Path.GetFullPath(local.DataDir);
        app.Services.GetRequiredService<Backup.DataFolderLock>(); // held while the host runs: a restore refuses to run under it
        app.Services.GetRequiredService<SqliteDatabase>(); // migrate before the first request

        app.UseExceptionHandler(e => e.Run(context => FunctionRoutes.Execute(context, Problems.Internal())));
        var entra = string.Equals(app.Services.GetRequiredService<IOptions<CloneAI.Core.Auth.AuthOptions>>().Value.Mode, CloneAI.Core.Names.AuthModeEntra, StringComparison.OrdinalIgnoreCase);
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            headers["Permissions-Policy"] = WebAppHeaders.PermissionsPolicy;
            if (context.Request.Path.StartsWithSegments("/" + FunctionRoutes.Prefix))
            {
                // The API (its reference page sets a policy of its own): personal answers are never cached, as in Azure.
                PersonalResponses.Apply(context);
            }
            else
            {
                // The web app: its Content-Security-Policy, with the realtime WebSocket of this very origin.
                var host = context.Request.Host.Value;
                var socket = host is not null && SafeHost().IsMatch(host) ? (context.Request.IsHttps ? "wss://" : "ws://") + host : null;
                headers.ContentSecurityPolicy = WebAppHeaders.ContentSecurityPolicy(entra, socket);
            }
            return next(context);
        });
        var web = WebRoot.Serve(app, local.WebRoot);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        LocalRealtimeEndpoint.Map(app);
        ApiDocs.Map(app);
        FunctionRoutes.Map(app);

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var url = app.Urls.FirstOrDefault()?.TrimEnd('/');
            Console.WriteLine($"CloneAI is running at {string.Join(", ", app.Urls)}  (data: {dataDir}{(web is null ? "; web app not built" : "")})");
            Console.WriteLine($"API reference: {url}{ApiDocs.Path}/");
            foreach (var line in ResponderLines(app.Services.GetRequiredService<IOptions<ChatSettings>>().Value)) Console.WriteLine(line);
            Console.WriteLine("Press Ctrl+C to stop.");
        });
        app.Lifetime.ApplicationStopping.Register(() => Console.WriteLine("CloneAI is shutting down..."));
        return app;
    }

    /// <summary>The banner's lines on who answers questions, and for the offline default, how to use a local model instead.</summary>
    public static IEnumerable<string> ResponderLines(ChatSettings chat)
    {
        yield return $"Answers: {chat.ResponderDescription}";
        if (chat.Provider == ChatProviders.Extractive)
            yield return $"  To answer with a local model (Ollama): {OllamaExample}";
    }

    /// <summary>The one line that switches the local host to a model served by a local Ollama.</summary>
    public const string OllamaExample = "Chat__Provider=openai Chat__Endpoint=http://127.0.0.1:11434/v1 Chat__Model=llama3.2 ./run";
}
