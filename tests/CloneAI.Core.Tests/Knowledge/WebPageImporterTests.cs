using System.Net;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Core.Tests.Knowledge;

/// <summary>Security finding 6: import-url follows only http(s), keeps one deadline, says nothing about internal names, uses no proxy.</summary>
[Collection(SystemProxyCollection.Name)]
public sealed class WebPageImporterTests
{
    private static WebPageImporter Importer(bool allowPrivate = true, int timeoutSeconds = 20)
    {
        var services = new ServiceCollection();
        services.AddOptions<KnowledgeOptions>().Configure(o =>
        {
            o.ImportAllowPrivateNetworks = allowPrivate;
            o.ImportTimeoutSeconds = timeoutSeconds;
        });
        WebPageImporter.Register(services);
        return services.BuildServiceProvider().GetRequiredService<WebPageImporter>();
    }

    private static async Task<string> UrlError(Func<Task> fetch)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(fetch);
        return Assert.Single(e.Errors["url"]);
    }

    [Theory]
    [InlineData("javascript://example.com/%0Aalert(1)")]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/notes.txt")]
    [InlineData("data:text/html,<p>planted</p>")]
    [InlineData("gopher://127.0.0.1:6379/_INFO")]
    public async Task ARedirectToAnotherSchemeIsAFieldErrorNotFollowed(string location)
    {
        await using var site = new RawHttpServer((_, s, ct) => RawHttpServer.RedirectAsync(s, location, ct));
        var message = await UrlError(() => Importer().FetchAsync(site.Url + "start"));
        Assert.Contains("not http:// or https://", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedirectsBetweenHttpPagesAreFollowedAndTheFinalAddressIsKept()
    {
        await using var site = new RawHttpServer((path, s, ct) => path switch
        {
            "/start" => RawHttpServer.RedirectAsync(s, "/middle", ct),
            "/middle" => RawHttpServer.RedirectAsync(s, $"http://127.0.0.1:{PortOf(s)}/tides", ct),
            _ => RawHttpServer.PageAsync(s, "<html><body><p>Tides rise twice a day.</p></body></html>", ct),
        });
        var page = await Importer().FetchAsync(site.Url + "start");
        Assert.Equal(site.Url + "tides", page.Url);
        Assert.Equal(3, site.Requests);
    }

    [Fact]
    public async Task EndlessRedirectsStopAfterFive()
    {
        await using var site = new RawHttpServer((path, s, ct) => RawHttpServer.RedirectAsync(s, path + "x", ct));
        var message = await UrlError(() => Importer().FetchAsync(site.Url + "loop"));
        Assert.Contains("more than 5", message, StringComparison.Ordinal);
        Assert.Equal(WebPageImporter.MaxRedirects + 1, site.Requests);
    }

    [Fact]
    public async Task ARedirectCannotLeadToAPrivateAddressWhenThoseAreRefused()
    {
        // The first hop is refused already (loopback); a redirect to 10.x is checked at connect time like any address.
        Assert.False(WebPageImporter.IsPublic(IPAddress.Parse("10.0.0.1")));
        await using var site = new RawHttpServer((_, s, ct) => RawHttpServer.RedirectAsync(s, "http://10.0.0.1/", ct));
        Assert.Equal(WebPageImporter.NotReachable, await UrlError(() => Importer(allowPrivate: false).FetchAsync(site.Url)));
        Assert.Equal(0, site.Requests);
    }

    [Fact]
    public async Task ABodyThatTricklesPastTheTimeoutIsAFieldError()
    {
        await using var site = new RawHttpServer(async (_, s, ct) =>
        {
            await RawHttpServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n", ct);
            for (var i = 0; i < 1000; i++)
            {
                await RawHttpServer.WriteAsync(s, "a", ct);
                await Task.Delay(200, ct);
            }
        });
        var started = System.Diagnostics.Stopwatch.StartNew();
        var message = await UrlError(() => Importer(timeoutSeconds: 1).FetchAsync(site.Url + "slow.txt"));
        Assert.Contains("within 1 seconds", message, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task TheCallersOwnCancellationIsStillACancellation()
    {
        await using var site = new RawHttpServer(async (_, s, ct) => await Task.Delay(Timeout.Infinite, ct));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Importer().FetchAsync(site.Url, cancel.Token));
    }

    [Fact]
    public async Task RefusedAndUnreachableAddressesGetTheSameAnswer()
    {
        await using var site = new RawHttpServer((_, s, ct) => RawHttpServer.PageAsync(s, "<p>intranet</p>", ct));
        var importer = Importer(allowPrivate: false);
        var messages = new[]
        {
            await UrlError(() => importer.FetchAsync($"http://localhost:{site.Port}/")),          // an internal name, private address
            await UrlError(() => importer.FetchAsync($"http://127.0.0.1:{site.Port}/")),          // a private address
            await UrlError(() => importer.FetchAsync("http://no-such-host.invalid/")),            // a name that does not resolve
            await UrlError(() => Importer(allowPrivate: true).FetchAsync("http://127.0.0.1:1/")), // nothing listening
        };
        Assert.All(messages, m => Assert.Equal(WebPageImporter.NotReachable, m));
        Assert.Equal(0, site.Requests);
    }

    [Theory]
    [InlineData("64:ff9b::a00:1")]          // NAT64 of 10.0.0.1
    [InlineData("64:ff9b::7f00:1")]         // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe")]      // NAT64 of 169.254.169.254 (cloud metadata)
    [InlineData("64:ff9b:1::808:808")]      // local-use NAT64: never public
    [InlineData("2002:a00:1::1")]           // 6to4 of 10.0.0.1
    [InlineData("2002:c0a8:101::")]         // 6to4 of 192.168.1.1
    [InlineData("2002:7f00:1::1")]          // 6to4 of 127.0.0.1
    [InlineData("::ffff:10.0.0.1")]         // IPv4-mapped
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::10.0.0.1")]              // IPv4-compatible
    [InlineData("::127.0.0.1")]
    [InlineData("2001:0:4136:e378:8000:63bf:f5ff:fffe")] // Teredo, client 10.0.0.1 (inverted)
    [InlineData("2001:0:a00:1::1")]         // Teredo, server 10.0.0.1
    [InlineData("fe80::5efe:a00:1")]        // ISATAP (link-local anyway)
    [InlineData("2600::5efe:a00:1")]        // ISATAP of 10.0.0.1 under a global prefix
    [InlineData("2001:db8::1")]             // documentation
    [InlineData("::1")]
    [InlineData("fd00::1")]
    [InlineData("198.18.0.1")]
    [InlineData("100.64.0.1")]
    public void AddressesThatLeadToPrivateNetworksAreNotPublic(string address) =>
        Assert.False(WebPageImporter.IsPublic(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("64:ff9b::808:808")]        // NAT64 of 8.8.8.8
    [InlineData("2002:808:808::1")]         // 6to4 of 8.8.8.8
    [InlineData("2001:0:4136:e378:8000:63bf:f7f7:f7f7")] // Teredo, public server and client 8.8.8.8
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    public void PublicAddressesArePublic(string address) =>
        Assert.True(WebPageImporter.IsPublic(IPAddress.Parse(address)), address);

    [Fact]
    public void TheImportClientNeverUsesAProxyNorFollowsRedirectsByItself()
    {
        using var handler = WebPageImporter.CreateHandler(allowPrivate: false);
        Assert.False(handler.UseProxy);
        Assert.False(handler.AllowAutoRedirect);
    }

    [Fact]
    public async Task ASystemProxyIsNotUsed()
    {
        await using var site = new RawHttpServer((_, s, ct) => RawHttpServer.PageAsync(s, "<p>direct</p>", ct));
        await using var proxy = new RawHttpServer((_, s, ct) => RawHttpServer.PageAsync(s, "<p>through the proxy</p>", ct));
        var before = HttpClient.DefaultProxy;
        HttpClient.DefaultProxy = new WebProxy(proxy.Url) { BypassProxyOnLocal = false };
        try
        {
            var page = await Importer().FetchAsync(site.Url + "page");
            Assert.Contains("direct", System.Text.Encoding.UTF8.GetString(page.Data), StringComparison.Ordinal);
            Assert.Equal(0, proxy.Requests);
        }
        finally
        {
            HttpClient.DefaultProxy = before;
        }
    }

    private static int PortOf(Stream stream) => stream is System.Net.Sockets.NetworkStream n ? ((IPEndPoint)n.Socket.LocalEndPoint!).Port : 0;
}

/// <summary>Tests that change <see cref="HttpClient.DefaultProxy"/> run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SystemProxyCollection
{
    public const string Name = "system proxy";
}
