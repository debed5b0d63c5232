using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloneAI.Core.Users;
using CloneAI.Core;
using CloneAI.Core.Domain;
using CloneAI.Functions;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CloneAI.Azure.Tests.Identity;

/// <summary>
/// The Functions host's token validation (Microsoft.Identity.Web, composed as the host composes it) against a loopback OpenID
/// provider that serves its metadata and JWKS: the wrong issuer, the wrong audience, an expired token and a missing scope are
/// refused, and a good token becomes the same kind of user record the local mode creates.
/// </summary>
public sealed class EntraTokenTests : IAsyncLifetime
{
    private const string TenantId = "11111111-1111-1111-1111-111111111111";
    private const string ClientId = "22222222-2222-2222-2222-222222222222";
    private const string Scope = "access_as_user";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly Dictionary<string, User> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _deleted = new(StringComparer.Ordinal);
    private HttpListener _idp = null!;
    private Task _idpLoop = null!;
    private string _authority = "";
    private WebApplication _api = null!;
    private HttpClient _http = null!;

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private string Issuer => $"{_authority}{TenantId}/v2.0";

    public async Task InitializeAsync()
    {
        _authority = $"http://127.0.0.1:{FreePort()}/";
        _idp = new HttpListener();
        _idp.Prefixes.Add(_authority);
        _idp.Start();
        var key = new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "test-key" };
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(key);
        _idpLoop = Task.Run(async () =>
        {
            while (_idp.IsListening)
            {
                HttpListenerContext c;
                try { c = await _idp.GetContextAsync(); } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                object body = c.Request.Url!.AbsolutePath.EndsWith("/openid-configuration", StringComparison.Ordinal)
                    ? new { issuer = Issuer, jwks_uri = $"{_authority}{TenantId}/discovery/v2.0/keys", authorization_endpoint = $"{_authority}{TenantId}/oauth2/v2.0/authorize", token_endpoint = $"{_authority}{TenantId}/oauth2/v2.0/token", id_token_signing_alg_values_supported = new[] { "RS256" } }
                    : new { keys = new[] { new { kty = jwk.Kty, use = "sig", kid = jwk.Kid, n = jwk.N, e = jwk.E, alg = "RS256" } } };
                var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
                c.Response.ContentType = "application/json";
                await c.Response.OutputStream.WriteAsync(bytes);
                c.Response.Close();
            }
        });

        var url = $"http://127.0.0.1:{FreePort()}";
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(url);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = Names.AuthModeEntra,
            ["Auth:RequiredScope"] = Scope,
            ["Cosmos:Endpoint"] = "https://cloneai-test.documents.azure.com:443/",
            ["Blob:ServiceUri"] = "https://cloneaitest.blob.core.windows.net",
            ["AzureAd:Instance"] = _authority,
            ["AzureAd:TenantId"] = TenantId,
            ["AzureAd:ClientId"] = ClientId,
            ["Embeddings:Provider"] = "azure-openai",
            ["Embeddings:Endpoint"] = "https://cloneai-test.openai.azure.com/",
            ["Search:Endpoint"] = "https://cloneai-test.search.windows.net",
            ["Chat:Endpoint"] = "https://cloneai-test.openai.azure.com/",
            ["WebPubSub:Endpoint"] = "https://cloneai-test.webpubsub.azure.com",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddCloneAICore();
        builder.Services.AddCloneAIFunctions();
        builder.Services.AddSingleton<global::Azure.Core.TokenCredential>(new OfflineCredential());
        builder.Services.AddCloneAIAzure(builder.Configuration);
        // The only differences from the deployed host: user records in memory instead of Cosmos, and metadata over plain HTTP on loopback.
        builder.Services.AddSingleton<IUserStore>(new MemoryUsers(_users));
        builder.Services.AddSingleton<IDeletedAccounts>(new MemoryDeletedAccounts(_deleted));
        builder.Services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.RequireHttpsMetadata = false);
        _api = builder.Build();
        _api.MapGet("/whoami", async context =>
        {
            int status;
            object body;
            try
            {
                var auth = context.RequestServices.GetRequiredService<RequestAuth>();
                body = await auth.RequireCallerAsync(context.Request, context.RequestAborted);
                status = 200;
            }
            catch (Core.Errors.AppException e)
            {
                (status, body) = (e.Status, new { detail = e.Message });
            }
            catch (Exception e)
            {
                (status, body) = (500, new { detail = e.ToString() });
            }
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        });
        await _api.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(url) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _api.StopAsync();
        await _api.DisposeAsync();
        _idp.Stop();
        _idp.Close();
        await _idpLoop;
        _rsa.Dispose();
    }

    private string Token(string? issuer = null, string? audience = null, DateTime? expires = null, string? scope = Scope, string oid = "33333333-3333-3333-3333-333333333333",
        DateTime? issuedAt = null)
    {
        var now = DateTime.UtcNow;
        var exp = expires ?? now.AddMinutes(30);
        var claims = new Dictionary<string, object>
        {
            ["oid"] = oid,
            ["sub"] = "pairwise-subject",
            ["tid"] = TenantId,
            ["email"] = "ada@example.com",
            ["name"] = "Ada Lovelace",
            ["ver"] = "2.0",
        };
        if (scope is not null) claims["scp"] = scope;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? ClientId,
            IssuedAt = issuedAt ?? exp.AddHours(-1),
            NotBefore = exp.AddHours(-1),
            Expires = exp,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = "test-key" }, SecurityAlgorithms.RsaSha256),
        });
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> WhoAmIAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        // The JwtBearer challenge of an invalid token has no body.
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task AGoodTokenBecomesTheSameKindOfUserRecordTheLocalModeCreates()
    {
        var (status, body) = await WhoAmIAsync(Token());
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal("33333333-3333-3333-3333-333333333333", body.GetProperty("userId").GetString());
        var user = Assert.Single(_users.Values);
        Assert.Equal("33333333-3333-3333-3333-333333333333", user.Id); // the object id, stable across apps, not the pairwise sub
        Assert.Equal("ada@example.com", user.Email);
        Assert.Equal("Ada Lovelace", user.DisplayName);
        Assert.True(user.EmailVerified);
        Assert.False(user.IsCreator);
        // A second call is the same user, not a new record.
        Assert.Equal(HttpStatusCode.OK, (await WhoAmIAsync(Token())).Status);
        Assert.Single(_users);
    }

    [Fact]
    public async Task ATokenIssuedBeforeTheAccountWasDeletedDoesNotCreateItAgain()
    {
        const string oid = "33333333-3333-3333-3333-333333333333";
        _deleted[oid] = DateTimeOffset.UtcNow.AddMinutes(-5); // deleted after this token was issued (Token() issues 30 min back)

        var (status, body) = await WhoAmIAsync(Token());
        Assert.True(status == HttpStatusCode.Unauthorized, body.ToString());
        Assert.Empty(_users);

        _deleted[oid] = DateTimeOffset.UtcNow.AddMinutes(-45); // a sign-in after the deletion starts a new account
        Assert.Equal(HttpStatusCode.OK, (await WhoAmIAsync(Token())).Status);
        Assert.Single(_users);
    }

    [Fact]
    public async Task SigningOutEverywhereRefusesTheTokensEntraIssuedBeforeAndAcceptsLaterOnes()
    {
        const string oid = "33333333-3333-3333-3333-333333333333";
        var before = Token(issuedAt: DateTime.UtcNow.AddMinutes(-5));
        Assert.Equal(HttpStatusCode.OK, (await WhoAmIAsync(before)).Status);

        await _api.Services.GetRequiredService<UserService>().RevokeSessionsAsync(oid);

        var (status, body) = await WhoAmIAsync(before);
        Assert.True(status == HttpStatusCode.Unauthorized, body.ToString());
        Assert.Equal(UserService.SessionEndedMessage, body.GetProperty("detail").GetString());
        var after = Token(issuedAt: DateTime.UtcNow.AddSeconds(2)); // a sign-in after it (iat is in whole seconds)
        Assert.Equal(HttpStatusCode.OK, (await WhoAmIAsync(after)).Status);
        Assert.Single(_users); // the same account, not a new one
    }

    [Fact]
    public async Task TheWrongIssuerIsRefused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await WhoAmIAsync(Token(issuer: "https://evil.example.com/" + TenantId + "/v2.0"))).Status);

    [Fact]
    public async Task TheWrongAudienceIsRefused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await WhoAmIAsync(Token(audience: "44444444-4444-4444-4444-444444444444"))).Status);

    [Fact]
    public async Task AnExpiredTokenIsRefused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await WhoAmIAsync(Token(expires: DateTime.UtcNow.AddMinutes(-10)))).Status);

    [Fact]
    public async Task ATokenWithoutTheScopeIsRefused()
    {
        // No scope at all: Microsoft.Identity.Web refuses a token with neither scp nor roles.
        Assert.Equal(HttpStatusCode.Unauthorized, (await WhoAmIAsync(Token(scope: null))).Status);
        // Another scope: valid for Identity.Web, refused by the API's required scope (Auth:RequiredScope).
        var (status, body) = await WhoAmIAsync(Token(scope: "something.else"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains(Scope, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await WhoAmIAsync(Token(scope: "profile " + Scope))).Status);
        _users.Clear();
        Assert.Equal(HttpStatusCode.Forbidden, (await WhoAmIAsync(Token(scope: "something.else"))).Status);
        Assert.Empty(_users); // nothing was provisioned for refused tokens
    }

    [Fact]
    public async Task ATokenSignedByAnotherKeyIsRefused()
    {
        using var other = RSA.Create(2048);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer, Audience = ClientId, Expires = DateTime.UtcNow.AddMinutes(30),
            Claims = new Dictionary<string, object> { ["oid"] = "x", ["tid"] = TenantId, ["scp"] = Scope },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(other) { KeyId = "test-key" }, SecurityAlgorithms.RsaSha256),
        });
        Assert.Equal(HttpStatusCode.Unauthorized, (await WhoAmIAsync(forged)).Status);
    }

    private sealed class MemoryDeletedAccounts(Dictionary<string, DateTimeOffset> deleted) : IDeletedAccounts
    {
        public Task RememberAsync(string userId, DateTimeOffset deletedAt, CancellationToken cancellationToken = default)
        {
            deleted[userId] = deletedAt;
            return Task.CompletedTask;
        }

        public Task<DateTimeOffset?> DeletedAtAsync(string userId, CancellationToken cancellationToken = default) =>
            Task.FromResult(deleted.TryGetValue(userId, out var at) ? at : (DateTimeOffset?)null);
    }

    private sealed class MemoryUsers(Dictionary<string, User> users) : IUserStore
    {
        public Task<User?> GetAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(users.GetValueOrDefault(id));
        public Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken = default) => Task.FromResult(users.Values.FirstOrDefault(u => u.Email == email));
        public Task<User> CreateAsync(User user, CancellationToken cancellationToken = default)
        {
            lock (users) users[user.Id] = user with { ETag = "1" };
            return Task.FromResult(users[user.Id]);
        }
        public Task<User> ReplaceAsync(User user, CancellationToken cancellationToken = default) => Task.FromResult(users[user.Id] = user);
    }
}
