using CloneAI.Core.Billing;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Insights;

/// <summary>
/// The creator dashboard of one clone (its owner or an admin) or of all of a creator's clones: sessions, minutes and revenue by
/// day, ratings and recent comments, the questions asked grouped by meaning, the knowledge gaps, and the documents by how often
/// answers cite them. Aggregates only, never a conversation.
/// </summary>
public sealed class CreatorDashboard(
    CloneService clones, IDocumentStore documents, ICloneInsightsStore insights, QuestionAnalysis analysis,
    IOptions<BillingOptions> billing, IOptions<DashboardOptions> options, TimeProvider time)
{
    public async Task<Dashboard> ForCloneAsync(Caller caller, string cloneIdOrSlug, string? from, string? to, CancellationToken cancellationToken = default)
    {
        var period = Period(from, to);
        var clone = await clones.GetManagedAsync(caller, cloneIdOrSlug, cancellationToken);
        return await BuildAsync(period, [clone], cancellationToken);
    }

    /// <summary>All of the caller's clones (not deleted) together, with each one's part.</summary>
    public async Task<Dashboard> ForCreatorAsync(Caller caller, string? from, string? to, CancellationToken cancellationToken = default)
    {
        var period = Period(from, to);
        var mine = new List<Clone>();
        string? token = null;
        do
        {
            var page = await clones.ListMineAsync(caller, CloneService.MaxPageSize, token, cancellationToken);
            mine.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return await BuildAsync(period, mine, cancellationToken);
    }

    private DashboardPeriod Period(string? from, string? to) =>
        DashboardPeriod.Parse(from, to, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));

    private async Task<Dashboard> BuildAsync(DashboardPeriod period, IReadOnlyList<Clone> owned, CancellationToken cancellationToken)
    {
        var ids = owned.Select(c => c.Id).ToList();
        if (ids.Count == 0)
        {
            return DashboardFigures.Build(period, billing.Value, owned, [], [], new QuestionInsights(0, false, GroupingMethods.Meaning, [], []), []);
        }
        var max = options.Value.MaxQuestions;
        var sessions = await insights.ListSessionsAsync(ids, period.Start, period.End, cancellationToken);
        var usage = await insights.ListUsageAsync(ids, period.Start, period.End, cancellationToken);
        var asked = await insights.ListQuestionsAsync(ids, period.Start, period.End, max + 1, cancellationToken);
        var analysed = asked.Take(max).ToList();
        var questions = await analysis.AnalyseAsync(analysed, asked.Count > max, cancellationToken);

        var knowledge = new List<KnowledgeDocument>();
        foreach (var id in ids)
        {
            string? token = null;
            do
            {
                var page = await documents.ListAsync(id, new DocumentFilter(PageSize: 100, ContinuationToken: token), cancellationToken);
                knowledge.AddRange(page.Items);
                token = page.ContinuationToken;
            }
            while (token is not null);
        }
        return DashboardFigures.Build(period, billing.Value, owned, sessions, usage, questions, DashboardFigures.Citations(knowledge, analysed));
    }
}
