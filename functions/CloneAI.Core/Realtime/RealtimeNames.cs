namespace CloneAI.Core.Realtime;

/// <summary>Names of the realtime channel that both hosts use (Bicep reads the same strings).</summary>
public static class RealtimeNames
{
    /// <summary>The Web PubSub hub (and the local host's <c>/client/hubs/{hub}</c>).</summary>
    public const string Hub = "cloneai";
    /// <summary>The Web PubSub client subprotocol the local host speaks too.</summary>
    public const string Subprotocol = "json.webpubsub.azure.v1";
}
