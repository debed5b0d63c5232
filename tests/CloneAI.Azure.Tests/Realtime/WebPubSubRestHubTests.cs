using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Core;
using CloneAI.Azure.Realtime;
using CloneAI.Core.Chat;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CloneAI.Azure.Tests.Realtime;

/// <summary>The hand-written Web PubSub REST client against its contract: URLs, api-version, the auth header, the body.</summary>
public sealed class WebPubSubRestHubTests
{
    private const string Key = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789==";
    private const string KeyConnection = "Endpoint=https://cloneai-test.webpubsub.azure.com;AccessKey=" + Key + ";Version=1.0;";

    private sealed class Recorder : HttpMessageHandler
    {
        public List<(HttpRequestMessage Request, string Body)> Requests { get; } = [];
        public Func<HttpRequestMessage, HttpResponseMessage> Answer { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.Accepted);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request, request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken)));
            return Answer(request);
        }
    }

    private sealed class FixedCredential : TokenCredential
    {
        public List<string[]> Scopes { get; } = [];
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();
        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.Add(requestContext.Scopes);
            return ValueTask.FromResult(new AccessToken("entra-token", DateTimeOffset.UtcNow.AddHours(1)));
        }
    }

    private static (WebPubSubRestHub Hub, Recorder Http, FixedCredential Credential) Create(WebPubSubOptions options)
    {
        var http = new Recorder();
        var credential = new FixedCredential();
        return (new WebPubSubRestHub(new HttpClient(http), Options.Create(options), credential, TimeProvider.System), http, credential);
    }

    private static async Task<TokenValidationResult> ValidateAsync(string token, string audience) =>
        await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidAudience = audience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Key)),
        });

    [Fact]
    public async Task SendingToAGroupPostsTheFrameSignedWithTheAccessKeyForThatExactUrl()
    {
        var (hub, http, _) = Create(new WebPubSubOptions { ConnectionString = KeyConnection });
        await hub.SendToGroupAsync("session-abc", new DeltaFrame("abc", "m1", "Hello"));

        var (request, body) = Assert.Single(http.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://cloneai-test.webpubsub.azure.com/api/hubs/cloneai/groups/session-abc/:send?api-version=2024-01-01", request.RequestUri!.AbsoluteUri);
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        var frame = JsonDocument.Parse(body).RootElement;
        Assert.Equal("delta", frame.GetProperty("type").GetString());
        Assert.Equal("Hello", frame.GetProperty("text").GetString());
        Assert.Equal("Bearer", request.Headers.Authorization!.Scheme);
        var validated = await ValidateAsync(request.Headers.Authorization.Parameter!, request.RequestUri.AbsoluteUri);
        Assert.True(validated.IsValid, validated.Exception?.Message);
    }

    [Fact]
    public async Task GroupAndUserNamesAreEscapedInThePath()
    {
        var (hub, http, _) = Create(new WebPubSubOptions { ConnectionString = KeyConnection });
        await hub.SendToUserAsync("user a/b", new { type = "ping" });
        await hub.AddUserToGroupAsync("u1", "user-u1");
        Assert.Equal("/api/hubs/cloneai/users/user%20a%2Fb/:send", http.Requests[0].Request.RequestUri!.AbsolutePath);
        Assert.Equal(HttpMethod.Put, http.Requests[1].Request.Method);
        Assert.Equal("https://cloneai-test.webpubsub.azure.com/api/hubs/cloneai/users/u1/groups/user-u1?api-version=2024-01-01", http.Requests[1].Request.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public async Task AClientTokenFromTheKeyNamesTheClientUrlTheUserAndOnlyTheGivenGroups()
    {
        var (hub, http, _) = Create(new WebPubSubOptions { ConnectionString = KeyConnection });
        var connection = await hub.GetClientConnectionAsync("u-1", ["user-u-1", "session-s1"], TimeSpan.FromMinutes(30));
        Assert.Empty(http.Requests);
        Assert.Equal("wss://cloneai-test.webpubsub.azure.com/client/hubs/cloneai", connection.BaseUrl);
        Assert.StartsWith(connection.BaseUrl + "?access_token=", connection.Url, StringComparison.Ordinal);
        var validated = await ValidateAsync(connection.AccessToken, "https://cloneai-test.webpubsub.azure.com/client/hubs/cloneai");
        Assert.True(validated.IsValid, validated.Exception?.Message);
        Assert.Equal("u-1", validated.ClaimsIdentity.FindFirst("sub")!.Value);
        Assert.Equal(["webpubsub.joinLeaveGroup.session-s1", "webpubsub.joinLeaveGroup.user-u-1"],
            validated.ClaimsIdentity.FindAll("role").Select(c => c.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WithoutAKeyRequestsCarryAnEntraTokenAndClientTokensComeFromGenerateToken()
    {
        var (hub, http, credential) = Create(new WebPubSubOptions { Endpoint = new Uri("https://cloneai-test.webpubsub.azure.com") });
        http.Answer = r => r.RequestUri!.AbsolutePath.EndsWith("/:generateToken", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"token\":\"service-made\"}", Encoding.UTF8, "application/json") }
            : new HttpResponseMessage(HttpStatusCode.Accepted);
        await hub.SendToGroupAsync("session-1", new { type = "start" });
        var connection = await hub.GetClientConnectionAsync("u 1", ["user-u1"], TimeSpan.FromMinutes(60));

        Assert.All(http.Requests, r => Assert.Equal("entra-token", r.Request.Headers.Authorization!.Parameter));
        Assert.All(credential.Scopes, s => Assert.Equal(["https://webpubsub.azure.com/.default"], s));
        var generate = http.Requests[1].Request.RequestUri!;
        Assert.Equal("/api/hubs/cloneai/:generateToken", generate.AbsolutePath);
        Assert.Contains("api-version=2024-01-01", generate.Query, StringComparison.Ordinal);
        Assert.Contains("userId=u%201", generate.Query, StringComparison.Ordinal);
        Assert.Contains("role=webpubsub.joinLeaveGroup.user-u1", generate.Query, StringComparison.Ordinal);
        Assert.Contains("minutesToExpire=60", generate.Query, StringComparison.Ordinal);
        Assert.Equal("service-made", connection.AccessToken);
    }

    [Fact]
    public async Task AServiceErrorIsReportedWithItsStatus()
    {
        var (hub, http, _) = Create(new WebPubSubOptions { ConnectionString = KeyConnection });
        http.Answer = _ => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("no") };
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => hub.SendToGroupAsync("g", new { }));
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
    }

    [Fact]
    public void AConnectionStringWithoutAnEndpointIsRefused() =>
        Assert.Throws<InvalidOperationException>(() => new WebPubSubOptions { ConnectionString = "AccessKey=abc" }.Resolve());
}
