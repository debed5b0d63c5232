using CloneAI.Core.Chat;

namespace CloneAI.Core.Summaries;

/// <summary>The session's summary as the export's recap.</summary>
public sealed class SummaryRecap(ISessionSummaryStore summaries) : ISessionRecap
{
    public async Task<SessionRecap?> GetAsync(string userId, string sessionId, CancellationToken cancellationToken = default) =>
        await summaries.GetAsync(userId, sessionId, cancellationToken) is { } s
            ? new SessionRecap(s.Summary, s.KeyInsights, s.ActionItems, s.NextTopics, s.Method)
            : null;
}
