using CloneAI.Core.Chat;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Moq;

namespace CloneAI.Core.Tests.Chat;

/// <summary>Each retrieved passage comes with its sentences' similarity to the question.</summary>
public sealed class SourceRetrieverTests
{
    private static readonly Tokenizer Tokens = TiktokenTokenizer.CreateForModel("text-embedding-3-small");
    private const string Text = "Tides follow the Moon around the Earth. Whales sing in the deep ocean at night.";

    private readonly Mock<IKnowledgeIndex> _index = new();
    private readonly Mock<IKnowledgeEmbedder> _embedder = new();

    public SourceRetrieverTests()
    {
        _embedder.SetupGet(e => e.Model).Returns(new EmbeddingModelInfo("test-model", 2));
        _embedder.Setup(e => e.EmbedQueryAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync([1f, 0f]);
    }

    private SourceRetriever Create() =>
        new(_index.Object, _embedder.Object, Tokens, Options.Create(new ChatSettings()), Options.Create(new KnowledgeOptions { SegmentMinChars = 10 }));

    private void Hit(IReadOnlyList<float[]>? vectors) =>
        _index.Setup(i => i.SearchAsync(It.IsAny<KnowledgeQuery>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new KnowledgeHit("k1", "d1", "f.txt", "T", Text, 500, 500 + Text.Length, null, "", 1, 0.9, vectors)]);

    [Fact]
    public async Task TheIndexsSegmentVectorsGiveEachSentenceItsSimilarityWithoutEmbeddingAgain()
    {
        Hit([[1f, 0f], [0f, 1f]]);
        var source = Assert.Single(await Create().RetrieveAsync("c1", "What do tides follow?"));
        var segments = source.Segments!;
        Assert.Equal(2, segments.Count);
        Assert.Equal("Tides follow the Moon around the Earth.", Text[segments[0].Start..segments[0].End]);
        Assert.Equal((1.0, 0.0), (segments[0].Similarity, segments[1].Similarity));
        _embedder.Verify(e => e.EmbedPassagesAsync(It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AnIndexWithOneVectorPerChunkHasTheSegmentsEmbeddedInOneCall()
    {
        Hit(null);
        _embedder.Setup(e => e.EmbedPassagesAsync(It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyList<string> texts, CancellationToken _) => texts.Select(t => t.StartsWith("Tides", StringComparison.Ordinal) ? new[] { 0.6f, 0.8f } : [0f, 1f]).ToArray());
        var source = Assert.Single(await Create().RetrieveAsync("c1", "What do tides follow?"));
        Assert.Equal([0.6, 0.0], source.Segments!.Select(s => Math.Round(s.Similarity, 3)));
        _embedder.Verify(e => e.EmbedPassagesAsync(It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task WhenTheSegmentsCannotBeEmbeddedThePassageComesWithoutThem()
    {
        Hit([[1f, 0f]]); // one vector for two segments: not the segments' vectors
        _embedder.Setup(e => e.EmbedPassagesAsync(It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("down"));
        var source = Assert.Single(await Create().RetrieveAsync("c1", "What do tides follow?"));
        Assert.Null(source.Segments);
        // The responder then chooses by words and rank.
        Assert.Equal("Tides follow the Moon around the Earth.", SentenceChooser.Choose("What do tides follow?", [source], 1).Single().Sentence);
    }
}
