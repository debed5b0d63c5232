using CloneAI.Core.Chat;

namespace CloneAI.Core.Tests.Chat;

/// <summary>Finding 4 in the creator's figures: a clone's ratings are one per user (the latest), never the owner's own.</summary>
public sealed class SessionRatingsTests
{
    private static readonly DateTimeOffset Dec1 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static ChatSession Session(string id, string user, int? rating, DateTimeOffset? ratedAt = null, bool preview = false) => new()
    {
        Id = id, UserId = user, CloneId = "c-1", CloneName = "Ada", OwnerId = "owner", StartedAt = Dec1, LastActivityAt = Dec1.AddMinutes(5),
        EndedAt = Dec1.AddMinutes(5), Status = SessionStatus.Ended, MessageCount = 1, Rating = rating, RatedAt = ratedAt, Preview = preview,
    };

    [Fact]
    public void AUserWhoRatedThreeSessionsCountsOnceWithTheirLatestRating()
    {
        var sessions = new[]
        {
            Session("a", "u-1", 5, Dec1.AddHours(3)),
            Session("b", "u-1", 1, Dec1.AddHours(5)),
            Session("c", "u-1", 5, Dec1.AddHours(4)),
            Session("d", "u-2", 4, Dec1.AddHours(1)),
            Session("e", "owner", 5, Dec1.AddHours(2)),                 // the owner's own session from before previews
            Session("f", "owner", 5, Dec1.AddHours(2), preview: true),
            Session("g", "u-3", null),
        };

        var stats = CloneSessionStats.Of(sessions, 0, "USD");

        Assert.Equal(2, stats.Ratings);
        Assert.Equal(2.5, stats.AverageRating);
        Assert.Equal(["b", "d"], SessionRatings.LatestPerUser(sessions).Select(s => s.Id).Order());
    }
}
