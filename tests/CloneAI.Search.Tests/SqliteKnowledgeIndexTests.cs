using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using CloneAI.Local.Knowledge;
using static CloneAI.Search.Tests.TestData;

namespace CloneAI.Search.Tests;

public sealed class SqliteKnowledgeIndexTests : IDisposable
{
    private readonly TempIndex _temp = new();
    private SqliteKnowledgeIndex Index => _temp.Index;

    public void Dispose() => _temp.Dispose();

    private static KnowledgeQuery Query(string clone, string text, float[]? vector, string mode, int top = 10, int maxPerDocument = 10, EmbeddingModelInfo? model = null) =>
        new(clone, text, vector, mode, top, maxPerDocument, model ?? ModelA);

    [Fact]
    public async Task Clone_filter_isolates_clones_in_every_mode()
    {
        var random = new Random(1);
        for (var d = 0; d < 3; d++)
        {
            await Index.UpsertDocumentAsync("clone-a", $"a-doc{d}", ModelA,
                [.. Enumerable.Range(0, 5).Select(i => Chunk("clone-a", $"a-doc{d}", i, $"apple banana orchard {i}", Unit(random, 8)))]);
            await Index.UpsertDocumentAsync("clone-b", $"b-doc{d}", ModelA,
                [.. Enumerable.Range(0, 5).Select(i => Chunk("clone-b", $"b-doc{d}", i, $"apple banana orchard {i}", Unit(random, 8)))]);
        }
        foreach (var mode in SearchModes.All)
        {
            var hits = await Index.SearchAsync(Query("clone-a", "apple orchard", Unit(random, 8), mode, top: 50));
            Assert.Equal(15, hits.Count);
            Assert.All(hits, h => Assert.StartsWith("a-doc", h.DocumentId, StringComparison.Ordinal));
            var none = await Index.SearchAsync(Query("clone-c", "apple orchard", Unit(random, 8), mode, top: 50));
            Assert.Empty(none);
        }
    }

    [Fact]
    public async Task Upsert_is_idempotent_and_replaces_the_document()
    {
        var random = new Random(2);
        var chunks = Enumerable.Range(0, 7).Select(i => Chunk("c", "doc", i, $"zebra stripes number {i}", Unit(random, 8))).ToList();
        await Index.UpsertDocumentAsync("c", "doc", ModelA, chunks);
        await Index.SearchAsync(Query("c", "zebra", Unit(random, 8), SearchModes.Hybrid)); // load the vectors, then update them
        await Index.UpsertDocumentAsync("c", "doc", ModelA, chunks);
        Assert.Equal(7, _temp.Scalar("SELECT count(*) FROM chunks"));
        Assert.Equal(7, _temp.Scalar("SELECT count(*) FROM chunks WHERE text LIKE '%zebra%'"));
        foreach (var mode in SearchModes.All)
        {
            var hits = await Index.SearchAsync(Query("c", "zebra", Unit(random, 8), mode, top: 50));
            Assert.Equal(7, hits.Count);
            Assert.Equal(7, hits.Select(h => h.ChunkId).Distinct().Count());
        }

        // A new version with fewer chunks and other words leaves nothing of the old one.
        await Index.UpsertDocumentAsync("c", "doc", ModelA, [Chunk("c", "doc", 0, "giraffe necks", Unit(random, 8))]);
        Assert.Equal(1, _temp.Scalar("SELECT count(*) FROM chunks"));
        Assert.Equal(0, _temp.Scalar("SELECT count(*) FROM chunks WHERE text LIKE '%zebra%'"));
        Assert.Single(await Index.SearchAsync(Query("c", "zebra giraffe", Unit(random, 8), SearchModes.Hybrid, top: 50)));
        Assert.Empty(await Index.SearchAsync(Query("c", "zebra", null, SearchModes.Keyword, top: 50)));
    }

    [Fact]
    public async Task Delete_removes_the_document_everywhere()
    {
        var random = new Random(3);
        await Index.UpsertDocumentAsync("c", "keep", ModelA, [Chunk("c", "keep", 0, "lighthouse keeper", Unit(random, 8))]);
        await Index.UpsertDocumentAsync("c", "gone", ModelA, [Chunk("c", "gone", 0, "lighthouse lamp", Unit(random, 8)), Chunk("c", "gone", 1, "lighthouse rock", Unit(random, 8))]);
        Assert.Equal(3, (await Index.SearchAsync(Query("c", "lighthouse", Unit(random, 8), SearchModes.Hybrid))).Count);

        await Index.DeleteDocumentAsync("c", "gone");
        foreach (var mode in SearchModes.All)
        {
            var hits = await Index.SearchAsync(Query("c", "lighthouse", Unit(random, 8), mode));
            Assert.Equal("keep", Assert.Single(hits).DocumentId);
        }
        Assert.Equal(0, _temp.Scalar("SELECT count(*) FROM chunks WHERE document_id = 'gone'"));

        await Index.DeleteDocumentAsync("c", "keep");
        Assert.Empty(await Index.GetModelsAsync("c"));
        Assert.Empty(await Index.SearchAsync(Query("c", "lighthouse", Unit(random, 8), SearchModes.Hybrid)));
        await Index.DeleteDocumentAsync("c", "never-there");
    }

    [Fact]
    public async Task MaxPerDocument_caps_each_document()
    {
        var random = new Random(4);
        await Index.UpsertDocumentAsync("c", "big", ModelA, [.. Enumerable.Range(0, 20).Select(i => Chunk("c", "big", i, $"volcano lava eruption {i}", Unit(random, 8)))]);
        await Index.UpsertDocumentAsync("c", "small1", ModelA, [Chunk("c", "small1", 0, "volcano ash", Unit(random, 8))]);
        await Index.UpsertDocumentAsync("c", "small2", ModelA, [Chunk("c", "small2", 0, "volcano crater", Unit(random, 8))]);
        // Another clone's rows keep "volcano" under half of all rows: FTS5's BM25 would give it no weight otherwise (and it is dropped).
        await Index.UpsertDocumentAsync("other", "filler", ModelA, [.. Enumerable.Range(0, 30).Select(i => Chunk("other", "filler", i, "unrelated filler", Unit(random, 8)))]);
        foreach (var mode in SearchModes.All)
        {
            var hits = await Index.SearchAsync(Query("c", "volcano lava", Unit(random, 8), mode, top: 10, maxPerDocument: 2));
            Assert.Equal(4, hits.Count);
            Assert.All(hits.GroupBy(h => h.DocumentId), g => Assert.True(g.Count() <= 2));
        }

        // 0: the configured default.
        var byDefault = await Index.SearchAsync(Query("c", "volcano lava", Unit(random, 8), SearchModes.Hybrid, top: 10, maxPerDocument: 0));
        Assert.Equal(new RetrievalOptions().MaxPerDocument, byDefault.Count(h => h.DocumentId == "big"));
    }

    [Fact]
    public async Task Another_model_conflicts_for_vector_and_hybrid_but_keyword_works()
    {
        var random = new Random(5);
        await Index.UpsertDocumentAsync("c", "doc", ModelA, [Chunk("c", "doc", 0, "penguin colony", Unit(random, 8))]);
        Assert.Equal([ModelA], await Index.GetModelsAsync("c"));
        foreach (var mode in new[] { SearchModes.Vector, SearchModes.Hybrid })
        {
            var e = await Assert.ThrowsAsync<ConflictException>(() => Index.SearchAsync(Query("c", "penguin", Unit(random, 8), mode, model: ModelB)));
            Assert.Contains(ModelA.Model, e.Message, StringComparison.Ordinal);
            Assert.Contains("re-index", e.Message, StringComparison.OrdinalIgnoreCase);
            // Other dimensions are caught even without the model.
            await Assert.ThrowsAsync<ConflictException>(() => Index.SearchAsync(new KnowledgeQuery("c", "penguin", Unit(random, 16), mode, 5, 0)));
        }
        Assert.Single(await Index.SearchAsync(Query("c", "penguin", null, SearchModes.Keyword, model: ModelB)));

        // A second document by another model after the vectors were loaded: mixed, so still a conflict, for both models.
        await Index.SearchAsync(Query("c", "penguin", Unit(random, 8), SearchModes.Hybrid));
        await Index.UpsertDocumentAsync("c", "doc2", ModelB, [Chunk("c", "doc2", 0, "penguin egg", Unit(random, 8))]);
        Assert.Equal(2, (await Index.GetModelsAsync("c")).Count);
        await Assert.ThrowsAsync<ConflictException>(() => Index.SearchAsync(Query("c", "penguin", Unit(random, 8), SearchModes.Hybrid, model: ModelA)));
        Assert.Equal(2, (await Index.SearchAsync(Query("c", "penguin", null, SearchModes.Keyword))).Count);

        // Re-indexed with B: B works again.
        await Index.UpsertDocumentAsync("c", "doc", ModelB, [Chunk("c", "doc", 0, "penguin colony", Unit(random, 8))]);
        Assert.Equal(2, (await Index.SearchAsync(Query("c", "penguin", Unit(random, 8), SearchModes.Hybrid, model: ModelB))).Count);
    }

    public static TheoryData<string> HostileQueries => new()
    {
        "\"", "\"\"", "*", "NEAR(a b)", "NEAR(alpha beta, 2)", "text:foo", "title:foo OR", "a AND OR NOT", "(((", ")))", "^x", "-x", "+x",
        "'); DROP TABLE chunks;--", "\"unterminated phrase", "alpha*", "{text title}: alpha", "a:b:c", "AND", "OR", "NOT", "NEAR",
        "\0\u0001\u0002", "🙂 emoji", "café naïve", "e\u0301", "  ", "", "alpha\"beta", "[x]", "col : \"a\" * ^",
        new string('x', 5000), string.Concat(Enumerable.Repeat("(\"*^:NEAR AND ", 400)), string.Concat(Enumerable.Range(0, 800).Select(i => $"w{i} ")),
    };

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task Hostile_query_text_never_throws(string text)
    {
        var random = new Random(6);
        await Index.UpsertDocumentAsync("c", "doc", ModelA, [Chunk("c", "doc", 0, "alpha beta foo text title near and or not", Unit(random, 8))]);
        foreach (var mode in SearchModes.All)
        {
            var hits = await Index.SearchAsync(Query("c", text, Unit(random, 8), mode));
            Assert.True(hits.Count <= 1);
        }
        Assert.Equal(1, _temp.Scalar("SELECT count(*) FROM chunks"));
    }

    [Fact]
    public async Task Hybrid_ranks_the_chunk_first_in_both_lists_first()
    {
        // "target" is the best keyword match (three query terms) and the nearest vector; the others win at most one list's lower ranks.
        await Index.UpsertDocumentAsync("c", "d1", ModelA,
        [
            Chunk("c", "d1", 0, "quantum entanglement teleportation experiment", Axis(0)),
            Chunk("c", "d1", 1, "quantum computing", Normalize([0.6f, 0.8f, 0, 0, 0, 0, 0, 0])),
        ]);
        await Index.UpsertDocumentAsync("c", "d2", ModelA,
        [
            Chunk("c", "d2", 0, "entanglement", Normalize([0.8f, 0, 0.6f, 0, 0, 0, 0, 0])),
            Chunk("c", "d2", 1, "unrelated gardening tips", Normalize([0.9f, 0, 0, 0.435f, 0, 0, 0, 0])),
        ]);
        var hits = await Index.SearchAsync(Query("c", "quantum entanglement teleportation", Axis(0), SearchModes.Hybrid));
        Assert.Equal("d1-00000", hits[0].ChunkId);
        var o = new RetrievalOptions();
        Assert.Equal(FusionModes.Score, o.Fusion);
        Assert.Equal(o.KeywordWeight + o.VectorWeight, hits[0].Score, 9); // the top of both lists: 1 · 1 + 0.75 · 1
        Assert.True(hits.Skip(1).All(h => h.Score < hits[0].Score));
        Assert.Equal(0, hits[0].Start);
        Assert.Equal(1, hits[0].Page);
        Assert.Equal("Intro > Part", hits[0].HeadingPath);
        Assert.Equal("d1.txt", hits[0].FileName);
        Assert.Equal("Doc title", hits[0].Title);
    }

    [Fact]
    public async Task Terms_in_half_the_rows_or_more_are_dropped_but_a_lone_common_term_still_searches()
    {
        var random = new Random(10);
        await Index.UpsertDocumentAsync("c", "d", ModelA,
            [.. Enumerable.Range(0, 4).Select(i => Chunk("c", "d", i, i == 0 ? "common rare" : "common", Unit(random, 8)))]);
        Assert.Equal("d-00000", Assert.Single(await Index.SearchAsync(Query("c", "common rare", null, SearchModes.Keyword))).ChunkId);
        Assert.Equal(4, (await Index.SearchAsync(Query("c", "common", null, SearchModes.Keyword))).Count);
    }

    [Fact]
    public async Task Title_and_heading_are_searchable()
    {
        var random = new Random(7);
        await Index.UpsertDocumentAsync("c", "doc", ModelA, [Chunk("c", "doc", 0, "body text only", Unit(random, 8), title: "Photosynthesis handbook")]);
        Assert.Single(await Index.SearchAsync(Query("c", "photosynthesis", null, SearchModes.Keyword)));
        Assert.Single(await Index.SearchAsync(Query("c", "intro", null, SearchModes.Keyword)));
    }

    [Fact]
    public async Task Porter_stemming_matches_word_forms()
    {
        var random = new Random(8);
        await Index.UpsertDocumentAsync("c", "doc", ModelA, [Chunk("c", "doc", 0, "The infected patients were treated", Unit(random, 8))]);
        Assert.Single(await Index.SearchAsync(Query("c", "patient infection treatment", null, SearchModes.Keyword)));
    }

    [Fact]
    public async Task Vector_search_equals_brute_force_top_k_through_updates()
    {
        const int dims = 8;
        var random = new Random(9);
        var all = new Dictionary<string, (string Doc, float[] Vector)>();
        async Task Put(string doc, int n)
        {
            var chunks = Enumerable.Range(0, n).Select(i => Chunk("c", doc, i, $"word{i}", Unit(random, dims))).ToList();
            await Index.UpsertDocumentAsync("c", doc, ModelA, chunks);
            foreach (var key in all.Where(kv => kv.Value.Doc == doc).Select(kv => kv.Key).ToList()) all.Remove(key);
            foreach (var c in chunks) all[c.Chunk.Id] = (doc, c.Vector);
        }
        for (var d = 0; d < 30; d++) await Put($"doc{d:D2}", 40);
        await Check();
        for (var d = 0; d < 30; d += 3) await Put($"doc{d:D2}", 25); // replace a third: dead rows, then compaction
        await Index.DeleteDocumentAsync("c", "doc01");
        foreach (var key in all.Where(kv => kv.Value.Doc == "doc01").Select(kv => kv.Key).ToList()) all.Remove(key);
        await Check();
        for (var d = 0; d < 30; d++) await Put($"doc{d:D2}", 10);
        await Check();
        Index.Invalidate("c"); // reloaded from SQLite: the same answers
        await Check();

        async Task Check()
        {
            for (var q = 0; q < 20; q++)
            {
                var query = Unit(random, dims);
                var expected = all.Select(kv => (Id: kv.Key, Score: kv.Value.Vector.Zip(query, (a, b) => a * b).Sum()))
                    .OrderByDescending(x => x.Score).Take(25).ToList();
                var hits = await Index.SearchAsync(new KnowledgeQuery("c", "", query, SearchModes.Vector, 25, 1000, ModelA));
                Assert.Equal(expected.Select(e => e.Id), hits.Select(h => h.ChunkId));
                Assert.All(hits.Zip(expected), p => Assert.Equal(p.Second.Score, p.First.Score, 1e-5));
            }
        }
    }

    private static float[] Normalize(float[] v)
    {
        var n = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / n).ToArray();
    }
}
