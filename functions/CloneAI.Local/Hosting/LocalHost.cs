using CloneAI.Core.Auth;
using CloneAI.Core.Blobs;
using CloneAI.Core.Clones;
using CloneAI.Core.Email;
using CloneAI.Core.Realtime;
using CloneAI.Core.Users;
using CloneAI.Core;
using CloneAI.Core.Accounts;
using CloneAI.Core.Knowledge;
using CloneAI.Functions;
using CloneAI.Functions.Http;
using CloneAI.Local.Auth;
using CloneAI.Local.Email;
using CloneAI.Local.Embeddings;
using CloneAI.Local.Knowledge;
using CloneAI.Local.Realtime;
using CloneAI.Core.Chat;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using CloneAI.Local.Storage;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

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

        var local = builder.Configuration.GetSection(LocalOptions.Section).Get<LocalOptions>() ?? new LocalOptions();
        var dataDir = Path.GetFullPath(local.DataDir);
        Directory.CreateDirectory(dataDir);

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = local.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);

        var services = builder.Services;
        services.AddOptions<LocalOptions>().BindConfiguration(LocalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddCloneAICore();
        services.AddCloneAIFunctions();
        services.AddMvcCore();

        services.AddSingleton(sp => new SqliteDatabase(Path.Combine(dataDir, "cloneai.db"), sp.GetRequiredService<ILogger<SqliteDatabase>>()));
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<ICloneStore, SqliteCloneStore>();
        services.AddSingleton<IAccountStore, SqliteAccountStore>();
        var blobs = new FileBlobStore(Path.Combine(dataDir, "blobs"));
        services.AddSingleton(blobs);
        services.AddSingleton<IBlobStore>(blobs);
        services.AddSingleton<IDocumentStore, SqliteDocumentStore>();
        services.AddLocalOnnxEmbeddings(builder.Configuration);
        services.AddSingleton<Tokenizer>(sp => sp.GetService<OnnxEmbeddingGenerator>()?.Tokenizer ?? TiktokenTokenizer.CreateForModel("text-embedding-3-small"));
        services.AddCloneAILocalSearch();
        services.AddLocalDurableFunctions(typeof(CloneAI.Functions.DependencyInjection).Assembly);
        services.AddHostedService<LocalBlobTriggers>();
        services.AddHostedService<IngestionResumer>();

        services.AddSingleton<IEmailSender>(sp => new OutboxEmailSender(Path.Combine(dataDir, "outbox"),
            sp.GetRequiredService<IOptions<EmailOptions>>(), sp.GetRequiredService<ILogger<OutboxEmailSender>>()));
        services.AddSingleton<AccountService>();

        var key = LocalJwt.LoadKey(builder.Configuration["Auth:SigningKey"], dataDir);
        services.AddSingleton<IAccessTokenIssuer>(sp => new LocalJwt(key, sp.GetRequiredService<IOptions<AuthOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISessionStore, SqliteSessionStore>();
        services.AddSingleton(sp => new LocalRealtimeHub(key, sp.GetRequiredService<IOptions<AuthOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LocalRealtimeHub>>()));
        services.AddSingleton<IRealtimeHub>(sp => sp.GetRequiredService<LocalRealtimeHub>());
        services.AddSingleton<IResponder>(sp => LocalChat.Create(sp.GetRequiredService<IOptions<ChatSettings>>()));
        services.AddHostedService<LocalTimers>();
        services.AddHostedService<DemoSeeder>();
        services.AddAuthentication(RequestAuth.Scheme).AddJwtBearer(RequestAuth.Scheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = LocalJwt.ValidationParameters(key);
        });

        overrideServices?.Invoke(services);
        var app = builder.Build();
        app.Services.GetRequiredService<SqliteDatabase>(); // migrate before the first request

        app.UseExceptionHandler(e => e.Run(context => FunctionRoutes.Execute(context, Problems.Internal())));
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            return next(context);
        });
        var web = FindWebRoot(local.WebRoot);
        if (web is not null)
        {
            var files = new PhysicalFileProvider(web);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
            app.MapFallbackToFile("index.html", new StaticFileOptions { FileProvider = files });
        }
        else
        {
            app.MapGet("/", () => Results.Text(
                "<!doctype html><title>CloneAI</title><h1>CloneAI API is running</h1><p>The web app is not built. Run <code>./run</code> from the repository, or <code>npm run build</code> in static-web.</p>",
                "text/html"));
        }
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        LocalRealtimeEndpoint.Map(app);
        FunctionRoutes.Map(app);

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var urls = string.Join(", ", app.Urls);
            Console.WriteLine($"CloneAI is running at {urls}  (data: {dataDir}{(web is null ? "; web app not built" : "")})");
            Console.WriteLine("Press Ctrl+C to stop.");
        });
        app.Lifetime.ApplicationStopping.Register(() => Console.WriteLine("CloneAI is shutting down..."));
        return app;
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

    private static string? FindWebRoot(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return File.Exists(Path.Combine(configured, "index.html")) ? Path.GetFullPath(configured) : null;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "static-web", "dist");
                if (File.Exists(Path.Combine(candidate, "index.html"))) return candidate;
            }
        }
        return null;
    }
}
