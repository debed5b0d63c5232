using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloneAI.Local.Tests;

[Collection(LocalHostCollection.Name)]
public sealed partial class ApiDocsTests(LocalHostFixture host)
{
    [Fact]
    public async Task TheApiReferenceIsServedFromThePackageAndReadsTheOpenApiDocument()
    {
        // The page and its script are not API operations: a plain client reads them, the contract-checking one the document.
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var api = host.Client();

        var page = await client.GetAsync("/api/docs"); // redirected to /api/docs/, the folder its relative URLs need
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/api/docs/", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();

        // Every script is the host's own (no CDN), and the page's CSP allows exactly these scripts by their nonce.
        var scripts = ScriptTag().Matches(html).Select(m => m.Groups["src"].Value).ToList();
        Assert.Contains("scalar.js", scripts);
        Assert.All(scripts, s => Assert.DoesNotContain("//", s, StringComparison.Ordinal));
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        var nonce = Nonce().Match(html).Groups["nonce"].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"script-src 'self' 'nonce-{nonce}'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);

        var bundle = await client.GetAsync(new Uri(page.RequestMessage.RequestUri, "scalar.js"));
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Equal("text/javascript", bundle.Content.Headers.ContentType!.MediaType);
        Assert.Contains("@scalar/api-reference", await bundle.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The document the page reads, resolved as Scalar's helper resolves it (against the site root), is GET /api/openapi.json.
        var source = DocumentUrl().Match(html).Groups["url"].Value;
        var document = new Uri(host.BaseAddress, source);
        Assert.Equal("/api/openapi.json", document.AbsolutePath);
        var openApi = await api.GetFromJsonAsync<JsonElement>(document);
        Assert.StartsWith("3.", openApi.GetProperty("openapi").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherPathsUnderTheApiAreStillProblemNotFound()
    {
        using var client = host.Client();
        var response = await client.GetAsync("/api/docs-and-more");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var asset = await client.PostAsync("/api/docs/scalar.js", null);
        Assert.Equal(HttpStatusCode.NotFound, asset.StatusCode);
        Assert.Equal("application/problem+json", asset.Content.Headers.ContentType!.MediaType);
    }

    [GeneratedRegex("<script[^>]*\\ssrc=\"(?<src>[^\"]*)\"")]
    private static partial Regex ScriptTag();

    [GeneratedRegex("nonce=\"(?<nonce>[^\"]+)\"")]
    private static partial Regex Nonce();

    [GeneratedRegex("\"sources\":\\[\\{[^}]*\"url\":\"(?<url>[^\"]+)\"")]
    private static partial Regex DocumentUrl();
}
