using System.Security.Cryptography;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Routing.Template;
using Scalar.AspNetCore;

namespace CloneAI.Local.Hosting;

/// <summary>
/// <c>/api/docs</c>: a readable API reference (Scalar) of <c>GET /api/openapi.json</c>. Scalar's page and script come from
/// the Scalar.AspNetCore package itself, so it works offline: no CDN, no web fonts, no telemetry, no AI agent, no toolbar of
/// online services, and a Content-Security-Policy that lets the page load nothing from elsewhere.
/// </summary>
/// <remarks>
/// Scalar's endpoints are kept in a route table of their own and reached through one catch-all route, <c>/api/docs/{**asset}</c>:
/// it outranks the API's catch-all 404 (<c>/api/{**rest}</c>), and the host's endpoint list keeps only the API's routes.
/// </remarks>
public static class ApiDocs
{
    public const string Path = "/api/docs";
    public const string OpenApiDocument = "/api/openapi.json";
    private const string NonceKey = "CloneAI.ApiDocs.Nonce";

    public static void Map(WebApplication app)
    {
        var scalar = new PrivateRoutes(app.Services, ((IEndpointRouteBuilder)app).CreateApplicationBuilder);
        scalar.MapScalarApiReference(Path, (options, context) =>
        {
            options.WithTitle("CloneAI API reference").WithOpenApiRoutePattern(OpenApiDocument);
            options.DefaultFonts = false;
            options.Telemetry = false;
            options.Agent = new ScalarAgentOptions { Disabled = true };
            options.ShowDeveloperTools = DeveloperToolsVisibility.Never; // its buttons lead to Scalar's online services
            options.Nonce = context.Items[NonceKey] as string;
        });
        var routes = scalar.DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .OrderBy(e => e.RoutePattern.Parameters.Count) // literal assets before the page's {documentName?}
            .Select(e => (Endpoint: e, Matcher: new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary(e.RoutePattern.Defaults)),
                Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .ToList();

        app.Map(Path + "/{**asset}", async context =>
        {
            foreach (var (endpoint, matcher, methods) in routes)
            {
                var values = new RouteValueDictionary();
                if (!matcher.TryMatch(context.Request.Path, values) || (methods.Count > 0 && !methods.Contains(context.Request.Method))) continue;
                var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)); // hex: nothing for the page to escape
                context.Items[NonceKey] = nonce;
                context.Response.Headers.ContentSecurityPolicy =
                    $"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
                    "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
                context.Request.RouteValues = values;
                context.SetEndpoint(endpoint);
                await endpoint.RequestDelegate!(context);
                return;
            }
            await FunctionRoutes.Execute(context, Problems.Create(404, "Not found", "No page of the API reference matches this path."));
        });
    }

    /// <summary>A route table that only <see cref="Map"/> reads: endpoints added here are not the host's.</summary>
    private sealed class PrivateRoutes(IServiceProvider services, Func<IApplicationBuilder> createApplicationBuilder) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;
        public ICollection<EndpointDataSource> DataSources { get; } = [];
        public IApplicationBuilder CreateApplicationBuilder() => createApplicationBuilder();
    }
}
