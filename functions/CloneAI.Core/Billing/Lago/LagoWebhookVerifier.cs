using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Billing.Lago;

/// <summary>
/// Checks the signature of a Lago webhook (<c>X-Lago-Signature</c>, algorithm in <c>X-Lago-Signature-Algorithm</c>):
/// <list type="bullet">
/// <item><c>hmac</c>: base64 of HMAC-SHA256 of the raw body with <c>Lago:WebhookHmacKey</c>;</item>
/// <item><c>jwt</c> (Lago's default): an RS256 JWT signed with Lago's key, issued by <c>Lago:ApiUrl</c>, whose <c>data</c> claim is the
/// raw body. The public key is fetched from Lago once and kept; when a signature does not verify with the kept key, it is fetched
/// again (at most once a minute, so forged webhooks cannot make the product hammer Lago) and tried once more.</item>
/// </list>
/// Comparisons are constant-time. Anything else (no signature, another algorithm, a malformed token) does not verify.
/// </summary>
public sealed class LagoWebhookVerifier(LagoClient lago, IOptions<LagoOptions> options, TimeProvider time, ILogger<LagoWebhookVerifier> logger) : IDisposable
{
    public const string Hmac = "hmac";
    public const string Jwt = "jwt";
    private static readonly TimeSpan RefetchAtMostEvery = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private RSA? _key;
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public void Dispose()
    {
        _fetch.Dispose();
        _key?.Dispose();
    }

    public async Task<bool> VerifyAsync(string? algorithm, string? signature, byte[] body, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(signature)) return false;
        return algorithm?.Trim().ToLowerInvariant() switch
        {
            Hmac => VerifyHmac(signature.Trim(), body),
            Jwt or null or "" => await VerifyJwtAsync(signature.Trim(), body, cancellationToken),
            _ => false,
        };
    }

    private bool VerifyHmac(string signature, byte[] body)
    {
        var key = options.Value.WebhookHmacKey;
        if (string.IsNullOrEmpty(key)) return false;
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), body));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.UTF8.GetBytes(signature));
    }

    private async Task<bool> VerifyJwtAsync(string token, byte[] body, CancellationToken cancellationToken)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return false;
        byte[] signature, headerJson, payloadJson;
        try
        {
            headerJson = Base64Url(parts[0]);
            payloadJson = Base64Url(parts[1]);
            signature = Base64Url(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }
        if (!HeaderIsRs256(headerJson)) return false;
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);

        var (key, fresh) = await KeyAsync(refresh: false, cancellationToken);
        var valid = key is not null && key.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (!valid && !fresh)
        {
            // Lago may have a new key: fetch it again (rate-limited) and try once more.
            (key, fresh) = await KeyAsync(refresh: true, cancellationToken);
            valid = fresh && key is not null && key.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        return valid && ClaimsMatch(payloadJson, body);
    }

    private static bool HeaderIsRs256(byte[] headerJson)
    {
        try
        {
            using var header = JsonDocument.Parse(headerJson);
            return header.RootElement.ValueKind == JsonValueKind.Object
                && header.RootElement.TryGetProperty("alg", out var alg) && alg.ValueKind == JsonValueKind.String && alg.GetString() == "RS256";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private bool ClaimsMatch(byte[] payloadJson, byte[] body)
    {
        try
        {
            using var payload = JsonDocument.Parse(payloadJson);
            var claims = payload.RootElement;
            if (claims.ValueKind != JsonValueKind.Object) return false;
            if (!claims.TryGetProperty("iss", out var iss) || iss.ValueKind != JsonValueKind.String
                || !string.Equals(iss.GetString()!.TrimEnd('/'), options.Value.Issuer(), StringComparison.Ordinal))
                return false;
            if (claims.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
                && DateTimeOffset.FromUnixTimeSeconds(seconds) < time.GetUtcNow().AddMinutes(-5))
                return false;
            if (!claims.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String) return false;
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(data.GetString()!), body);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The kept key (fetched on first use), or a newly fetched one; <c>fresh</c> when it was fetched by this call.</summary>
    private async Task<(RSA? Key, bool Fresh)> KeyAsync(bool refresh, CancellationToken cancellationToken)
    {
        var kept = _key;
        if (kept is not null && !refresh) return (kept, false);
        await _fetch.WaitAsync(cancellationToken);
        try
        {
            // Another caller fetched meanwhile: use theirs.
            if (!ReferenceEquals(_key, kept)) return (_key, true);
            if (kept is not null && !refresh) return (kept, false);
            if (refresh && time.GetUtcNow() - _fetchedAt < RefetchAtMostEvery) return (_key, false);
            try
            {
                var text = await lago.GetWebhookPublicKeyAsync(cancellationToken);
                _key = ImportPublicKey(text);
                _fetchedAt = time.GetUtcNow();
                logger.LogInformation("Fetched Lago's webhook public key");
                return (_key, true);
            }
            catch (Exception e) when (e is LagoException or CryptographicException or FormatException)
            {
                logger.LogWarning(e, "Lago's webhook public key could not be fetched or read");
                _fetchedAt = time.GetUtcNow();
                return (_key, false);
            }
        }
        finally
        {
            _fetch.Release();
        }
    }

    /// <summary>
    /// Reads Lago's public key: base64 of a PEM (what Lago serves), a PEM, or base64 of a DER SubjectPublicKeyInfo or
    /// PKCS#1 RSAPublicKey.
    /// </summary>
    public static RSA ImportPublicKey(string text)
    {
        var rsa = RSA.Create();
        var trimmed = text.Trim();
        if (trimmed.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            rsa.ImportFromPem(trimmed);
            return rsa;
        }
        var bytes = Convert.FromBase64String(trimmed);
        var decoded = Encoding.ASCII.GetString(bytes);
        if (decoded.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            rsa.ImportFromPem(decoded);
            return rsa;
        }
        try
        {
            rsa.ImportSubjectPublicKeyInfo(bytes, out _);
        }
        catch (CryptographicException)
        {
            rsa.ImportRSAPublicKey(bytes, out _);
        }
        return rsa;
    }

    private static byte[] Base64Url(string s)
    {
        var padded = s.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException("Not base64url.") };
        return Convert.FromBase64String(padded);
    }
}
