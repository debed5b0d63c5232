using CloneAI.Core.Chat;

namespace CloneAI.Core.Insights;

/// <summary>
/// A question asked in a clone's session and how it was answered: what a dashboard may know of an exchange. No session, no
/// user and no answer text: only the question's words, when, the answer's kind, the documents it cited and the best
/// retrieved passage's similarity.
/// </summary>
public sealed record AskedQuestion(
    string CloneId, string Text, DateTimeOffset AskedAt, string? AnswerKind, IReadOnlyList<string> CitedDocumentIds, double? BestSimilarity)
{
    /// <summary>A user's <paramref name="question"/> and the <paramref name="answer"/> it got (none while it is unanswered).</summary>
    public static AskedQuestion Of(string cloneId, SessionMessage question, SessionMessage? answer) =>
        new(cloneId, question.Content, question.CreatedAt, answer?.AnswerKind,
            answer?.Citations.Select(c => c.DocumentId).Distinct(StringComparer.Ordinal).ToList() ?? [], answer?.BestSimilarity);
}

/// <summary>
/// Reads across a creator's clones' sessions for the dashboard (<see cref="CreatorDashboard"/>). The owner's previews
/// (<see cref="ChatSession.Preview"/>, and the usage of a session whose user is the clone's owner) are never returned.
/// </summary>
public interface ICloneInsightsStore
{
    /// <summary>The sessions of <paramref name="cloneIds"/> started in <c>[since, until)</c>, previews left out.</summary>
    Task<IReadOnlyList<ChatSession>> ListSessionsAsync(
        IReadOnlyCollection<string> cloneIds, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>The usage events of <paramref name="cloneIds"/> recorded in <c>[since, until)</c>, the owner's own left out.</summary>
    Task<IReadOnlyList<UsageEvent>> ListUsageAsync(
        IReadOnlyCollection<string> cloneIds, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>
    /// The questions asked in <c>[since, until)</c> in the sessions of <paramref name="cloneIds"/> (previews left out), newest
    /// first, at most <paramref name="max"/>, each with its answer's kind, citations and best similarity.
    /// </summary>
    Task<IReadOnlyList<AskedQuestion>> ListQuestionsAsync(
        IReadOnlyCollection<string> cloneIds, DateTimeOffset since, DateTimeOffset until, int max, CancellationToken cancellationToken = default);
}
