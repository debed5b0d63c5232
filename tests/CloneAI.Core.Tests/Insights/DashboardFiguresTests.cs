using CloneAI.Core.Billing;
using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Core.Insights;
using CloneAI.Core.Knowledge;

namespace CloneAI.Core.Tests.Insights;

public sealed class DashboardFiguresTests
{
    private static readonly DashboardPeriod Period = new(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 3));
    private static readonly DateTimeOffset Dec1 = DateTimeOffset.Parse("2026-12-01T09:00:00Z");
    private static readonly BillingOptions Billing = new() { Currency = "USD", PlatformFeePercent = 20 };
    private static readonly QuestionInsights NoQuestions = new(0, false, GroupingMethods.Meaning, [], []);

    private static Clone Clone(string id, string name) => new()
    {
        Id = id, Slug = name.ToLowerInvariant(), OwnerId = "owner", Name = name, Category = "science", CreatedAt = Dec1, UpdatedAt = Dec1,
    };

    private static ChatSession Session(string id, string cloneId, DateTimeOffset started, double minutes, int? rating = null, string? comment = null, bool preview = false) => new()
    {
        Id = id, UserId = preview ? "owner" : "user-" + id, CloneId = cloneId, CloneName = cloneId, OwnerId = "owner", StartedAt = started,
        LastActivityAt = started.AddMinutes(minutes), EndedAt = started.AddMinutes(minutes), Status = SessionStatus.Ended, MessageCount = 2,
        Rating = rating, RatingComment = comment, Preview = preview,
    };

    private static UsageEvent Charge(string id, string cloneId, DateTimeOffset at, long amount, string currency = "USD", string user = "user") => new()
    {
        Id = id, SessionId = "s", UserId = user, CloneId = cloneId, OwnerId = "owner", Kind = UsageKinds.Minutes, Quantity = 1, Amount = amount, Currency = currency, CreatedAt = at,
    };

    [Fact]
    public void SessionsMinutesAndRevenueAddUpByDayWithoutPreviewsOrOtherCurrencies()
    {
        var clones = new[] { Clone("c-1", "Tides"), Clone("c-2", "Moon") };
        var sessions = new[]
        {
            Session("a", "c-1", Dec1, 3.5, rating: 5, comment: "Great"),
            Session("b", "c-2", Dec1.AddHours(2), 1.25, rating: 3),
            Session("p", "c-1", Dec1.AddHours(3), 30, rating: 1, comment: "my own", preview: true), // the owner's preview
            Session("c", "c-1", Dec1.AddDays(2), 2, rating: 4, comment: "  Good, thanks  "),
            Session("old", "c-1", Dec1.AddDays(-1), 9), // before the period
        };
        var usage = new[]
        {
            Charge("u1", "c-1", Dec1, 175),
            Charge("u2", "c-2", Dec1.AddHours(5), 99),
            Charge("u3", "c-1", Dec1.AddDays(2), 100),
            Charge("own", "c-1", Dec1, 500, user: "owner"), // the owner's own usage is never revenue
            Charge("yen", "c-1", Dec1, 300, currency: "JPY"), // not the platform currency
            Charge("later", "c-1", Dec1.AddDays(3), 100), // after the period
        };

        var d = DashboardFigures.Build(Period, Billing, clones, sessions, usage, NoQuestions, []);

        Assert.Equal("2026-12-01", d.From);
        Assert.Equal("2026-12-03", d.To);
        Assert.Equal("USD", d.Currency);
        Assert.Equal(["2026-12-01", "2026-12-02", "2026-12-03"], d.Days.Select(x => x.Date));
        Assert.Equal([2, 0, 1], d.Days.Select(x => x.Sessions));
        Assert.Equal([4.8, 0, 2], d.Days.Select(x => x.Minutes));
        Assert.Equal([274L, 0, 100], d.Days.Select(x => x.Gross.Amount));
        // The creator's share per charge, rounded down as the ledger splits it: 140 + 79, then 80.
        Assert.Equal([219L, 0, 80], d.Days.Select(x => x.Net.Amount));
        Assert.All(d.Days, x => Assert.Equal("USD", x.Gross.Currency));

        Assert.Equal(3, d.Totals.Sessions);
        Assert.Equal(6, d.Totals.Messages);
        Assert.Equal(new Money(374, "USD"), d.Totals.Gross);
        Assert.Equal(new Money(299, "USD"), d.Totals.Net);
        Assert.Equal(4, d.Totals.AverageRating);
        Assert.Equal(3, d.Totals.RatingCount);

        var tides = d.Clones.Single(c => c.CloneId == "c-1");
        Assert.Equal((2, 5.5, 275L, 220L, 4.5), (tides.Sessions, tides.Minutes, tides.Gross.Amount, tides.Net.Amount, tides.AverageRating!.Value));
        var moon = d.Clones.Single(c => c.CloneId == "c-2");
        Assert.Equal((1, 99L, 79L), (moon.Sessions, moon.Gross.Amount, moon.Net.Amount));
    }

    [Fact]
    public void RatingsCountByStarsAndCommentsShowWordsStarsAndDayOnly()
    {
        var sessions = new[]
        {
            Session("a", "c-1", Dec1, 1, rating: 5, comment: "Great"),
            Session("b", "c-1", Dec1.AddHours(1), 1, rating: 5),
            Session("c", "c-1", Dec1.AddDays(1), 1, rating: 2, comment: "  Too short "),
            Session("p", "c-1", Dec1, 1, rating: 1, comment: "preview", preview: true),
        };
        var d = DashboardFigures.Build(Period, Billing, [Clone("c-1", "Tides")], sessions, [], NoQuestions, []);

        Assert.Equal([(1, 0), (2, 1), (3, 0), (4, 0), (5, 2)], d.Ratings.Select(r => (r.Stars, r.Count)));
        Assert.Equal(4, d.Totals.AverageRating);
        Assert.Equal(["Too short", "Great"], d.RecentComments.Select(c => c.Comment)); // newest first
        Assert.Equal(2, d.RecentComments[0].Stars);
        Assert.Equal("Tides", d.RecentComments[0].CloneName);
        Assert.Equal(Dec1.AddDays(1).AddMinutes(1), d.RecentComments[0].Date);
    }

    [Fact]
    public void NoSessionsGiveZerosForEveryDayAndNoAverage()
    {
        var d = DashboardFigures.Build(Period, Billing, [Clone("c-1", "Tides")], [], [], NoQuestions, []);
        Assert.Equal(3, d.Days.Count);
        Assert.All(d.Days, x => Assert.Equal((0, 0.0, 0L, 0L), (x.Sessions, x.Minutes, x.Gross.Amount, x.Net.Amount)));
        Assert.Null(d.Totals.AverageRating);
        Assert.Empty(d.RecentComments);
    }

    private static KnowledgeDocument Document(string id, string title, string cloneId = "c-1") => new()
    {
        Id = id, CloneId = cloneId, OwnerId = "owner", FileName = id + ".md", Title = title, Kind = DocumentKinds.Md, Sha256 = id, BlobPath = id,
        Status = DocumentStatus.Ready,
    };

    [Fact]
    public void DocumentsAreOrderedByCitationsWithTheNeverCitedIncluded()
    {
        var answered = new[]
        {
            new AskedQuestion("c-1", "q1", Dec1, AnswerKinds.Extractive, ["d-2", "d-1"], 0.8),
            new AskedQuestion("c-1", "q2", Dec1, AnswerKinds.Extractive, ["d-2", "d-2"], 0.8), // one answer counts once per document
            new AskedQuestion("c-1", "q3", Dec1, AnswerKinds.DontKnow, [], null),
            new AskedQuestion("c-1", "q4", Dec1, AnswerKinds.Extractive, ["gone"], 0.8), // a deleted document is not listed
        };
        var documents = DashboardFigures.Citations([Document("d-1", "Alpha"), Document("d-2", "Beta"), Document("d-3", "Gamma")], answered);
        Assert.Equal([("d-2", 2), ("d-1", 1), ("d-3", 0)], documents.Select(d => (d.DocumentId, d.Citations)));
        Assert.Equal("Gamma", documents[2].Title);
    }
}
