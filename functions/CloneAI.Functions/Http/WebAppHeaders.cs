namespace CloneAI.Functions.Http;

/// <summary>
/// The security headers of the web app as the local host serves it (the Static Web App sends the same from
/// static-web/public/staticwebapp.config.json): a Content-Security-Policy that allows only what the app loads (its own scripts,
/// styles and fonts; images from itself, data:, blob: and https; the API and the realtime WebSocket on its own origin; and, in
/// Entra mode, Microsoft Entra's sign-in endpoints for MSAL), no framing, no sniffing, and no powerful browser features.
/// </summary>
public static class WebAppHeaders
{
    /// <summary>What the app may reach in Entra mode besides its own origin: the workforce and External ID authorities.</summary>
    public static readonly IReadOnlyList<string> EntraConnectSources = ["https://login.microsoftonline.com", "https://*.ciamlogin.com"];

    public const string PermissionsPolicy =
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    /// <summary>
    /// The Content-Security-Policy of the web app. <paramref name="webSocketOrigin"/> (ws://host:port of the request) is named
    /// as well as <c>'self'</c>, for browsers that do not let <c>'self'</c> cover WebSockets.
    /// </summary>
    public static string ContentSecurityPolicy(bool entra, string? webSocketOrigin = null)
    {
        var connect = new List<string> { "'self'" };
        if (!string.IsNullOrEmpty(webSocketOrigin)) connect.Add(webSocketOrigin);
        if (entra) connect.AddRange(EntraConnectSources);
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; font-src 'self' data:; " +
               $"connect-src {string.Join(' ', connect)}; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    }
}
