using CloneAI.Core.Knowledge;
using CloneAI.Eval;
using CloneAI.Local.Knowledge;
using static CloneAI.Search.Tests.TestData;

namespace CloneAI.Search.Tests;

/// <summary>
/// The optional ranking steps of hybrid search (second-stage rerank, pseudo-relevance feedback, standardised fusion) and the
/// cross-validation split that chose their (off) defaults.
/// </summary>
public sealed class SecondStageTests
{
    private static RankedCandidate<long> C(long key, string doc, double score) => new(key, doc, score);

    [Fact]
    public void Rerank_with_no_weight_keeps_the_fused_order()
    {
        var fused = new List<RankedCandidate<long>> { C(1, "a", 1.0), C(5, "b", 0.9), C(2, "a", 0.8) };
        Assert.Same(fused, HybridRerank.Rerank(fused, 10, _ => 1, 0, 0, 0));
        Assert.Same(fused, HybridRerank.Rerank(fused, 1, _ => 1, 1, 1, 1));
    }

    [Fact]
    public void Rerank_document_weight_lifts_chunks_of_the_strongest_document()
    {
        // Document a: 1.0 + 0.5 + 0.5 = 2.0; document b: 0.95. With weight 1, a's second chunk (0.5 + 1) passes b's (0.95 + 0.475).
        var fused = new List<RankedCandidate<long>> { C(1, "a", 1.0), C(9, "b", 0.95), C(2, "a", 0.5), C(3, "a", 0.5) };
        var reranked = HybridRerank.Rerank(fused, 10, _ => null, 0, documentWeight: 1, 0);
        Assert.Equal([1L, 2, 3, 9], reranked.Select(c => c.Key));
        Assert.Equal(1.0 + 1.0, reranked[0].Score, 12);
        Assert.Equal(0.95 + 0.475, reranked[3].Score, 12);
    }

    [Fact]
    public void Rerank_neighbour_weight_counts_only_adjacent_chunks_of_the_same_document()
    {
        // Key 6 sits next to key 5 (same document); key 8's neighbour 7 belongs to another document.
        var fused = new List<RankedCandidate<long>> { C(5, "a", 1.0), C(8, "b", 0.6), C(7, "c", 0.55), C(6, "a", 0.5) };
        var reranked = HybridRerank.Rerank(fused, 10, _ => null, 0, 0, neighbourWeight: 0.5);
        Assert.Equal([5L, 6, 8, 7], reranked.Select(c => c.Key));
        Assert.Equal(0.5 + 0.5, reranked[1].Score, 12);
        Assert.Equal(0.6, reranked[2].Score, 12);
    }

    [Fact]
    public void Rerank_segment_feature_is_scaled_over_the_candidates_and_missing_counts_as_zero()
    {
        var fused = new List<RankedCandidate<long>> { C(1, "a", 1.0), C(2, "b", 0.9), C(3, "c", 0.8), C(4, "d", 0.1) };
        var feature = new Dictionary<long, double> { [1] = 0.2, [2] = 0.6, [3] = 0.4 }; // 4: not ranked by the vector list
        var reranked = HybridRerank.Rerank(fused, 3, k => feature.TryGetValue(k, out var v) ? v : null, segmentWeight: 1, 0, 0);
        Assert.Equal([2L, 3, 1, 4], reranked.Select(c => c.Key));
        Assert.Equal(0.9 + 1, reranked[0].Score, 12);
        Assert.Equal(0.8 + 0.5, reranked[1].Score, 12);
        Assert.Equal(1.0, reranked[2].Score, 12);
        Assert.Equal(0.1, reranked[3].Score, 12); // past the depth: untouched, after the reranked ones
    }

    [Fact]
    public void Top_two_segments_averages_the_chunks_two_best_rows_only()
    {
        var builder = new CloneVectors.Builder(ModelA);
        Axis(0).CopyTo(builder.Add(10, "d"));
        Axis(0).CopyTo(builder.Add(11, "d")); // chunk 11: rows 1..3
        Axis(1).CopyTo(builder.Add(11, "d"));
        Axis(2).CopyTo(builder.Add(11, "d"));
        Axis(1).CopyTo(builder.Add(12, "d"));
        var vectors = builder.Build();
        var query = new float[8];
        query[0] = 0.8f;
        query[1] = 0.6f;
        Assert.Equal((0.8 + 0.6) / 2, HybridRerank.TopTwoSegments(vectors, 2, query), 6);
        Assert.Equal((0.8 + 0.6) / 2, HybridRerank.TopTwoSegments(vectors, 3, query), 6);
        Assert.Equal(0.8, HybridRerank.TopTwoSegments(vectors, 0, query), 6); // one row: its own
        Assert.Equal(0.6, HybridRerank.TopTwoSegments(vectors, 4, query), 6);
    }

    [Fact]
    public void Best_sentence_window_prefers_query_terms_in_one_sentence()
    {
        string[] terms = ["zebra", "stripe"];
        var together = "Horses graze on the open plain every day. The zebra has black and white stripes on its back. Lions rest under trees at noon.";
        var apart = "The zebra lives in herds on the open plain. Horses graze beside the river every day. Some shirts have stripes in many colours.";
        var one = HybridRerank.BestSentenceWindows([together, apart], terms, [1.0, 1.0], window: 1, k1: 0.9, b: 0.4);
        Assert.True(one[0] > one[1] * 1.5, $"{one[0]} vs {one[1]}");
        // A window of three sentences holds both terms in either text.
        var three = HybridRerank.BestSentenceWindows([together, apart], terms, [1.0, 1.0], window: 3, k1: 0.9, b: 0.4);
        Assert.InRange(three[0] / three[1], 0.95, 1.05); // the same two matches; only the lengths differ a little
        Assert.Equal([0.0], HybridRerank.BestSentenceWindows(["Nothing to see here at all, really."], terms, [1.0, 1.0], 1, 0.9, 0.4));
    }

    [Fact]
    public void Feedback_adds_terms_shared_by_feedback_chunks_weighted_below_the_query()
    {
        var query = KeywordTokenizer.QueryTerms("coronavirus receptor");
        (string, double)[] feedback =
        [
            ("The coronavirus spike binds the ACE2 receptor; ACE2 is expressed in the lung epithelium.", 2.0),
            ("ACE2 expression in lung epithelium explains the receptor tropism of the coronavirus.", 1.0),
            ("An unrelated sentence about giraffes that appears once.", 0.5),
        ];
        var df = new Dictionary<string, int>(StringComparer.Ordinal) { ["ace2"] = 3, ["lung"] = 10, ["epithelium"] = 5, ["express"] = 20, ["giraff"] = 1, ["the"] = 90 };
        var (terms, weights) = KeywordFeedback.Expand(query, feedback, t => df.GetValueOrDefault(t), live: 100, maxTerms: 2, weight: 0.3);
        Assert.Equal(query, terms.Take(query.Count));
        Assert.Equal(query.Count + 2, terms.Count);
        Assert.Equal("ace2", terms[query.Count]); // the most frequent and rarest shared term
        Assert.DoesNotContain("giraff", terms); // in one feedback chunk only
        Assert.All(weights.Take(query.Count), w => Assert.Equal(1f, w));
        Assert.Equal(0.3f, weights[query.Count], 5);
        Assert.True(weights[query.Count + 1] is > 0 and <= 0.3f);

        var (unchanged, ones) = KeywordFeedback.Expand(query, feedback, t => df.GetValueOrDefault(t), 100, maxTerms: 0, weight: 0.3);
        Assert.Equal(query, unchanged);
        Assert.All(ones, w => Assert.Equal(1f, w));
    }

    [Fact]
    public void Keyword_search_term_weights_scale_each_terms_contribution()
    {
        var builder = new CloneKeywords.Builder();
        builder.Add(1, "d1", new KeywordFields("apple apple orchard", "", ""));
        builder.Add(2, "d1", new KeywordFields("banana grove tropical", "", ""));
        builder.Add(3, "d2", new KeywordFields("cherry blossom spring", "", ""));
        builder.Add(4, "d2", new KeywordFields("date palm desert", "", ""));
        var keywords = builder.Build();
        List<string> terms = ["appl", "banana"];
        var rows = new int[4];
        var scores = new float[4];
        var n = keywords.Search(terms, [1f, 3f], 4, 0, rows, scores, 0.9f, 0.4f);
        Assert.Equal(2, n);
        Assert.Equal(2, keywords.RowId(rows[0])); // banana, three times the weight
        var plain = new float[4];
        Assert.Equal(2, keywords.Search(terms, 4, 0, rows, plain, 0.9f, 0.4f));
        Assert.Equal(1, keywords.RowId(rows[0])); // unweighted: apple (twice) first
        var zero = new float[4];
        Assert.Equal(1, keywords.Search(terms, [1f, 0f], 4, 0, rows, zero, 0.9f, 0.4f)); // weight 0: banana adds nothing
        Assert.Equal(1, keywords.RowId(rows[0]));
        Assert.Equal(plain[0], zero[0], 5);
        Assert.Throws<ArgumentException>(() => keywords.Search(terms, [1f], 4, 0, rows, scores, 0.9f, 0.4f));
    }

    [Fact]
    public void Document_frequency_counts_live_rows()
    {
        var keywords = CloneKeywords.CreateEmpty()
            .ReplaceDocument("a", [1, 2], [new KeywordFields("virus spike", "", ""), new KeywordFields("virus host", "", "")])
            .ReplaceDocument("b", [3], [new KeywordFields("virus", "", "")]);
        var virus = KeywordTokenizer.Terms("virus")[0];
        var spike = KeywordTokenizer.Terms("spike")[0];
        Assert.Equal(3, keywords.DocumentFrequency(virus));
        Assert.Equal(1, keywords.DocumentFrequency(spike));
        Assert.Equal(0, keywords.DocumentFrequency("absent"));
        keywords = keywords.ReplaceDocument("a", [], []);
        Assert.Equal(1, keywords.DocumentFrequency(virus));
        Assert.Equal(0, keywords.DocumentFrequency(spike));
    }

    [Fact]
    public void Standardised_fusion_sums_z_scores_and_gives_a_missing_list_its_floor()
    {
        var keyword = new[] { new RankedCandidate<string>("a", "d", 3), new RankedCandidate<string>("b", "d", 1) };
        var vector = new[] { new RankedCandidate<string>("b", "d", 0.9), new RankedCandidate<string>("c", "d", 0.5) };
        // Keyword: mean 2, sd 1 → a +1, b −1. Vector: mean 0.7, sd 0.2 → b +1, c −1 (weight 2).
        var fused = RankFusion.CombineStandardised(keyword, vector, 1, 2);
        Assert.Equal(["b", "a", "c"], fused.Select(f => f.Key));
        Assert.Equal(-1 + 2, fused[0].Score, 9);
        Assert.Equal(1 + 2 * -1, fused[1].Score, 9); // a is missing from the vector list: that list's lowest
        Assert.Equal(2 * -1 + -1, fused[2].Score, 9); // c is missing from the keyword list: its lowest
    }

    [Fact]
    public async Task Index_with_every_optional_step_on_still_ranks_the_matching_chunk_first()
    {
        var options = new RetrievalOptions
        {
            FeedbackChunks = 3, FeedbackTerms = 5, FeedbackWeight = 0.3,
            RerankDepth = 10, SegmentWeight = 0.5, DocumentWeight = 0.25, NeighbourWeight = 0.1, SentenceWeight = 0.5, SentenceWindow = 2,
        };
        foreach (var fusion in new[] { FusionModes.Score, FusionModes.ZScore })
        {
            options.Fusion = fusion;
            using var temp = new TempIndex(options);
            var random = new Random(5);
            for (var d = 0; d < 4; d++)
            {
                await temp.Index.UpsertDocumentAsync("c", $"doc{d}", ModelA, [.. Enumerable.Range(0, 4).Select(i => Chunk("c", $"doc{d}", i,
                    d == 2 && i == 1 ? "The pangolin carries a coronavirus close to the human strain. Pangolin trade spreads it." : $"Filler text number {i} about markets and trade in document {d}.",
                    d == 2 && i == 1 ? Axis(3) : Unit(random, 8)))]);
            }
            var hits = await temp.Index.SearchAsync(new KnowledgeQuery("c", "pangolin coronavirus", Axis(3), SearchModes.Hybrid, 5, 5, ModelA));
            Assert.Equal(5, hits.Count);
            Assert.Equal(TextChunk.MakeId("doc2", 1), hits[0].ChunkId);
        }
    }

    [Fact]
    public void New_options_are_validated()
    {
        static bool Valid(RetrievalOptions o) => System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
            o, new System.ComponentModel.DataAnnotations.ValidationContext(o), [], validateAllProperties: true);
        Assert.True(Valid(new RetrievalOptions()));
        Assert.True(Valid(new RetrievalOptions { Fusion = FusionModes.ZScore, FeedbackChunks = 5, RerankDepth = 20, SentenceWeight = 0.5, SentenceWindow = 3 }));
        Assert.False(Valid(new RetrievalOptions { Fusion = "bogus" }));
        Assert.False(Valid(new RetrievalOptions { SentenceWindow = 0 }));
        Assert.False(Valid(new RetrievalOptions { FeedbackWeight = -0.1 }));
        Assert.False(Valid(new RetrievalOptions { RerankDepth = -1 }));
        // Everything optional is off by default: the defaults rank exactly as before.
        var o = new RetrievalOptions();
        Assert.Equal((FusionModes.Score, 0, 0, 0.0, 0.0, 0.0, 0.0), (o.Fusion, o.FeedbackChunks, o.RerankDepth, o.SegmentWeight, o.DocumentWeight, o.NeighbourWeight, o.SentenceWeight));
    }

    [Fact]
    public void Folds_are_disjoint_cover_every_item_and_are_balanced()
    {
        var fold = CrossValidation.Assign(404, 5, 12);
        Assert.Equal(404, fold.Length);
        Assert.All(fold, f => Assert.InRange(f, 0, 4));
        var sizes = fold.GroupBy(f => f).Select(g => g.Count()).ToList();
        Assert.Equal(5, sizes.Count);
        Assert.Equal(404, sizes.Sum());
        Assert.True(sizes.Max() - sizes.Min() <= 1);
    }

    [Fact]
    public void Folds_depend_on_the_seed_only()
    {
        Assert.Equal(CrossValidation.Assign(100, 5, 7), CrossValidation.Assign(100, 5, 7));
        Assert.NotEqual(CrossValidation.Assign(100, 5, 7), CrossValidation.Assign(100, 5, 8));
        Assert.NotEqual(Enumerable.Range(0, 100).Select(i => i % 5), CrossValidation.Assign(100, 5, 7)); // shuffled, not dealt in order
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossValidation.Assign(10, 1, 7));
    }

    [Fact]
    public void Cross_validation_chooses_on_the_training_folds_and_reads_the_held_out_one()
    {
        // Two folds of two queries. Setting 0 is perfect on fold 0 and misses fold 1; setting 1 the other way round.
        int[] foldOf = [0, 0, 1, 1];
        int[][] ranks = [[1, 1, 0, 0], [0, 0, 1, 2]];
        var results = CrossValidation.Run(ranks, foldOf, 2);
        Assert.Equal(1, results[0].Chosen); // chosen on fold 1, where setting 1 wins...
        Assert.Equal(0, results[0].RecallAt5); // ...and read on fold 0, where it misses
        Assert.Equal(0, results[1].Chosen);
        Assert.Equal(0, results[1].MrrAt10);
        var (r5, mrr, n) = CrossValidation.Measure(ranks[1], foldOf, 1, train: false);
        Assert.Equal((1.0, 0.75, 2), (r5, mrr, n));
        Assert.Equal((2.0, Math.Sqrt(2)), CrossValidation.MeanSd([1.0, 3.0]));
    }
}
