using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloneAI.Core.Tests.Knowledge;

namespace CloneAI.Local.Tests;

/// <summary>Security finding 6 end to end: import-url answers 400 field errors for hostile sites and stores nothing.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class ImportUrlHardeningTests(LocalHostFixture host)
{
    private async Task<(TestUser Owner, string CloneId)> CloneAsync()
    {
        var owner = await host.NewUserAsync("import", creator: true);
        var clone = await host.CreateCloneAsync(owner.AccessToken, "Import " + Guid.NewGuid().ToString("N")[..8], false);
        return (owner, clone.GetProperty("id").GetString()!);
    }

    [Theory]
    [InlineData("javascript://example.com/%0Aalert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/a.txt")]
    [InlineData("data:text/html,<p>planted</p>")]
    public async Task ARedirectToAnotherSchemeIs400AndStoresNothing(string location)
    {
        var (owner, cloneId) = await CloneAsync();
        await using var site = new RawHttpServer((_, s, ct) => RawHttpServer.RedirectAsync(s, location, ct));
        using var client = host.Client(owner.AccessToken);
        var response = await client.PostAsJsonAsync($"/api/clones/{cloneId}/documents/import-url", new { url = site.Url + "go" });
        await HostileInputTests.AssertFieldError(response, HttpStatusCode.BadRequest, "url");
        var documents = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents");
        Assert.Equal(0, documents.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task ABodyThatTricklesPastTheTimeoutIs400Not499()
    {
        await using var own = await OwnHost.StartAsync(new()
        {
            ["Knowledge:ImportAllowPrivateNetworks"] = "true",
            ["Knowledge:ImportTimeoutSeconds"] = "2",
        });
        var owner = await own.UserAsync("trickle-owner", creator: true);
        using var client = own.Client(owner);
        var created = await client.PostAsJsonAsync("/api/clones", new { name = "Trickle", category = "science" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var cloneId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await using var site = new RawHttpServer(async (_, s, ct) =>
        {
            await RawHttpServer.WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n", ct);
            while (!ct.IsCancellationRequested)
            {
                await RawHttpServer.WriteAsync(s, "tides ", ct);
                await Task.Delay(500, ct);
            }
        });
        var response = await client.PostAsJsonAsync($"/api/clones/{cloneId}/documents/import-url", new { url = site.Url + "slow.txt" });
        await HostileInputTests.AssertFieldError(response, HttpStatusCode.BadRequest, "url");
        var documents = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents");
        Assert.Equal(0, documents.GetProperty("items").GetArrayLength());
    }
}
