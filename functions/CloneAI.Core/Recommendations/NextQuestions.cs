using System.Globalization;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Summaries;

namespace CloneAI.Core.Recommendations;

/// <summary>A question the user could open their next session with: a next topic of one of their summaries, phrased as a question.</summary>
public sealed record NextQuestion(string Topic, string Question, string SessionId);

/// <summary>The suggested questions for one clone (<see cref="CloneId"/>: its id, also when it was asked for by slug).</summary>
public sealed record NextQuestionList(string CloneId, IReadOnlyList<NextQuestion> Items);

/// <summary>
/// Per clone, the next topics of the caller's own summaries of their sessions with it (newest session first, each topic once),
/// phrased as questions for the chips on the clone page. Without a summary store (a host that writes no summaries) there are none.
/// </summary>
public sealed class NextQuestions(CloneService clones, ISessionSummaryStore? summaries)
{
    public const int MaxQuestions = 5;

    /// <summary>How many of the newest summaries are read.</summary>
    public const int SummariesRead = 10;

    private static readonly string[] QuestionStarts =
        ["how", "what", "why", "when", "where", "which", "who", "can", "could", "should", "is", "are", "do", "does", "will", "would"];

    public async Task<NextQuestionList> ForCloneAsync(Caller caller, string cloneId, CancellationToken cancellationToken = default)
    {
        var clone = await clones.GetAsync(caller, cloneId, cancellationToken);
        return new NextQuestionList(clone.Id, summaries is null ? [] : await FromSummariesAsync(caller.UserId, clone.Id, cancellationToken));
    }

    private async Task<IReadOnlyList<NextQuestion>> FromSummariesAsync(string userId, string cloneId, CancellationToken cancellationToken)
    {
        var list = await summaries!.ListAsync(userId, cloneId, SummariesRead, cancellationToken);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var questions = new List<NextQuestion>();
        foreach (var summary in list.Where(s => s.UserId == userId && s.CloneId == cloneId))
        {
            foreach (var topic in summary.NextTopics)
            {
                var question = Phrase(topic);
                if (question is null || !seen.Add(Clean(topic))) continue;
                questions.Add(new NextQuestion(Clean(topic), question, summary.SessionId));
                if (questions.Count == MaxQuestions) return questions;
            }
        }
        return questions;
    }

    /// <summary>
    /// A topic as a question: a question stays one ("How do tides work" gets its question mark), anything else becomes "Can you
    /// tell me more about …?" (a leading capital lowered unless the next letter is one too, as in an acronym). Null for a blank topic.
    /// </summary>
    public static string? Phrase(string? topic)
    {
        var t = Clean(topic);
        if (t.Length == 0) return null;
        var first = t.Split(' ', 2)[0].ToLowerInvariant();
        if (t.EndsWith('?') || QuestionStarts.Contains(first)) return t.EndsWith('?') ? t : t + "?";
        var lowered = t.Length > 1 && char.IsUpper(t[0]) && !char.IsUpper(t[1])
            ? char.ToLower(t[0], CultureInfo.InvariantCulture) + t[1..]
            : t;
        return $"Can you tell me more about {lowered}?";
    }

    private static string Clean(string? topic) =>
        string.Join(' ', (topic ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.', ':', ';', ',', '!').Trim();
}
