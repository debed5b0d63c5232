using CloneAI.Core.Chat;
using CloneAI.Core.Progress;
using CloneAI.Core.Summaries;

namespace CloneAI.Core.Memory.Greetings;

/// <summary>
/// "Welcome back — last time: …; your goal: …": what a returning user's new session with a clone opens with. Last time is the
/// newest summary of a session with the clone (when summaries are kept), else that session's first question; the goals are the
/// open goals of the user's checklist with the clone (when progress is kept) or else their goals in memory, and open action
/// items follow. Nothing for a first session with the clone, and nothing at all when memory is off for it.
/// </summary>
public sealed class ReturningUserGreeting(
    ISessionStore sessions,
    IMemoryStore memory,
    IClonePreferenceStore preferences,
    ISessionSummaryStore? summaries = null,
    IProgressReader? progress = null) : IReturningUserGreeting
{
    /// <summary>The longest part (last time, a goal, an open item) quoted in the greeting.</summary>
    public const int MaxPart = 160;

    /// <summary>Sessions looked through for the user's previous one with the clone.</summary>
    public const int Lookback = 100;

    public async Task<string?> WelcomeBackAsync(ChatSession session, CancellationToken cancellationToken = default)
    {
        if (await preferences.GetAsync(session.UserId, session.CloneId, cancellationToken) is { MemoryEnabled: false }) return null;
        var previous = await PreviousSessionsAsync(session, cancellationToken);
        if (previous.Count == 0) return null;

        var parts = new List<string>();
        if (await LastTimeAsync(session, previous, cancellationToken) is { } lastTime) parts.Add("last time: " + lastTime);
        var (goals, open) = await OpenItemsAsync(session, cancellationToken);
        if (goals.Count == 1) parts.Add("your goal: " + goals[0]);
        else if (goals.Count > 1) parts.Add("your goals: " + string.Join(", ", goals.Take(3)));
        if (open.Count > 0) parts.Add("still open: " + string.Join(", ", open.Take(3)));
        return parts.Count == 0 ? "Welcome back!" : "Welcome back — " + string.Join("; ", parts) + ".";
    }

    /// <summary>The user's earlier sessions with this clone, newest first.</summary>
    private async Task<List<ChatSession>> PreviousSessionsAsync(ChatSession session, CancellationToken cancellationToken)
    {
        var found = new List<ChatSession>();
        string? token = null;
        var seen = 0;
        do
        {
            var page = await sessions.ListByUserAsync(session.UserId, 50, token, cancellationToken);
            found.AddRange(page.Items.Where(s => s.CloneId == session.CloneId && s.Id != session.Id && s.UserId == session.UserId));
            seen += page.Items.Count;
            token = page.ContinuationToken;
        }
        while (token is not null && found.Count == 0 && seen < Lookback);
        return found;
    }

    private async Task<string?> LastTimeAsync(ChatSession session, List<ChatSession> previous, CancellationToken cancellationToken)
    {
        if (summaries is not null
            && await summaries.ListAsync(session.UserId, session.CloneId, 1, cancellationToken) is [var summary, ..]
            && FirstSentence(summary.Summary) is { Length: > 0 } said)
            return Part(MemoryText.LowerFirst(said));
        foreach (var earlier in previous.Where(s => s.MessageCount > 0).Take(3))
        {
            var question = (await sessions.GetMessagesAsync(earlier.Id, cancellationToken)).FirstOrDefault(m => m.Role == MessageRoles.User);
            if (question is not null && MemoryText.Clean(question.Content) is { Length: > 0 } asked) return "you asked “" + Part(asked) + "”";
        }
        return null;
    }

    /// <summary>The goals to mention (open ones on the checklist, else those in memory, newest first) and the other open items.</summary>
    private async Task<(List<string> Goals, List<string> Open)> OpenItemsAsync(ChatSession session, CancellationToken cancellationToken)
    {
        if (progress is not null)
        {
            var items = await progress.OpenItemsAsync(session.UserId, session.CloneId, cancellationToken);
            return (
                items.Where(i => i.Origin == ProgressOrigins.Goal).Reverse().Select(i => Part(MemoryText.LowerFirst(i.Text))).ToList(),
                items.Where(i => i.Origin != ProgressOrigins.Goal).Select(i => Part(MemoryText.LowerFirst(i.Text))).ToList());
        }
        var goals = (await memory.ListAsync(session.UserId, session.CloneId, cancellationToken))
            .Where(i => i.Kind == MemoryKinds.Goal && i.UserId == session.UserId)
            .OrderByDescending(i => i.UpdatedAt)
            .Select(i => Part(MemoryText.LowerFirst(i.Text)))
            .ToList();
        return (goals, []);
    }

    private static string FirstSentence(string text)
    {
        var clean = MemoryText.Clean(text);
        var end = clean.IndexOfAny(['.', '!', '?']);
        return (end > 0 ? clean[..end] : clean).Trim();
    }

    private static string Part(string text)
    {
        var clean = MemoryText.Clean(text).TrimEnd('.', ';', ' ');
        return clean.Length <= MaxPart ? clean : clean[..MaxPart].TrimEnd() + "…";
    }
}
