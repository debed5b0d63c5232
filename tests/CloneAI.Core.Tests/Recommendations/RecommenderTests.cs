using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Recommendations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static CloneAI.Core.Tests.Recommendations.RecommendationBlendTests;

namespace CloneAI.Core.Tests.Recommendations;

/// <summary>The recommender's reads: the limit, the snapshot, the re-read of each result and the cached profile vectors.</summary>
public sealed class RecommenderTests
{
    private static readonly Caller Me = new("me", "me@example.com", "Me", IsAdmin: false, IsCreator: false);

    private readonly Dictionary<string, Clone> _clones = new(StringComparer.Ordinal);
    private readonly List<CloneUse> _uses = [];
    private readonly Mock<ICloneStore> _store = new();
    private readonly Mock<ICloneUsageReader> _usage = new();
    private readonly CountingEmbedder _embedder = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-06T09:00:00Z"));
    private readonly Recommender _recommender;

    public RecommenderTests()
    {
        _store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => _clones.GetValueOrDefault(id));
        _store.Setup(s => s.SearchPublishedAsync(It.IsAny<MarketplaceQuery>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((MarketplaceQuery q, CancellationToken _) =>
            {
                var published = _clones.Values.Where(c => c.Status == CloneStatus.Published).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
                var skip = q.ContinuationToken is null ? 0 : int.Parse(q.ContinuationToken, System.Globalization.CultureInfo.InvariantCulture);
                var page = published.Skip(skip).Take(q.PageSize).ToList();
                return new Page<Clone>(page, skip + page.Count < published.Count ? (skip + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
            });
        _usage.Setup(u => u.ForUserAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string user, CancellationToken _) => _uses.Where(u => u.UserId == user).ToList());
        _usage.Setup(u => u.ListSinceAsync(It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => _uses.ToList());
        _recommender = new Recommender(_store.Object, _usage.Object, new CloneProfileVectors(_embedder, NullLogger<CloneProfileVectors>.Instance),
            Options.Create(new RecommendationOptions()), _time);
    }

    private void Add(Clone clone) => _clones[clone.Id] = clone;

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    [InlineData(-3)]
    public async Task ALimitOutOfRangeIsAFieldError(int limit)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _recommender.ForUserAsync(Me, limit));
        Assert.Equal(["limit"], e.Errors.Keys);
        _usage.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task TheWholeCatalogueIsReadPageByPageAndTheLimitHolds()
    {
        for (var i = 0; i < 120; i++) Add(Clone($"c{i:000}"));

        var list = await _recommender.ForUserAsync(Me, 30);

        Assert.Equal(30, list.Items.Count);
        _store.Verify(s => s.SearchPublishedAsync(It.IsAny<MarketplaceQuery>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
        Assert.Equal(10, (await _recommender.ForUserAsync(Me, null)).Items.Count);
    }

    [Fact]
    public async Task ACloneUnpublishedOrGivenToTheCallerSinceTheSnapshotIsLeftOut()
    {
        Add(Clone("a")); Add(Clone("b")); Add(Clone("c"));
        Assert.Equal(3, (await _recommender.ForUserAsync(Me, 10)).Items.Count);

        Add(Clone("a", status: CloneStatus.Draft));
        Add(Clone("b", owner: "me"));
        var list = await _recommender.ForUserAsync(Me, 10);

        Assert.Equal(["c"], list.Items.Select(i => i.Recommended.Id));
        _store.Verify(s => s.SearchPublishedAsync(It.IsAny<MarketplaceQuery>(), It.IsAny<CancellationToken>()), Times.Once); // still the snapshot
    }

    [Fact]
    public async Task TheCallersOwnUsageIsReadEveryTimeSoAJustUsedCloneCountsAtOnce()
    {
        Add(Clone("a")); Add(Clone("b"));
        await _recommender.ForUserAsync(Me, 10);

        _uses.Add(new CloneUse("me", "a", 2, 5, null, _time.GetUtcNow()));
        var list = await _recommender.ForUserAsync(Me, 10);

        Assert.Equal(["b"], list.Items.Select(i => i.Recommended.Id));
    }

    [Fact]
    public async Task ProfileVectorsAreEmbeddedOnceAndAgainOnlyWhenTheCloneChanges()
    {
        Add(Clone("a")); Add(Clone("b"));
        _uses.Add(new CloneUse("me", "a", 1, 1, 5, _time.GetUtcNow()));

        await _recommender.ForUserAsync(Me, 10);
        _time.Advance(TimeSpan.FromMinutes(5)); // a new snapshot, same profiles
        await _recommender.ForUserAsync(Me, 10);
        Assert.Equal(2, _embedder.Passages);

        Add(Clone("b") with { Description = "Now about tides." });
        _time.Advance(TimeSpan.FromMinutes(5));
        var list = await _recommender.ForUserAsync(Me, 10);

        Assert.Equal(3, _embedder.Passages);
        Assert.True(list.Blend.ContentVectors);
    }

    [Fact]
    public async Task ABigCatalogueIsEmbeddedAFewProfilesARequestTheUsersOwnFirst()
    {
        Add(Clone("a")); Add(Clone("b")); Add(Clone("c")); Add(Clone("z"));
        _uses.Add(new CloneUse("me", "z", 1, 1, 5, _time.GetUtcNow()));
        var recommender = new Recommender(_store.Object, _usage.Object, new CloneProfileVectors(_embedder, NullLogger<CloneProfileVectors>.Instance),
            Options.Create(new RecommendationOptions { MaxEmbedPerRequest = 2 }), _time);

        await recommender.ForUserAsync(Me, 10);
        Assert.Equal(["z", "a"], _embedder.Embedded); // the user's clone first, then the catalogue's order

        await recommender.ForUserAsync(Me, 10);
        await recommender.ForUserAsync(Me, 10);
        Assert.Equal(["z", "a", "b", "c"], _embedder.Embedded);
    }

    [Fact]
    public async Task AFailingEmbeddingModelLeavesTheContentPartOut()
    {
        Add(Clone("a")); Add(Clone("b"));
        _uses.Add(new CloneUse("me", "a", 2, 1, 5, _time.GetUtcNow()));
        _embedder.Fail = true;

        var list = await _recommender.ForUserAsync(Me, 10);

        Assert.False(list.Blend.ContentVectors);
        Assert.Equal(["b"], list.Items.Select(i => i.Recommended.Id));
    }

    private sealed class CountingEmbedder : IKnowledgeEmbedder
    {
        public int Passages { get; private set; }
        public List<string> Embedded { get; } = [];
        public bool Fail { get; set; }
        public EmbeddingModelInfo Model { get; } = new("fake", 4);
        public int BatchSize => 64;

        public Task<float[][]> EmbedPassagesAsync(IReadOnlyList<string> passages, CancellationToken cancellationToken = default)
        {
            if (Fail) throw new HttpRequestException("model down");
            Passages += passages.Count;
            Embedded.AddRange(passages.Select(p => p.Split('.')[0].ToLowerInvariant()));
            return Task.FromResult(passages.Select(p => new float[] { p.Length % 7, 1, p.Contains("tides", StringComparison.Ordinal) ? 1 : 0, 0 }).ToArray());
        }

        public Task<float[]> EmbedQueryAsync(string query, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
