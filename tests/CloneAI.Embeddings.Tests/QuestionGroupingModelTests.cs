using CloneAI.Core.Insights;
using CloneAI.Core.Knowledge;
using CloneAI.Local.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace CloneAI.Embeddings.Tests;

/// <summary>
/// The dashboard's question groups with the local embedding model and the default <see cref="DashboardOptions.GroupSimilarity"/>:
/// rewordings of one question are one group, different questions (even on one subject) are not.
/// </summary>
public sealed class QuestionGroupingModelTests(ITestOutputHelper output)
{
    private static readonly string[][] Questions =
    [
        ["What causes the tides?", "Why do we have tides?", "what makes the tides happen"],
        ["How much does the course cost?", "What is the price of the course?"],
        ["When is the next spring tide?"],
        ["How far away is the Moon?"],
        ["Can I get a refund?"],
    ];

    [Fact]
    public async Task RewordingsOfAQuestionAreOneGroupAndDifferentQuestionsAreNot()
    {
        using var generator = new OnnxEmbeddingGenerator(OnnxEmbeddingModel.ArcticXs, new OnnxEmbeddingGeneratorOptions { MaxBatchSize = 8 });
        var embedder = new KnowledgeEmbedder(generator, Options.Create(new EmbeddingOptions()));
        var all = Questions.SelectMany(g => g).ToList();
        var vectors = await embedder.EmbedPassagesAsync(all);
        for (var i = 0; i < all.Count; i++)
            for (var j = i + 1; j < all.Count; j++)
                output.WriteLine($"{QuestionGrouping.Cosine(vectors[i], vectors[j]):F3}  {all[i]} | {all[j]}");

        var at = DateTimeOffset.Parse("2026-12-01T10:00:00Z");
        var wordings = QuestionGrouping.Wordings(all.Select((q, i) => new QuestionGrouping.Asked(q, at.AddMinutes(i))));
        var byKey = wordings.ToDictionary(w => w.Key, w => vectors[all.IndexOf(all.First(q => QuestionGrouping.Key(q) == w.Key))]);
        var groups = QuestionGrouping.Group(wordings, byKey, new DashboardOptions().GroupSimilarity);

        Assert.Equal(Questions.Length, groups.Count);
        Assert.Equal([3, 2, 1, 1, 1], groups.Select(g => g.Count));
        Assert.Contains(groups[0].Question, Questions[0]);
        Assert.Contains(groups[1].Question, Questions[1]);
    }
}
