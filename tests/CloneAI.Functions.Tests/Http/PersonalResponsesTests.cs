using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using CloneAI.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace CloneAI.Functions.Tests.Http;

/// <summary>
/// Security finding 10 in the Functions worker's pipeline (the local host runs the same rule in its own middleware): personal
/// responses are never cached; the web app's policy allows what it loads.
/// </summary>
public sealed class PersonalResponsesTests
{
    private static DefaultHttpContext Context(string path, string? bearer = null, string? query = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        if (query is not null) context.Request.QueryString = new QueryString(query);
        if (bearer is not null) context.Request.Headers.Authorization = "Bearer " + bearer;
        return context;
    }

    /// <summary>Runs the worker middleware around a function that may set its own Cache-Control.</summary>
    private static async Task<string> Invoke(HttpContext http, string? functionSets = null)
    {
        var function = new Mock<FunctionContext>();
        // Where the ASP.NET Core integration keeps the request's HttpContext (FunctionContext.GetHttpContext reads it).
        function.SetupGet(f => f.Items).Returns(new Dictionary<object, object> { ["HttpRequestContext"] = http });
        Assert.Same(http, function.Object.GetHttpContext());
        await new PersonalResponsesMiddleware().Invoke(function.Object, _ =>
        {
            if (functionSets is not null) http.Response.Headers.CacheControl = functionSets;
            return Task.CompletedTask;
        });
        return http.Response.Headers.CacheControl.ToString();
    }

    [Theory]
    [InlineData("/api/me")]
    [InlineData("/api/sessions/s1")]
    [InlineData("/api/wallet")]
    [InlineData("/api/clones")]
    public async Task ASignedInRequestsResponseIsNoStore(string path) =>
        Assert.Equal("no-store", await Invoke(Context(path, bearer: "token")));

    [Theory]
    [InlineData("/api/auth/login")]
    [InlineData("/api/auth/refresh")]
    [InlineData("/API/Auth/signup")]
    public async Task ResponsesThatHandOutTokensAreNoStore(string path) => Assert.Equal("no-store", await Invoke(Context(path)));

    [Fact]
    public async Task ALinkThatCarriesATokenIsNoStore() =>
        Assert.Equal("no-store", await Invoke(Context("/api/me/export/download", query: "?token=abc")));

    [Fact]
    public async Task AnAnonymousPublicReadIsLeftAlone() => Assert.Equal("", await Invoke(Context("/api/clones")));

    [Fact]
    public async Task AFunctionThatServesSomethingPublicMayStillSaySo() =>
        Assert.Equal("public, max-age=300", await Invoke(Context("/api/users/u1/avatar", bearer: "token"), functionSets: "public, max-age=300"));

    [Fact]
    public void TheWorkersPipelineRunsTheMiddleware()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        var builder = new Mock<IFunctionsWorkerApplicationBuilder>();
        builder.SetupGet(b => b.Services).Returns(services);
        builder.Setup(b => b.Use(It.IsAny<Func<FunctionExecutionDelegate, FunctionExecutionDelegate>>())).Returns(builder.Object);

        builder.Object.UseCloneAIFunctions();

        builder.Verify(b => b.Use(It.IsAny<Func<FunctionExecutionDelegate, FunctionExecutionDelegate>>()), Times.Once);
        Assert.Contains(services, d => d.ServiceType == typeof(PersonalResponsesMiddleware));
        // And the deployed host's Program.cs asks for it.
        var program = File.ReadAllText(Path.Combine(Repo(), "functions", "CloneAI.Functions.Host", "Program.cs"));
        Assert.Contains("builder.UseCloneAIFunctions();", program, StringComparison.Ordinal);
    }

    private static string Repo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CloneAI.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository was not found.");
    }

    [Fact]
    public void TheWebAppsPolicyAllowsItsOwnOriginAndInEntraModeTheSignInEndpoints()
    {
        var local = WebAppHeaders.ContentSecurityPolicy(entra: false, "ws://127.0.0.1:5000");
        Assert.Contains("connect-src 'self' ws://127.0.0.1:5000;", local, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", local, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", local, StringComparison.Ordinal);
        Assert.DoesNotContain("ciamlogin", local, StringComparison.Ordinal);
        var entra = WebAppHeaders.ContentSecurityPolicy(entra: true);
        Assert.Contains("connect-src 'self' https://login.microsoftonline.com https://*.ciamlogin.com;", entra, StringComparison.Ordinal);
    }
}
