namespace CloneAI.Core.Chat;

/// <summary>What an ended session came to, as the export shows it (the summaries part's summary, read through this port).</summary>
public sealed record SessionRecap(
    string Summary, IReadOnlyList<string> KeyInsights, IReadOnlyList<string> ActionItems, IReadOnlyList<string> NextTopics, string Method);

/// <summary>Reads the recap (summary) of a user's session, when one was written.</summary>
public interface ISessionRecap
{
    Task<SessionRecap?> GetAsync(string userId, string sessionId, CancellationToken cancellationToken = default);
}
