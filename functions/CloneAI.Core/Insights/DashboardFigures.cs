using CloneAI.Core.Billing;
using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;

namespace CloneAI.Core.Insights;

/// <summary>
/// The dashboard's aggregates from what the stores returned, with no I/O. Previews are left out again here (whatever a store
/// returned). Sessions and minutes count on the day a session started (minutes of ended sessions); revenue on the day it was
/// recorded, in the platform currency only (usage in any other currency is not revenue of it): gross what users were charged,
/// net the creator's share (<see cref="BillingOptions.Split"/>, per charge, as the ledger splits it).
/// </summary>
public static class DashboardFigures
{
    public const int MaxComments = 10;

    public static Dashboard Build(
        DashboardPeriod period, BillingOptions billing, IReadOnlyList<Clone> clones, IEnumerable<ChatSession> sessions, IEnumerable<UsageEvent> usage,
        QuestionInsights questions, IReadOnlyList<DocumentCitations> documents)
    {
        var currency = billing.Currency;
        var ids = clones.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var counted = sessions.Where(s => !s.Preview && ids.Contains(s.CloneId) && s.StartedAt >= period.Start && s.StartedAt < period.End).ToList();
        var charges = usage
            .Where(u => u.UserId != u.OwnerId && ids.Contains(u.CloneId) && u.Currency == currency && u.Amount > 0
                && u.CreatedAt >= period.Start && u.CreatedAt < period.End)
            .ToList();

        var sessionsByDay = counted.ToLookup(s => DateOnly.FromDateTime(s.StartedAt.UtcDateTime));
        var chargesByDay = charges.ToLookup(u => DateOnly.FromDateTime(u.CreatedAt.UtcDateTime));
        var days = period.Dates.Select(date =>
        {
            var daySessions = sessionsByDay[date].ToList();
            var dayCharges = chargesByDay[date].ToList();
            return new DashboardDay(DashboardPeriod.Format(date), daySessions.Count, Minutes(daySessions),
                new Money(Gross(dayCharges), currency), new Money(Net(dayCharges, billing), currency));
        }).ToList();

        var perClone = clones.Select(c =>
        {
            var of = counted.Where(s => s.CloneId == c.Id).ToList();
            var paid = charges.Where(u => u.CloneId == c.Id).ToList();
            var (average, count) = Rating(of);
            return new DashboardClone(c.Id, c.Name, c.Slug, of.Count, of.Sum(s => s.MessageCount), Minutes(of),
                new Money(Gross(paid), currency), new Money(Net(paid, billing), currency), average, count);
        }).ToList();

        var (averageRating, ratingCount) = Rating(counted);
        var totals = new DashboardTotals(counted.Count, counted.Sum(s => s.MessageCount), Minutes(counted),
            new Money(Gross(charges), currency), new Money(Net(charges, billing), currency), averageRating, ratingCount);
        var ratings = SessionRatings.LatestPerUser(counted).ToList();
        var distribution = Enumerable.Range(1, 5).Select(stars => new RatingCount(stars, ratings.Count(s => s.Rating == stars))).ToList();
        var names = clones.ToDictionary(c => c.Id, c => c.Name, StringComparer.Ordinal);
        var comments = counted
            .Where(s => s.Rating is >= 1 and <= 5 && !string.IsNullOrWhiteSpace(s.RatingComment))
            .Select(s => new DashboardComment(names[s.CloneId], s.Rating!.Value, s.RatingComment!.Trim(), s.EndedAt ?? s.LastActivityAt))
            .OrderByDescending(c => c.Date).ThenBy(c => c.Comment, StringComparer.Ordinal)
            .Take(MaxComments)
            .ToList();

        return new Dashboard(DashboardPeriod.Format(period.From), DashboardPeriod.Format(period.To), currency, totals, perClone, days,
            distribution, comments, questions, documents);
    }

    /// <summary>Every document of the clones with how many of the answers cited it; most cited first, never cited last.</summary>
    public static IReadOnlyList<DocumentCitations> Citations(IEnumerable<KnowledgeDocument> documents, IEnumerable<AskedQuestion> answered)
    {
        var counts = answered
            .SelectMany(q => q.CitedDocumentIds.Distinct(StringComparer.Ordinal).Select(d => (q.CloneId, DocumentId: d)))
            .GroupBy(x => x)
            .ToDictionary(g => g.Key, g => g.Count());
        return documents
            .Select(d => new DocumentCitations(d.CloneId, d.Id, d.Title, d.FileName, d.Status, counts.GetValueOrDefault((d.CloneId, d.Id))))
            .OrderByDescending(d => d.Citations).ThenBy(d => d.Title, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.DocumentId, StringComparer.Ordinal)
            .ToList();
    }

    private static double Minutes(IEnumerable<ChatSession> sessions) =>
        Math.Round(sessions.Where(s => s.EndedAt is not null).Sum(s => Math.Max(0, (s.EndedAt!.Value - s.StartedAt).TotalMinutes)), 1);

    private static long Gross(IEnumerable<UsageEvent> charges) => charges.Sum(u => u.Amount);

    private static long Net(IEnumerable<UsageEvent> charges, BillingOptions billing) => charges.Sum(u => billing.Split(u.Amount).Creator);

    /// <summary>One rating per user and clone, their latest (as the clone's own rating counts them).</summary>
    private static (double? Average, int Count) Rating(IEnumerable<ChatSession> sessions)
    {
        var rated = SessionRatings.LatestPerUser(sessions).Select(s => s.Rating!.Value).ToList();
        return (rated.Count == 0 ? null : Math.Round(rated.Average(), 2), rated.Count);
    }
}
