namespace CloneAI.Core.Realtime;

/// <summary>Where a client connects: the WebSocket URL with its token, the bare URL (the token's audience) and when it expires.</summary>
public sealed record RealtimeConnection(string Url, string BaseUrl, string AccessToken, DateTimeOffset ExpiresAt);
