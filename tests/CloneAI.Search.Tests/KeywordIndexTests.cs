using CloneAI.Core.Knowledge;
using CloneAI.Local.Knowledge;
using static CloneAI.Search.Tests.TestData;

namespace CloneAI.Search.Tests;

public sealed class KeywordIndexTests : IDisposable
{
    private readonly TempIndex _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    // Porter's paper and reference vocabulary.
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("ties", "ti")]
    [InlineData("caress", "caress")]
    [InlineData("cats", "cat")]
    [InlineData("feed", "feed")]
    [InlineData("agreed", "agre")]
    [InlineData("plastered", "plaster")]
    [InlineData("bled", "bled")]
    [InlineData("motoring", "motor")]
    [InlineData("sing", "sing")]
    [InlineData("conflated", "conflat")]
    [InlineData("troubled", "troubl")]
    [InlineData("sized", "size")]
    [InlineData("hopping", "hop")]
    [InlineData("tanned", "tan")]
    [InlineData("falling", "fall")]
    [InlineData("hissing", "hiss")]
    [InlineData("fizzed", "fizz")]
    [InlineData("failing", "fail")]
    [InlineData("filing", "file")]
    [InlineData("happy", "happi")]
    [InlineData("sky", "sky")]
    [InlineData("relational", "relat")]
    [InlineData("conditional", "condit")]
    [InlineData("rational", "ration")]
    [InlineData("valenci", "valenc")]
    [InlineData("hesitanci", "hesit")]
    [InlineData("digitizer", "digit")]
    [InlineData("conformabli", "conform")]
    [InlineData("radicalli", "radic")]
    [InlineData("differentli", "differ")]
    [InlineData("vileli", "vile")]
    [InlineData("analogousli", "analog")]
    [InlineData("vietnamization", "vietnam")]
    [InlineData("predication", "predic")]
    [InlineData("operator", "oper")]
    [InlineData("feudalism", "feudal")]
    [InlineData("decisiveness", "decis")]
    [InlineData("hopefulness", "hope")]
    [InlineData("callousness", "callous")]
    [InlineData("formaliti", "formal")]
    [InlineData("sensitiviti", "sensit")]
    [InlineData("sensibiliti", "sensibl")]
    [InlineData("triplicate", "triplic")]
    [InlineData("formative", "form")]
    [InlineData("formalize", "formal")]
    [InlineData("electriciti", "electr")]
    [InlineData("electrical", "electr")]
    [InlineData("hopeful", "hope")]
    [InlineData("goodness", "good")]
    [InlineData("revival", "reviv")]
    [InlineData("allowance", "allow")]
    [InlineData("inference", "infer")]
    [InlineData("airliner", "airlin")]
    [InlineData("gyroscopic", "gyroscop")]
    [InlineData("adjustable", "adjust")]
    [InlineData("defensible", "defens")]
    [InlineData("irritant", "irrit")]
    [InlineData("replacement", "replac")]
    [InlineData("adjustment", "adjust")]
    [InlineData("dependent", "depend")]
    [InlineData("adoption", "adopt")]
    [InlineData("homologou", "homolog")]
    [InlineData("communism", "commun")]
    [InlineData("activate", "activ")]
    [InlineData("angulariti", "angular")]
    [InlineData("homologous", "homolog")]
    [InlineData("effective", "effect")]
    [InlineData("bowdlerize", "bowdler")]
    [InlineData("probate", "probat")]
    [InlineData("rate", "rate")]
    [InlineData("cease", "ceas")]
    [InlineData("controll", "control")]
    [InlineData("roll", "roll")]
    [InlineData("generalization", "gener")]
    [InlineData("generalizations", "gener")]
    [InlineData("oscillators", "oscil")]
    [InlineData("knightly", "knightli")]
    [InlineData("archeology", "archeolog")]
    [InlineData("infected", "infect")]
    [InlineData("infection", "infect")]
    [InlineData("patients", "patient")]
    [InlineData("is", "is")]
    [InlineData("a", "a")]
    public void Porter_stems_the_reference_pairs(string word, string stem) => Assert.Equal(stem, PorterStemmer.Stem(word));

    [Fact]
    public void Tokenizer_folds_case_and_diacritics_splits_on_punctuation_and_stems_ascii_only()
    {
        Assert.Equal(["cafe", "naiv", "et", "cov", "2", "connect", "uber"], KeywordTokenizer.Terms("Café NAÏVE e\u0301te\u0301 CoV-2 connections Über"));
        Assert.Equal(["жизни", "東京"], KeywordTokenizer.Terms("жизни, 東京!"));
        Assert.Empty(KeywordTokenizer.Terms("  \"*^() 🙂 "));
        Assert.Empty(KeywordTokenizer.Terms(new string('x', 65))); // longer than any query term may be
        Assert.Equal(["ab"], KeywordTokenizer.Terms("ab " + new string('y', 200)));
    }

    [Fact]
    public void Query_terms_drop_stopwords_unless_nothing_else_is_left_and_dedupe_stems()
    {
        Assert.Equal(["role", "ace2", "sar", "cov", "2"], KeywordTokenizer.QueryTerms("What is the role of ACE2 in SARS-CoV-2?"));
        Assert.Equal(["what", "is", "the"], KeywordTokenizer.QueryTerms("what is the"));
        Assert.Equal(["infect"], KeywordTokenizer.QueryTerms("infected infection INFECTS"));
        Assert.Empty(KeywordTokenizer.QueryTerms("  \"*^()  "));
        Assert.Equal(RetrievalFtsQuery.MaxTerms, KeywordTokenizer.QueryTerms(string.Concat(Enumerable.Range(0, 800).Select(i => $"w{i} "))).Count);
    }

    [Fact]
    public void Bm25_ranks_equal_a_naive_reference_through_updates_and_compaction()
    {
        var random = new Random(12);
        string[] vocabulary = [.. Enumerable.Range(0, 60).Select(i => $"word{i}"), "running", "runs", "run", "galaxy", "galaxies", "café", "cafe"];
        string Text(int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => vocabulary[(int)Math.Floor(Math.Pow(random.NextDouble(), 2.5) * vocabulary.Length)]));

        var model = new Dictionary<long, (string Doc, KeywordFields Fields)>();
        long nextRowId = 1;
        var keywords = CloneKeywords.CreateEmpty();
        void Put(string doc, int chunks)
        {
            var rowIds = new List<long>();
            var fields = new List<KeywordFields>();
            for (var i = 0; i < chunks; i++)
            {
                rowIds.Add(nextRowId++);
                fields.Add(new KeywordFields(Text(3 + random.Next(30)), random.Next(3) == 0 ? "" : Text(2), random.Next(2) == 0 ? "" : Text(3)));
            }
            keywords = keywords.ReplaceDocument(doc, rowIds, fields);
            foreach (var key in model.Where(kv => kv.Value.Doc == doc).Select(kv => kv.Key).ToList()) model.Remove(key);
            for (var i = 0; i < chunks; i++) model[rowIds[i]] = (doc, fields[i]);
        }

        for (var d = 0; d < 20; d++) Put($"doc{d}", 10);
        Check();
        var builder = new CloneKeywords.Builder(); // a bulk load of the same rows answers the same
        foreach (var (rowId, (doc, fields)) in model.OrderBy(kv => kv.Key)) builder.Add(rowId, doc, fields);
        keywords = builder.Build();
        Check();
        for (var d = 0; d < 20; d += 3) Put($"doc{d}", 6); // dead rows
        keywords = keywords.ReplaceDocument("doc1", [], []);
        foreach (var key in model.Where(kv => kv.Value.Doc == "doc1").Select(kv => kv.Key).ToList()) model.Remove(key);
        Check();
        for (var d = 0; d < 20; d++) Put($"doc{d}", 4); // compaction
        Check();

        void Check()
        {
            for (var q = 0; q < 40; q++)
            {
                var query = Text(1 + random.Next(5)) + (q % 7 == 0 ? " runner galaxy CAFÉ" : "");
                var terms = KeywordTokenizer.QueryTerms(query);
                var expected = NaiveBm25(model.ToDictionary(kv => kv.Key, kv => kv.Value.Fields), terms);
                var rows = new int[25];
                var scores = new float[25];
                var n = keywords.Search(terms, 25, 0, rows, scores);
                Assert.Equal(Math.Min(25, expected.Count), n);
                for (var i = 0; i < n; i++)
                {
                    Assert.False(keywords.IsDead(rows[i]));
                    Assert.Equal(expected[i].Score, scores[i], 1e-4);
                    // The row found has the score the reference gives it (rows tied on score may come in either order).
                    var rowId = keywords.RowId(rows[i]);
                    Assert.Equal(expected.Single(e => e.RowId == rowId).Score, scores[i], 1e-4);
                    Assert.Equal(model[rowId].Doc, keywords.DocumentId(rows[i]));
                }
            }
        }
    }

    /// <summary>BM25 spelled out: weighted term frequencies over the three fields, lengths over all their tokens, per-term IDF.</summary>
    private static List<(long RowId, double Score)> NaiveBm25(Dictionary<long, KeywordFields> rows, List<string> terms)
    {
        const double k1 = 1.2, b = 0.75;
        var docs = rows.ToDictionary(kv => kv.Key, kv => (
            Text: KeywordTokenizer.Terms(kv.Value.Text), Title: KeywordTokenizer.Terms(kv.Value.Title), Heading: KeywordTokenizer.Terms(kv.Value.HeadingPath)));
        double n = docs.Count;
        var avgdl = docs.Values.Average(d => (double)(d.Text.Count + d.Title.Count + d.Heading.Count));
        var df = terms.ToDictionary(t => t, t => docs.Values.Count(d => d.Text.Contains(t) || d.Title.Contains(t) || d.Heading.Contains(t)));
        // Terms in half the rows or more count only when no rarer term matches.
        var matching = terms.Where(t => df[t] > 0).ToList();
        if (matching.Any(t => df[t] * 2 < n)) matching = matching.Where(t => df[t] * 2 < n).ToList();
        var result = new List<(long, double)>();
        foreach (var (rowId, d) in docs)
        {
            double score = 0;
            var dl = d.Text.Count + d.Title.Count + d.Heading.Count;
            foreach (var t in matching)
            {
                var tf = d.Text.Count(x => x == t) + CloneKeywords.TitleWeight * d.Title.Count(x => x == t) + CloneKeywords.HeadingWeight * d.Heading.Count(x => x == t);
                if (tf == 0) continue;
                var idf = Math.Log(1 + (n - df[t] + 0.5) / (df[t] + 0.5));
                score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl));
            }
            if (score > 0) result.Add((rowId, score));
        }
        return [.. result.OrderByDescending(r => r.Item2)];
    }

    [Fact]
    public void An_old_snapshot_keeps_answering_from_its_own_rows()
    {
        var v1 = CloneKeywords.CreateEmpty().ReplaceDocument("d", [1, 2], [new("kiwi fruit", "", ""), new("kiwi bird", "", "")]);
        var v2 = v1.ReplaceDocument("d", [3], [new("mango", "", "")]);
        var rows = new int[10];
        var scores = new float[10];
        Assert.Equal(2, v1.Search(["kiwi"], 10, 0, rows, scores));
        Assert.Equal(0, v1.Search(["mango"], 10, 0, rows, scores));
        Assert.Equal(0, v2.Search(["kiwi"], 10, 0, rows, scores));
        Assert.Equal(1, v2.Search(["mango"], 10, 0, rows, scores));
        Assert.Equal(3, v2.RowId(rows[0]));
    }

    [Fact]
    public async Task Upserts_and_deletes_show_in_keyword_results()
    {
        var index = _temp.Index;
        var random = new Random(13);
        var other = Enumerable.Range(0, 6).Select(i => Chunk("c", "other", i, $"unrelated filler {i}", Unit(random, 8))).ToList();
        await index.UpsertDocumentAsync("c", "other", ModelA, other);
        await index.UpsertDocumentAsync("c", "doc", ModelA, [Chunk("c", "doc", 0, "kiwi orchards", Unit(random, 8))]);
        Assert.Equal("doc", Assert.Single(await Search("kiwi")).DocumentId); // loads the index

        await index.UpsertDocumentAsync("c", "doc", ModelA, [Chunk("c", "doc", 0, "mango groves", Unit(random, 8)), Chunk("c", "doc", 1, "mango trees", Unit(random, 8))]);
        Assert.Empty(await Search("kiwi"));
        Assert.Equal(2, (await Search("mango")).Count);

        await index.UpsertDocumentAsync("c", "doc2", ModelA, [Chunk("c", "doc2", 0, "kiwi again", Unit(random, 8))]);
        Assert.Equal("doc2", Assert.Single(await Search("kiwi")).DocumentId);

        await index.DeleteDocumentAsync("c", "doc");
        Assert.Empty(await Search("mango"));
        Assert.Single(await Search("kiwi"));

        // Reloaded from SQLite: the same answers.
        index.Invalidate("c");
        Assert.Empty(await Search("mango"));
        Assert.Equal("doc2", Assert.Single(await Search("kiwi")).DocumentId);
        Assert.Equal(6, (await Search("filler")).Count);

        Task<IReadOnlyList<KnowledgeHit>> Search(string text) =>
            index.SearchAsync(new KnowledgeQuery("c", text, null, SearchModes.Keyword, 50, 100, ModelA));
    }
}
