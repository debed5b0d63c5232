namespace CloneAI.Core;

/// <summary>Names shared by code, tests and infrastructure (Bicep reads the same strings).</summary>
public static class Names
{
    public const string CosmosDatabase = "cloneai";
    public const string UsersContainer = "users";
    public const string ClonesContainer = "clones";
    public const string SlugsContainer = "slugs";
    public const string DocumentsContainer = "documents";
    public const string AvatarsPrefix = "avatars";
    public const string BlobContainer = "cloneai";
    public const string AuthModeLocal = "local";
    public const string AuthModeEntra = "entra";
    public const string KnowledgeIndexName = "cloneai-knowledge";
    public const string SessionsContainer = "sessions";
    /// <summary>The Web PubSub hub (and the local host's <c>/client/hubs/{hub}</c>).</summary>
    public const string RealtimeHub = "cloneai";
    /// <summary>The Web PubSub client subprotocol the local host speaks too.</summary>
    public const string RealtimeSubprotocol = "json.webpubsub.azure.v1";
}
