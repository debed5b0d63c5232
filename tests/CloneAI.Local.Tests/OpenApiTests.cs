using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

[Collection(LocalHostCollection.Name)]
public sealed class OpenApiTests(LocalHostFixture host)
{
    [Fact]
    public async Task TheOpenApiDocumentDescribesExactlyTheRoutesTheHostMaps()
    {
        var mapped = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal) && !e.RoutePattern.RawText.Contains("**", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m.ToLowerInvariant()} {e.RoutePattern.RawText}"))
            .ToHashSet();

        using var client = host.Client();
        var doc = await client.GetFromJsonAsync<JsonElement>("/api/openapi.json");
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var described = doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(op => $"{op.Name} {p.Name}"))
            .ToHashSet();

        Assert.True(mapped.Count >= 25, $"only {mapped.Count} routes mapped");
        Assert.Empty(mapped.Except(described));
        Assert.Empty(described.Except(mapped));

        foreach (var path in doc.GetProperty("paths").EnumerateObject())
            foreach (var op in path.Value.EnumerateObject())
                Assert.False(string.IsNullOrWhiteSpace(op.Value.GetProperty("summary").GetString()), $"{op.Name} {path.Name} has no summary");
    }
}
