namespace CloneAI.Core.Realtime;

public static class RealtimeGroups
{
    public static string Session(string sessionId) => "session-" + sessionId;

    /// <summary>A user's own group: ingestion progress of their clones' documents, and anything else addressed to them.</summary>
    public static string User(string userId) => "user-" + userId;
}
