using System.Security.Claims;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace CloneAI.Functions.Http;

/// <summary>
/// Checks the bearer token with the host's "Bearer" authentication scheme (Microsoft.Identity.Web in Azure, the built-in
/// issuer's key locally) and resolves the caller. Functions call it explicitly: authorization is in code, route by route.
/// </summary>
public sealed class RequestAuth(UserService users, Microsoft.Extensions.Options.IOptions<Core.Auth.AuthOptions> options)
{
    public const string Scheme = "Bearer";

    /// <summary>The claim of local access tokens that carries the user's security stamp.</summary>
    public const string StampClaim = "stamp";

    private static readonly string[] SubjectClaims =
        ["oid", "http://schemas.microsoft.com/identity/claims/objectidentifier", "sub", ClaimTypes.NameIdentifier];

    /// <summary>The caller, or null when no token was sent. A token that is sent but invalid is a 401.</summary>
    public async Task<Caller?> TryGetCallerAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return null;
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            throw new UnauthorizedException("Send the access token as 'Authorization: Bearer <token>'.");

        var result = await request.HttpContext.AuthenticateAsync(Scheme);
        if (!result.Succeeded || result.Principal is null)
            throw new UnauthorizedException("The access token is invalid or has expired.");

        var principal = result.Principal;
        if (!options.Value.IsLocal && options.Value.RequiredScope is { Length: > 0 } scope)
        {
            var granted = (principal.FindFirst("scp")?.Value ?? principal.FindFirst("http://schemas.microsoft.com/identity/claims/scope")?.Value ?? "")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!granted.Contains(scope, StringComparer.Ordinal))
                throw new ForbiddenException($"The access token was not issued for the scope '{scope}'.");
        }
        var subject = SubjectClaims.Select(c => principal.FindFirst(c)?.Value).FirstOrDefault(v => !string.IsNullOrEmpty(v))
            ?? throw new UnauthorizedException("The access token names no user.");
        var email = principal.FindFirst("email")?.Value ?? principal.FindFirst(ClaimTypes.Email)?.Value
            ?? principal.FindFirst("preferred_username")?.Value;
        var name = principal.FindFirst("name")?.Value;
        var roles = principal.FindAll("roles").Concat(principal.FindAll(ClaimTypes.Role))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).ToList();
        return await users.ResolveCallerAsync(new TokenIdentity(subject, email, name)
        {
            SecurityStamp = principal.FindFirst(StampClaim)?.Value,
            Roles = roles,
            IssuedAt = long.TryParse(principal.FindFirst("iat")?.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var iat)
                ? DateTimeOffset.FromUnixTimeSeconds(iat) : null,
        }, cancellationToken);
    }

    public async Task<Caller> RequireCallerAsync(HttpRequest request, CancellationToken cancellationToken) =>
        await TryGetCallerAsync(request, cancellationToken) ?? throw new UnauthorizedException();
}
