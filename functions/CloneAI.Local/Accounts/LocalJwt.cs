using System.Security.Claims;
using System.Security.Cryptography;
using CloneAI.Core.Accounts;
using CloneAI.Core.Auth;
using CloneAI.Core.Domain;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CloneAI.Local.Accounts;

/// <summary>The local token issuer: HMAC-SHA256 JWTs that the host's "Bearer" scheme validates.</summary>
public sealed class LocalJwt(SymmetricSecurityKey key, IOptions<AuthOptions> options, TimeProvider time) : IAccessTokenIssuer
{
    public const string Issuer = "cloneai-local";
    public const string Audience = "cloneai-api";

    private static readonly JsonWebTokenHandler Handler = new();

    public AccessToken Issue(User user)
    {
        var lifetime = TimeSpan.FromMinutes(options.Value.AccessTokenMinutes);
        var now = time.GetUtcNow().UtcDateTime;
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(lifetime),
            Subject = new ClaimsIdentity(
            [
                new Claim("sub", user.Id),
                new Claim("email", user.Email),
                new Claim("name", user.DisplayName),
                new Claim("stamp", user.SecurityStamp),
                new Claim("jti", Guid.NewGuid().ToString("N")),
            ]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return new AccessToken(token, (int)lifetime.TotalSeconds);
    }

    public static TokenValidationParameters ValidationParameters(SecurityKey key) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = "name",
    };

    /// <summary>The signing key: from configuration, else a random one kept in the data folder so tokens survive restarts.</summary>
    public static SymmetricSecurityKey LoadKey(string? configured, string dataDir)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(configured);
            if (bytes.Length < 32) throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes.");
            return new SymmetricSecurityKey(bytes);
        }
        var path = Path.Combine(dataDir, "signing.key");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataDir);
            var temp = path + ".tmp";
            File.WriteAllBytes(temp, RandomNumberGenerator.GetBytes(64));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try { File.Move(temp, path); }
            catch (IOException) when (File.Exists(path)) { File.Delete(temp); }
        }
        return new SymmetricSecurityKey(File.ReadAllBytes(path));
    }
}
