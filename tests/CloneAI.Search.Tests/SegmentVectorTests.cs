using CloneAI.Core.Knowledge;
using CloneAI.Local.Knowledge;
using static CloneAI.Search.Tests.TestData;

namespace CloneAI.Search.Tests;

public sealed class SegmentVectorTests
{
    private static RankedCandidate<string> C(string key, double score) => new(key, "d", score);

    [Fact]
    public void Score_fusion_normalises_each_list_and_adds_the_weights()
    {
        var keyword = new[] { C("a", 10), C("b", 5), C("c", 1) };
        var vector = new[] { C("c", 0.9), C("a", 0.7), C("d", 0.5) };
        var fused = RankFusion.Combine(keyword, vector, keywordWeight: 1, vectorWeight: 0.5);
        // a: 1 + 0.5·0.5 = 1.25; b: 0.5; c: 0.1 + 0.5 = 0.6; d: 0 (the last of the vector list)
        Assert.Equal(["a", "c", "b", "d"], fused.Select(f => f.Key));
        Assert.Equal(1.25, fused[0].Score, 12);
        Assert.Equal(0.6, fused[1].Score, 12);
        Assert.Equal(0.5, fused[2].Score, 12);
        Assert.Equal(0.0, fused[3].Score, 12);
    }

    [Fact]
    public void Segments_are_sentences_with_short_fragments_joined()
    {
        const string text = "Methods:\nThe virus binds ACE2 in the lung. It then enters the cell by endocytosis.\nFig 1";
        var spans = PassageSegmenter.Segment(text, minChars: 20);
        var parts = spans.Select(s => text[s.Start..s.End]).ToList();
        Assert.Equal(["Methods:\nThe virus binds ACE2 in the lung.", "It then enters the cell by endocytosis.\nFig 1"], parts);
        Assert.Single(PassageSegmenter.Segment("Short.", 100));
        Assert.Empty(PassageSegmenter.Segment("  \n ", 10));
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(7, true)]
    public void A_scan_split_across_threads_finds_exactly_what_one_thread_finds(int partitions, bool withDeadRows)
    {
        var random = new Random(partitions);
        const int dims = 16, count = 5000, k = 25;
        var matrix = new float[count * dims];
        for (var i = 0; i < matrix.Length; i++) matrix[i] = (float)(random.NextDouble() * 2 - 1);
        // Chunks of 1 to 9 rows, so partition bounds land inside groups and have to move.
        var groups = new long[count];
        for (int i = 0, g = 0; i < count; g++) for (var n = 1 + random.Next(9); n > 0 && i < count; n--) groups[i++] = 100 + g;
        ulong[]? dead = null;
        if (withDeadRows)
        {
            dead = new ulong[(count + 63) / 64];
            for (var i = 0; i < count; i += 3) dead[i >> 6] |= 1UL << (i & 63);
        }
        var query = new float[dims];
        for (var i = 0; i < dims; i++) query[i] = (float)(random.NextDouble() * 2 - 1);

        int[] rows1 = new int[k], rowsP = new int[k];
        float[] scores1 = new float[k], scoresP = new float[k];
        var n1 = VectorScan.TopK(matrix, dims, count, query, k, rows1, scores1, dead, groups);
        var nP = VectorScan.TopKParallel(matrix, dims, count, query, k, rowsP, scoresP, dead, groups, partitions);

        Assert.Equal(k, n1);
        Assert.Equal(n1, nP);
        Assert.Equal(rows1, rowsP);
        Assert.Equal(scores1, scoresP);
        Assert.Equal(k, rowsP.Select(r => groups[r]).Distinct().Count()); // one row per chunk
    }

    [Fact]
    public void Grouped_scan_scores_a_chunk_by_its_best_row()
    {
        // Rows 0-1 are chunk 7, row 2 chunk 8, rows 3-4 chunk 9 (row 4 dead).
        float[] matrix = [.. Axis(1), .. Axis(0), .. KnowledgeEmbedder.ToUnitVector(new float[] { 0.8f, 0.6f, 0, 0, 0, 0, 0, 0 }), .. Axis(2), .. Axis(0)];
        long[] groups = [7, 7, 8, 9, 9];
        ulong[] dead = [1UL << 4];
        Span<int> rows = stackalloc int[3];
        Span<float> scores = stackalloc float[3];
        var n = VectorScan.TopK(matrix, 8, 5, Axis(0), 3, rows, scores, dead, groups);
        Assert.Equal(3, n);
        Assert.Equal([1, 2, 3], rows.ToArray());
        Assert.Equal(1f, scores[0], 5);
        Assert.Equal(0.8f, scores[1], 5);
        Assert.Equal(0f, scores[2], 5);
    }

    [Fact]
    public async Task A_chunk_with_segment_vectors_is_found_by_any_of_its_segments_and_survives_a_reload()
    {
        using var temp = new TempIndex();
        var withSegments = Chunk("c", "d1", 0, "alpha beta", Axis(3)) with { SegmentVectors = [Axis(1), Axis(2)] };
        await temp.Index.UpsertDocumentAsync("c", "d1", ModelA, [withSegments, Chunk("c", "d1", 1, "gamma", Axis(4))]);
        await temp.Index.UpsertDocumentAsync("c", "d2", ModelA, [Chunk("c", "d2", 0, "delta", KnowledgeEmbedder.ToUnitVector(new float[] { 0, 0.6f, 0.8f, 0, 0, 0, 0, 0 }))]);

        for (var pass = 0; pass < 2; pass++)
        {
            var hits = await temp.Index.SearchAsync(new KnowledgeQuery("c", "x", Axis(2), SearchModes.Vector, 3, 0, ModelA));
            Assert.Equal("d1-00000", hits[0].ChunkId);
            Assert.Equal(1.0, hits[0].Score, 5);
            Assert.Equal(["d1-00000", "d2-00000"], hits.Take(2).Select(h => h.ChunkId));
            Assert.Equal(3, hits.Select(h => h.ChunkId).Distinct().Count());
            // The chunk vector itself is not searched when segments are kept.
            hits = await temp.Index.SearchAsync(new KnowledgeQuery("c", "x", Axis(3), SearchModes.Vector, 1, 0, ModelA));
            Assert.NotEqual(1.0, hits[0].Score, 5);
            temp.Index.Invalidate("c"); // second pass: loaded back from SQLite
        }
    }
}
