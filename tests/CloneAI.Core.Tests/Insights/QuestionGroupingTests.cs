using CloneAI.Core.Chat;
using CloneAI.Core.Insights;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Tests.Insights;

public sealed class QuestionGroupingTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-01T10:00:00Z");

    /// <summary>Unit vectors by topic: the tides (two close directions), prices, and the Moon.</summary>
    private static float[] VectorOf(string text)
    {
        var t = text.ToLowerInvariant();
        float[] v = t.Contains("tide", StringComparison.Ordinal) ? (t.Contains("spring", StringComparison.Ordinal) ? [0.8f, 0.6f, 0, 0] : [1, 0.05f, 0, 0])
            : t.Contains("cost", StringComparison.Ordinal) || t.Contains("price", StringComparison.Ordinal) ? [0, 0, 1, 0]
            : [0, 0, 0, 1];
        return KnowledgeEmbedder.ToUnitVector(v);
    }

    private static readonly string[] Asked =
    [
        "What causes the tides?", "what causes the tides", "What causes the  tides?", "Why do we have tides?",
        "How much does it cost?", "What is the price?", "When is the next spring tide?", "How far is the Moon?",
    ];

    private static IReadOnlyList<QuestionGroup> Group(IEnumerable<(string Text, DateTimeOffset At)> questions)
    {
        var wordings = QuestionGrouping.Wordings(questions.Select(q => new QuestionGrouping.Asked(q.Text, q.At)));
        return QuestionGrouping.Group(wordings, wordings.ToDictionary(w => w.Key, w => VectorOf(w.Text)), 0.9);
    }

    [Fact]
    public void SimilarQuestionsAreOneGroupAndDifferentOnesAreNot()
    {
        var groups = Group(Asked.Select((q, i) => (q, At.AddMinutes(i))));

        Assert.Equal(4, groups.Count);
        var tides = groups[0];
        Assert.Equal(4, tides.Count);
        Assert.Equal(2, tides.Wordings); // case, spacing and the question mark aside, three of them are one wording
        Assert.Equal("What causes the tides?", tides.Question); // the most asked wording, as last asked (spaces collapsed)
        Assert.Equal("Why do we have tides?", tides.Example); // the latest asked
        Assert.Equal(At.AddMinutes(3), tides.LastAsked);
        var prices = groups[1];
        Assert.Equal(2, prices.Count);
        Assert.Equal(2, prices.Wordings);
        // On the same subject as the tides, but another question (cosine 0.85): a group of its own.
        Assert.Contains(groups, g => g is { Question: "When is the next spring tide?", Count: 1 });
        Assert.Contains(groups, g => g is { Question: "How far is the Moon?", Count: 1 });
    }

    [Fact]
    public void TheGroupsAreTheSameWhateverOrderTheQuestionsCameIn()
    {
        var first = Group(Asked.Select((q, i) => (q, At.AddMinutes(i))));
        for (var seed = 1; seed <= 5; seed++)
        {
            var shuffled = Asked.Select((q, i) => (q, At.AddMinutes(i))).ToArray();
            new Random(seed).Shuffle(shuffled);
            Assert.Equal(first, Group(shuffled));
        }
    }

    [Fact]
    public void AWordingWithoutAVectorStaysAlone()
    {
        var wordings = QuestionGrouping.Wordings([new("What causes the tides?", At), new("Why do we have tides?", At)]);
        var groups = QuestionGrouping.Group(wordings, new Dictionary<string, float[]>(), 0.9);
        Assert.Equal(2, groups.Count);
        Assert.All(groups, g => Assert.Equal(1, g.Count));
    }

    private static AskedQuestion Question(string text, string kind, double? best = null, int minute = 0) =>
        new("c-1", text, At.AddMinutes(minute), kind, [], best);

    private static QuestionAnalysis Analysis(Mock<IKnowledgeEmbedder> embedder) =>
        new(embedder.Object, Options.Create(new DashboardOptions { GroupSimilarity = 0.9, WeakSimilarity = 0.6 }), NullLogger<QuestionAnalysis>.Instance);

    private static Mock<IKnowledgeEmbedder> Embedder()
    {
        var embedder = new Mock<IKnowledgeEmbedder>();
        embedder.Setup(e => e.EmbedPassagesAsync(It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyList<string> texts, CancellationToken _) => texts.Select(VectorOf).ToArray());
        return embedder;
    }

    [Fact]
    public async Task GapsAreTheDontKnowsAndTheWeakAnswersGroupedByMeaningEachWithAnExample()
    {
        var embedder = Embedder();
        var insights = await Analysis(embedder).AnalyseAsync(
        [
            Question("What causes the tides?", AnswerKinds.Extractive, 0.8, 1),
            Question("Why do we have tides?", AnswerKinds.Extractive, 0.75, 2),
            Question("How much does it cost?", AnswerKinds.DontKnow, null, 3),
            Question("What is the price?", AnswerKinds.Model, 0.41, 4) with { CloneId = "c-2" }, // answered, but from a weak passage
            Question("How far is the Moon?", AnswerKinds.Extractive, 0.6, 5), // at the threshold: not weak
            Question("When is the next spring tide?", AnswerKinds.Model, null, 6), // no similarity known: not a gap
        ], truncated: false);

        Assert.Equal(GroupingMethods.Meaning, insights.GroupedBy);
        Assert.Equal(6, insights.Analysed);
        Assert.False(insights.Truncated);
        Assert.Equal(2, insights.Top[0].Count);
        var gap = Assert.Single(insights.Gaps);
        Assert.Equal(2, gap.Count);
        Assert.Equal(["c-1", "c-2"], gap.CloneIds);
        Assert.Equal("What is the price?", gap.Example);
        // Each distinct wording is embedded once, in one call.
        embedder.Verify(e => e.EmbedPassagesAsync(It.Is<IReadOnlyList<string>>(l => l.Count == 6), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task WithoutTheEmbeddingModelQuestionsAreGroupedByWordingAndSaySo()
    {
        var embedder = new Mock<IKnowledgeEmbedder>();
        embedder.Setup(e => e.EmbedPassagesAsync(It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("down"));
        var insights = await Analysis(embedder).AnalyseAsync(
            [Question("What causes the tides?", AnswerKinds.Extractive, 0.8), Question("what causes the tides", AnswerKinds.Extractive, 0.8), Question("Why do we have tides?", AnswerKinds.Extractive, 0.8)],
            truncated: true);
        Assert.Equal(GroupingMethods.Wording, insights.GroupedBy);
        Assert.True(insights.Truncated);
        Assert.Equal([2, 1], insights.Top.Select(g => g.Count));
    }

    [Fact]
    public void AGapIsADontKnowOrABestPassageBelowTheThreshold()
    {
        Assert.True(QuestionAnalysis.IsGap(Question("q", AnswerKinds.DontKnow), 0.6));
        Assert.True(QuestionAnalysis.IsGap(Question("q", AnswerKinds.Extractive, 0.59), 0.6));
        Assert.False(QuestionAnalysis.IsGap(Question("q", AnswerKinds.Extractive, 0.6), 0.6));
        Assert.False(QuestionAnalysis.IsGap(Question("q", AnswerKinds.Model), 0.6));
    }
}
