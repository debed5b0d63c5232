using CloneAI.Core.Knowledge;
using static CloneAI.Search.Tests.TestData;

namespace CloneAI.Search.Tests;

/// <summary>A hit of the local index carries the vectors it holds for the chunk, so that chat scores its sentences without embedding them.</summary>
public sealed class HitVectorsTests : IDisposable
{
    private readonly TempIndex _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_hit_carries_its_segment_vectors_in_order_or_its_one_vector()
    {
        var segments = new[] { Axis(0), Axis(1), Axis(2) };
        var withSegments = Chunk("c", "d1", 0, "Tides follow the Moon. Whales sing at night. Stars are far away.", Normalize([1, 1, 1, 0, 0, 0, 0, 0])) with { SegmentVectors = segments };
        var single = Chunk("c", "d2", 0, "Planets wander across the sky.", Axis(3));
        await _temp.Index.UpsertDocumentAsync("c", "d1", ModelA, [withSegments]);
        await _temp.Index.UpsertDocumentAsync("c", "d2", ModelA, [single]);

        foreach (var mode in SearchModes.All)
        {
            var hits = await _temp.Index.SearchAsync(new KnowledgeQuery("c", "tides planets", Axis(1), mode, 10, 10, ModelA));
            var first = hits.Single(h => h.DocumentId == "d1");
            Assert.Equal(segments, first.Vectors);
            Assert.Equal([Axis(3)], hits.Single(h => h.DocumentId == "d2").Vectors);
        }
    }

    private static float[] Normalize(float[] v)
    {
        var n = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / n).ToArray();
    }
}
