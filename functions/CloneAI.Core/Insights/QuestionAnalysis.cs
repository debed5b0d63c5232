using CloneAI.Core.Chat;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Insights;

/// <summary>
/// The period's questions grouped by meaning with the knowledge base's embedding model (each distinct wording embedded once),
/// and the knowledge gaps among them: questions answered "I don't know", or whose best retrieved passage was weak
/// (<see cref="DashboardOptions.WeakSimilarity"/>), grouped the same way. When the model cannot be reached, questions are
/// grouped by wording only, and the result says so.
/// </summary>
public sealed class QuestionAnalysis(IKnowledgeEmbedder embedder, IOptions<DashboardOptions> options, ILogger<QuestionAnalysis> logger)
{
    /// <summary>How many groups of each kind are shown.</summary>
    public const int MaxGroups = 10;

    public async Task<QuestionInsights> AnalyseAsync(IReadOnlyList<AskedQuestion> questions, bool truncated, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var all = QuestionGrouping.Wordings(questions.Select(q => new QuestionGrouping.Asked(q.Text, q.AskedAt, q.CloneId)));
        var gapQuestions = questions.Where(q => IsGap(q, settings.WeakSimilarity)).ToList();
        var gaps = QuestionGrouping.Wordings(gapQuestions.Select(q => new QuestionGrouping.Asked(q.Text, q.AskedAt, q.CloneId)));

        var (vectors, groupedBy) = await EmbedAsync(all, cancellationToken);
        return new QuestionInsights(
            questions.Count, truncated, groupedBy,
            QuestionGrouping.Group(all, vectors, settings.GroupSimilarity).Take(MaxGroups).ToList(),
            QuestionGrouping.Group(gaps, vectors, settings.GroupSimilarity).Take(MaxGroups).ToList());
    }

    /// <summary>A question the knowledge base could not answer well: "I don't know", or a best passage below <paramref name="weak"/>.</summary>
    public static bool IsGap(AskedQuestion question, double weak) =>
        question.AnswerKind == AnswerKinds.DontKnow || question.BestSimilarity is { } best && best < weak;

    private async Task<(IReadOnlyDictionary<string, float[]> Vectors, string GroupedBy)> EmbedAsync(
        IReadOnlyList<QuestionGrouping.Wording> wordings, CancellationToken cancellationToken)
    {
        if (wordings.Count == 0) return (new Dictionary<string, float[]>(), GroupingMethods.Meaning);
        try
        {
            var vectors = await embedder.EmbedPassagesAsync(wordings.Select(w => w.Text).ToList(), cancellationToken);
            return (wordings.Select((w, i) => (w.Key, Vector: vectors[i])).ToDictionary(x => x.Key, x => x.Vector, StringComparer.Ordinal), GroupingMethods.Meaning);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Embedding {Count} questions for a dashboard failed; they are grouped by wording", wordings.Count);
            return (new Dictionary<string, float[]>(), GroupingMethods.Wording);
        }
    }
}
