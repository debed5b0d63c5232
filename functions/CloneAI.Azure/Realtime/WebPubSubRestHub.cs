using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Azure.Core;
using CloneAI.Core.Realtime;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CloneAI.Azure.Realtime;

/// <summary>
/// <see cref="IRealtimeHub"/> on Azure Web PubSub's data-plane REST API, written by hand (the SDK package is not available
/// here). Requests are signed with a JWT made from the connection string's access key (<c>aud</c> = the request URL), or
/// carry an Entra token for <see cref="EntraScope"/> (the managed identity). Client tokens are made the same way: signed
/// locally with <c>aud</c> = the client URL, or asked of the service's <c>:generateToken</c> API.
/// </summary>
public sealed class WebPubSubRestHub(HttpClient http, IOptions<WebPubSubOptions> options, TokenCredential credential, TimeProvider time) : IRealtimeHub
{
    public const string ApiVersion = "2024-01-01";
    public const string EntraScope = "https://webpubsub.azure.com/.default";
    public const string JoinRolePrefix = "webpubsub.joinLeaveGroup.";

    private static readonly JsonWebTokenHandler Handler = new();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private string Hub => options.Value.Hub;

    public Task SendToGroupAsync(string group, object frame, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"api/hubs/{Escape(Hub)}/groups/{Escape(group)}/:send", frame, cancellationToken);

    public Task SendToUserAsync(string userId, object frame, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"api/hubs/{Escape(Hub)}/users/{Escape(userId)}/:send", frame, cancellationToken);

    /// <summary>Adds every connection of a user to a group (server side; clients join with their token's roles instead).</summary>
    public Task AddUserToGroupAsync(string userId, string group, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"api/hubs/{Escape(Hub)}/users/{Escape(userId)}/groups/{Escape(group)}", null, cancellationToken);

    public async Task<RealtimeConnection> GetClientConnectionAsync(string userId, IReadOnlyList<string> groups, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var (endpoint, key) = options.Value.Resolve();
        var audience = $"{endpoint.GetLeftPart(UriPartial.Authority)}/client/hubs/{Hub}";
        var clientUrl = $"{(endpoint.Scheme == Uri.UriSchemeHttp ? "ws" : "wss")}://{endpoint.Authority}/client/hubs/{Hub}";
        var roles = groups.Distinct(StringComparer.Ordinal).Select(g => JoinRolePrefix + g).ToList();
        string token;
        if (key is not null)
        {
            var claims = new List<Claim> { new("sub", userId) };
            claims.AddRange(roles.Select(r => new Claim("role", r)));
            token = Sign(key, audience, lifetime, claims);
        }
        else
        {
            var query = new StringBuilder($"api-version={ApiVersion}&userId={Uri.EscapeDataString(userId)}&minutesToExpire={(int)Math.Ceiling(lifetime.TotalMinutes)}");
            foreach (var role in roles) query.Append("&role=").Append(Uri.EscapeDataString(role));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, $"api/hubs/{Escape(Hub)}/:generateToken?{query}"));
            await AuthorizeAsync(request, cancellationToken);
            using var response = await http.SendAsync(request, cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            token = body.GetProperty("token").GetString() ?? throw new InvalidOperationException("Web PubSub returned no token.");
        }
        return new RealtimeConnection($"{clientUrl}?access_token={Uri.EscapeDataString(token)}", clientUrl, token, time.GetUtcNow().Add(lifetime));
    }

    private async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var (endpoint, _) = options.Value.Resolve();
        using var request = new HttpRequestMessage(method, new Uri(endpoint, $"{path}?api-version={ApiVersion}"));
        if (body is not null)
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, Json)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        await AuthorizeAsync(request, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    private async Task AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (_, key) = options.Value.Resolve();
        var bearer = key is not null
            ? Sign(key, request.RequestUri!.AbsoluteUri, TimeSpan.FromMinutes(5), [])
            : (await credential.GetTokenAsync(new TokenRequestContext([EntraScope]), cancellationToken)).Token;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
    }

    private string Sign(string key, string audience, TimeSpan lifetime, IEnumerable<Claim> claims)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(lifetime),
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var detail = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new HttpRequestException($"Web PubSub answered {(int)response.StatusCode}: {detail[..Math.Min(detail.Length, 300)]}", null, response.StatusCode);
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
