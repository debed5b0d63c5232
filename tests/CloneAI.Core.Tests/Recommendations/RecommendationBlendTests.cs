using CloneAI.Core.Domain;
using CloneAI.Core.Recommendations;

namespace CloneAI.Core.Tests.Recommendations;

/// <summary>The blend's arithmetic: exclusions, cold start, co-usage, content and the reasons.</summary>
public sealed class RecommendationBlendTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-06T09:00:00Z");
    private static readonly RecommendationOptions Options = new();

    internal static Clone Clone(string id, string category = "science", string owner = "creator", string status = CloneStatus.Published, string? name = null) => new()
    {
        Id = id, Slug = id, OwnerId = owner, Name = name ?? id.ToUpperInvariant(), Category = category, Status = status,
    };

    private static CloneUse Use(string user, string clone, int sessions = 1, double? rating = null, int minutesAgo = 0) =>
        new(user, clone, sessions, sessions * 3, rating, Now.AddMinutes(-minutesAgo));

    /// <summary>Unit vectors along a few axes: clones on one axis are near each other.</summary>
    private static float[] Axis(int axis, float tilt = 0)
    {
        var v = new float[4];
        v[axis] = 1;
        v[(axis + 1) % 4] = tilt;
        var norm = MathF.Sqrt(1 + tilt * tilt);
        return v.Select(x => x / norm).ToArray();
    }

    private static List<string> Ids(RecommendationList list) => list.Items.Select(i => i.Recommended.Id).ToList();

    [Fact]
    public void OwnUnpublishedHeavilyUsedAndBadlyRatedClonesAreNeverRecommended()
    {
        Clone[] catalogue =
        [
            Clone("mine", owner: "me"), Clone("draft", status: CloneStatus.Draft), Clone("gone", status: CloneStatus.Deleted),
            Clone("heavy"), Clone("disliked"), Clone("fresh"), Clone("tried"),
        ];
        CloneUse[] mine = [Use("me", "heavy", sessions: 2, rating: 5), Use("me", "disliked", rating: 1), Use("me", "tried")];
        var usage = new UsageIndex([.. mine, Use("a", "draft"), Use("b", "mine"), Use("c", "gone"), Use("x", "fresh"), Use("x", "tried")]);

        var list = RecommendationBlend.Rank("me", mine, catalogue, usage, null, Options, 10);

        Assert.Equal(["fresh", "tried"], Ids(list).Order());
        // A clone tried once may come back, at half its score, and says why.
        var tried = list.Items.Single(i => i.Recommended.Id == "tried");
        Assert.True(tried.Score < list.Items.Single(i => i.Recommended.Id == "fresh").Score);
        Assert.Equal(RecommendationReasons.Revisit, tried.ReasonKind);
        Assert.Equal("You had one session with it: pick up where you left off", tried.Reason);
        Assert.Equal("Popular in Science & Research", list.Items.Single(i => i.Recommended.Id == "fresh").Reason);
    }

    [Fact]
    public void ANewUserGetsTheCataloguesMostPopularByDistinctUsersNotBySessions()
    {
        Clone[] catalogue = [Clone("binge", "health"), Clone("crowd", "science"), Clone("quiet", "law")];
        var usage = new UsageIndex([Use("a", "binge", sessions: 40), Use("a", "crowd"), Use("b", "crowd"), Use("c", "crowd")]);

        var list = RecommendationBlend.Rank("newcomer", [], catalogue, usage, null, Options, 10);

        Assert.Equal(RecommendationMethods.ColdStart, list.Method);
        Assert.Equal(["crowd", "binge", "quiet"], Ids(list));
        Assert.Equal("Popular in Science & Research", list.Items[0].Reason);
        Assert.Equal(RecommendationReasons.Popularity, list.Items[0].ReasonKind);
        Assert.Equal("New in Law & Policy", list.Items[2].Reason);
        Assert.Equal(0, list.Blend.Seeds);
    }

    [Fact]
    public void PopularityFavoursTheUsersCategories()
    {
        Clone[] catalogue = [Clone("seed", "law"), Clone("law-2", "law"), Clone("sci", "science")];
        var usage = new UsageIndex([Use("me", "seed"), Use("a", "law-2"), Use("a", "sci"), Use("b", "sci"), Use("c", "sci")]);

        var list = RecommendationBlend.Rank("me", [Use("me", "seed", sessions: 3)], catalogue, usage, null, Options, 10);

        Assert.Equal(RecommendationMethods.Blend, list.Method);
        Assert.Equal("law-2", list.Items[0].Recommended.Id);
        Assert.Equal("Popular in Law & Policy", list.Items[0].Reason);
    }

    [Fact]
    public void PeopleWhoUseMyClonesAlsoUseTheirOthers()
    {
        Clone[] catalogue = [Clone("tides", name: "Tide Expert"), Clone("moon", name: "Moon Guide"), Clone("popular"), Clone("lonely")];
        CloneUse[] others =
        [
            Use("a", "tides"), Use("a", "moon"), Use("b", "tides"), Use("b", "moon"),
            Use("c", "tides"), Use("c", "lonely"), // only one other user has both: not enough for a reason
            Use("d", "popular"), Use("e", "popular"), Use("f", "popular"), Use("g", "popular"),
        ];
        CloneUse[] mine = [Use("me", "tides", sessions: 3)];

        var list = RecommendationBlend.Rank("me", mine, catalogue, new UsageIndex([.. mine, .. others]), null, Options, 10);

        var first = list.Items[0];
        Assert.Equal("moon", first.Recommended.Id);
        Assert.Equal(RecommendationReasons.CoUsage, first.ReasonKind);
        Assert.Equal("People who use Tide Expert also use Moon Guide", first.Reason);
        Assert.Equal("tides", first.BecauseOfCloneId);
        Assert.NotEqual(RecommendationReasons.CoUsage, list.Items.Single(i => i.Recommended.Id == "lonely").ReasonKind);
    }

    [Fact]
    public void ProfilesNearAHighlyRatedCloneComeFirstWithThatReason()
    {
        Clone[] catalogue = [Clone("loved", name: "Ocean Scientist"), Clone("used", name: "Tax Adviser"), Clone("near-loved"), Clone("near-used"), Clone("far")];
        var vectors = new Dictionary<string, float[]>
        {
            ["loved"] = Axis(0), ["near-loved"] = Axis(0, 0.1f), ["used"] = Axis(2), ["near-used"] = Axis(2, 0.1f), ["far"] = Axis(1, 0.2f),
        };
        CloneUse[] mine = [Use("me", "loved", rating: 5), Use("me", "used", sessions: 1)];

        var list = RecommendationBlend.Rank("me", mine, catalogue, new UsageIndex(mine), vectors, Options, 10);

        Assert.Equal("near-loved", list.Items[0].Recommended.Id);
        Assert.Equal("Because you rated Ocean Scientist highly", list.Items[0].Reason);
        Assert.Equal(RecommendationReasons.Content, list.Items[0].ReasonKind);
        var nearUsed = list.Items.Single(i => i.Recommended.Id == "near-used");
        Assert.Equal("Because you use Tax Adviser", nearUsed.Reason);
        Assert.True(list.Blend.ContentVectors);
        Assert.Equal(2, list.Blend.Seeds);
    }

    [Fact]
    public void WithoutProfileVectorsTheContentPartIsLeftOutAndSaysSo()
    {
        Clone[] catalogue = [Clone("a"), Clone("b")];
        var list = RecommendationBlend.Rank("me", [Use("me", "a")], catalogue, UsageIndex.Empty, null, Options, 10);

        Assert.False(list.Blend.ContentVectors);
        Assert.Equal(0, list.Blend.ContentWeight);
        Assert.All(list.Items, i => Assert.NotEqual(RecommendationReasons.Content, i.ReasonKind));
    }

    [Fact]
    public void UsesAreAggregatedPerUserAndCloneWithTheAverageRating()
    {
        var uses = CloneUses.Aggregate(
        [
            new("u", "c", 2, 4, Now.AddDays(-2)), new("u", "c", 3, 5, Now.AddDays(-1)), new("u", "c", 1, null, Now.AddDays(-3)), new("v", "c", 1, null, Now),
        ]);

        Assert.Equal(2, uses.Count);
        Assert.Equal(new CloneUse("v", "c", 1, 1, null, Now), uses[0]);
        Assert.Equal(new CloneUse("u", "c", 3, 6, 4.5, Now.AddDays(-1)), uses[1]);
    }
}
