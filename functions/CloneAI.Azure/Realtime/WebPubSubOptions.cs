using CloneAI.Core.Realtime;
using CloneAI.Core;

namespace CloneAI.Azure.Realtime;

/// <summary>Azure Web PubSub. Section <c>WebPubSub</c>: a connection string (Endpoint=…;AccessKey=…), or an endpoint with Entra.</summary>
public sealed class WebPubSubOptions
{
    public const string Section = "WebPubSub";

    /// <summary><c>Endpoint=https://&lt;name&gt;.webpubsub.azure.com;AccessKey=…;Version=1.0;</c>: tokens are signed with the key.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The service URL when signing in with the managed identity (no key): tokens come from the service's generateToken API.</summary>
    public Uri? Endpoint { get; set; }

    public string Hub { get; set; } = RealtimeNames.Hub;

    /// <summary>The (endpoint, access key) this configuration names; the key is null with Entra.</summary>
    public (Uri Endpoint, string? AccessKey) Resolve()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            var parts = SettingStrings.Parse(ConnectionString);
            if (!parts.TryGetValue("Endpoint", out var endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
                throw new InvalidOperationException("WebPubSub:ConnectionString needs Endpoint=https://….");
            if (parts.TryGetValue("Port", out var port) && int.TryParse(port, out var p)) uri = new UriBuilder(uri) { Port = p }.Uri;
            return (uri, parts.TryGetValue("AccessKey", out var key) && key.Length > 0 ? key : null);
        }
        return (Endpoint ?? throw new InvalidOperationException("Set WebPubSub:ConnectionString or WebPubSub:Endpoint."), null);
    }
}
