using System.ComponentModel.DataAnnotations;
using CloneAI.Core.Knowledge;
using CloneAI.Local.Knowledge;

namespace CloneAI.Search.Tests;

public sealed class RetrievalPiecesTests
{
    private static RankedCandidate<string> C(string key, string doc = "d") => new(key, doc, 0);

    [Fact]
    public void Rrf_scores_by_weighted_reciprocal_rank()
    {
        var keyword = new[] { C("a"), C("b"), C("c") };
        var vector = new[] { C("a"), C("c"), C("d") };
        var fused = RankFusion.Fuse(keyword, vector, keywordWeight: 1, vectorWeight: 2, k: 10);
        Assert.Equal(["a", "c", "d", "b"], fused.Select(f => f.Key));
        Assert.Equal(1.0 / 11 + 2.0 / 11, fused[0].Score, 12);
        Assert.Equal(1.0 / 13 + 2.0 / 12, fused[1].Score, 12);
        Assert.Equal(2.0 / 13, fused[2].Score, 12);
        Assert.Equal(1.0 / 12, fused[3].Score, 12);
    }

    [Fact]
    public void Rrf_with_one_empty_list_keeps_the_other_order()
    {
        var fused = RankFusion.Fuse([], new[] { C("x"), C("y") }, 1, 1, 60);
        Assert.Equal(["x", "y"], fused.Select(f => f.Key));
        fused = RankFusion.Fuse(new[] { C("x"), C("y") }, [], 1, 1, 60);
        Assert.Equal(["x", "y"], fused.Select(f => f.Key));
    }

    [Fact]
    public void Diversify_caps_per_document_and_keeps_order()
    {
        var ranked = new[] { C("1", "A"), C("2", "A"), C("3", "A"), C("4", "B"), C("5", "A"), C("6", "C") };
        Assert.Equal(["1", "2", "4", "6"], RankFusion.Diversify(ranked, c => c.DocumentId, 10, 2).Select(c => c.Key));
        Assert.Equal(["1", "4"], RankFusion.Diversify(ranked, c => c.DocumentId, 2, 1).Select(c => c.Key));
    }

    [Theory]
    [InlineData("What is the role of ACE2 in SARS-CoV-2?", "\"role\" OR \"ace2\" OR \"sars\" OR \"cov\" OR \"2\"")]
    [InlineData("what is the", "\"what\" OR \"is\" OR \"the\"")]
    [InlineData("NEAR(a b) text:foo \"x\"*", "\"near\" OR \"b\" OR \"text\" OR \"foo\" OR \"x\"")]
    [InlineData("'); DROP TABLE chunks;--", "\"drop\" OR \"table\" OR \"chunks\"")]
    [InlineData("  \"*^()  ", null)]
    public void Fts_query_is_neutralised_with_or_semantics(string text, string? expected) =>
        Assert.Equal(expected, RetrievalFtsQuery.Build(text));

    [Fact]
    public void Vector_scan_matches_brute_force_and_skips_dead_rows()
    {
        const int dims = 384, count = 3000, k = 50;
        var random = new Random(11);
        var matrix = new float[count * dims];
        for (var i = 0; i < count; i++) TestData.Unit(random, dims).CopyTo(matrix, i * dims);
        var query = TestData.Unit(random, dims);
        var dead = new ulong[(count + 63) / 64];
        for (var i = 0; i < count; i += 7) dead[i >> 6] |= 1UL << (i & 63);

        var rows = new int[k];
        var scores = new float[k];
        var n = VectorScan.TopK(matrix, dims, count, query, k, rows, scores, dead);
        var expected = Enumerable.Range(0, count).Where(i => i % 7 != 0)
            .Select(i => (Row: i, Score: Enumerable.Range(0, dims).Sum(j => (double)matrix[i * dims + j] * query[j])))
            .OrderByDescending(x => x.Score).Take(k).ToList();
        Assert.Equal(k, n);
        Assert.Equal(expected.Select(e => e.Row), rows);
        Assert.All(scores.Zip(expected), p => Assert.Equal(p.Second.Score, p.First, 1e-5));
    }

    [Fact]
    public void Retrieval_options_validate()
    {
        Assert.True(Valid(new RetrievalOptions()));
        Assert.False(Valid(new RetrievalOptions { RrfK = 0 }));
        Assert.False(Valid(new RetrievalOptions { CandidatePool = 0 }));
        Assert.False(Valid(new RetrievalOptions { KeywordWeight = -1 }));
        Assert.False(Valid(new RetrievalOptions { MaxPerDocument = 0 }));

        static bool Valid(object o) => Validator.TryValidateObject(o, new ValidationContext(o), null, validateAllProperties: true);
    }
}
