using System.Text;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace CloneAI.Knowledge.Tests;

public sealed class ChunkerTests
{
    private static Chunker Chunker(int maxTokens = 64, int overlapTokens = 16, Tokenizer? tokenizer = null) =>
        new(tokenizer ?? TestDocuments.Tokenizer, Options.Create(new ChunkingOptions { MaxTokens = maxTokens, OverlapTokens = overlapTokens }));

    private static readonly string[] Words =
        ["river", "mountain", "quiet", "engine", "yellow", "garden", "signal", "winter", "market", "paper", "window", "silver", "forest", "doctor", "planet"];

    /// <summary>Deterministic prose: sentences of 5–24 words in paragraphs of 2–7 sentences.</summary>
    private static string Prose(int paragraphs, int seed = 1)
    {
        var random = new Random(seed);
        var sb = new StringBuilder();
        for (var p = 0; p < paragraphs; p++)
        {
            if (p > 0) sb.Append("\n\n");
            var sentences = random.Next(2, 8);
            for (var s = 0; s < sentences; s++)
            {
                if (s > 0) sb.Append(' ');
                var words = random.Next(5, 25);
                for (var w = 0; w < words; w++)
                {
                    var word = Words[random.Next(Words.Length)];
                    sb.Append(w == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : " " + word);
                }
                sb.Append(random.Next(10) == 0 ? '?' : '.');
            }
        }
        return sb.ToString();
    }

    private static void AssertExact(ExtractedText text, IReadOnlyList<TextChunk> chunks, int maxTokens, Tokenizer? tokenizer = null)
    {
        tokenizer ??= TestDocuments.Tokenizer;
        for (var i = 0; i < chunks.Count; i++)
        {
            var c = chunks[i];
            Assert.Equal(text.Text.Substring(c.Start, c.End - c.Start), c.Text);
            Assert.Equal(c.Text.Trim(), c.Text);
            Assert.Equal(i, c.Ordinal);
            Assert.Equal(TextChunk.MakeId(c.DocumentId, i), c.Id);
            Assert.Equal(tokenizer.CountTokens(c.Text), c.TokenCount);
            Assert.True(c.TokenCount <= maxTokens, $"chunk {i} has {c.TokenCount} tokens > {maxTokens}");
            Assert.Equal(text.PageAt(c.Start), c.Page);
        }
    }

    [Fact]
    public void ChunksStayWithinMaxTokensAndIndexTheTextExactly()
    {
        var text = new ExtractedText(Prose(40), [], []);
        var chunks = Chunker().Chunk("doc1", text);

        Assert.True(chunks.Count > 10);
        AssertExact(text, chunks, 64);
    }

    [Fact]
    public void ChunksEndAtSentenceEnds()
    {
        var text = new ExtractedText(Prose(30, seed: 3), [], []);
        foreach (var c in Chunker().Chunk("d", text))
        {
            Assert.True(c.Text[^1] is '.' or '?', $"chunk ends mid-sentence: …{c.Text[^20..]}");
            Assert.True(char.IsUpper(c.Text[0]), $"chunk starts mid-sentence: {c.Text[..20]}…");
        }
    }

    [Fact]
    public void ConsecutiveChunksOverlapByWholeSentencesWithinTheOverlapBudget()
    {
        // Uniform sentences of about 6 tokens: the overlap of 16 tokens carries two of them.
        var sentences = Enumerable.Range(0, 60).Select(i => $"Sentence number {i} is short.");
        var text = new ExtractedText(string.Join(' ', sentences), [], []);
        var chunks = Chunker(64, 16).Chunk("d", text);

        Assert.True(chunks.Count > 5);
        for (var i = 1; i < chunks.Count; i++)
        {
            var (previous, current) = (chunks[i - 1], chunks[i]);
            Assert.True(current.Start < previous.End, $"chunk {i} does not overlap the previous one");
            Assert.True(current.End > previous.End);
            var overlap = text.Text[current.Start..previous.End];
            Assert.StartsWith("Sentence number", overlap);
            Assert.EndsWith(".", overlap);
            Assert.InRange(TestDocuments.Tokenizer.CountTokens(overlap), 1, 16);
        }
    }

    [Fact]
    public void NoOverlapIsCarriedWhenTheLastSentenceIsLargerThanTheOverlap()
    {
        var longSentence = "This sentence is deliberately long so that it alone is larger than the overlap budget of eight tokens.";
        var text = new ExtractedText(string.Join(' ', Enumerable.Repeat(longSentence, 12)), [], []);
        var chunks = Chunker(64, 8).Chunk("d", text);

        for (var i = 1; i < chunks.Count; i++) Assert.True(chunks[i].Start > chunks[i - 1].End);
    }

    [Fact]
    public void ChunkingIsDeterministic()
    {
        var text = new ExtractedText(Prose(25, seed: 9), [], []);
        var first = Chunker().Chunk("abc", text);
        var second = Chunker().Chunk("abc", text);

        Assert.Equal(first, second);
        Assert.Equal("abc-00000", first[0].Id);
        Assert.Equal($"abc-{first.Count - 1:D5}", first[^1].Id);
    }

    private const string Markdown = """
        # Handbook

        ## Getting started

        Welcome to the team. Read this first.

        ### Accounts

        Ask IT for a laptop. Your account arrives on day one.

        ## Policies

        Be kind. Be on time.

        # Appendix

        Nothing else to add.
        """;

    [Fact]
    public void ChunksCarryTheirHeadingPathAndNeverCrossAHeading()
    {
        var text = new DocumentExtractor().Extract(Encoding.UTF8.GetBytes(Markdown), DocumentKinds.Md);
        var chunks = Chunker(256, 32).Chunk("hb", text);

        AssertExact(text, chunks, 256);
        Assert.Equal(
            ["Handbook > Getting started", "Handbook > Getting started > Accounts", "Handbook > Policies", "Appendix"],
            chunks.Select(c => c.HeadingPath));
        // "# Handbook" has nothing under it but a sub-heading, so it opens the first chunk instead of being a chunk alone.
        Assert.StartsWith("# Handbook\n\n## Getting started\n\nWelcome", chunks[0].Text);
        Assert.StartsWith("### Accounts", chunks[1].Text);
        foreach (var c in chunks)
        {
            foreach (var h in text.Headings.Where(h => h.Start > c.Start && h.Start < c.End))
            {
                // Only a heading line may precede another heading inside a chunk.
                var before = text.Text[c.Start..h.Start].Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.All(before, line => Assert.StartsWith("#", line));
            }
        }
    }

    [Fact]
    public void AFullSectionDoesNotOverlapIntoTheNextSection()
    {
        var md = "# One\n\n" + Prose(6, seed: 4) + "\n\n# Two\n\n" + Prose(6, seed: 5);
        var text = new DocumentExtractor().Extract(Encoding.UTF8.GetBytes(md), DocumentKinds.Md);
        var chunks = Chunker(64, 16).Chunk("d", text);
        var two = text.Headings[1].Start;

        AssertExact(text, chunks, 64);
        Assert.All(chunks, c => Assert.True(c.End <= two || c.Start >= two));
        Assert.Equal(two, chunks.First(c => c.HeadingPath == "Two").Start);
    }

    [Fact]
    public void ANewParagraphStartsANewChunkOnceTheChunkIsHalfFull()
    {
        var first = string.Join(' ', Enumerable.Repeat("The first paragraph keeps talking about rivers.", 6)); // ~48 tokens
        var second = "A second paragraph begins here.";
        var text = new ExtractedText(first + "\n\n" + second, [], []);
        var chunks = Chunker(64, 0).Chunk("d", text);

        Assert.Equal(2, chunks.Count);
        Assert.Equal(first, chunks[0].Text);
        Assert.Equal(second, chunks[1].Text);
    }

    [Fact]
    public void ShortParagraphsArePackedTogether()
    {
        var text = new ExtractedText("One short line.\n\nAnother short line.\n\nA third one.", [], []);
        Assert.Equal(text.Text, Assert.Single(Chunker(64, 0).Chunk("d", text)).Text);
    }

    [Fact]
    public void AnOverLongSentenceIsSplitAtWordBoundaries()
    {
        var random = new Random(5);
        var sentence = string.Join(' ', Enumerable.Range(0, 600).Select(_ => Words[random.Next(Words.Length)])) + ".";
        var text = new ExtractedText("Before. " + sentence + " After.", [], []);
        var chunks = Chunker(64, 16).Chunk("d", text);

        AssertExact(text, chunks, 64);
        Assert.True(chunks.Count >= 600 / 64);
        foreach (var c in chunks)
        {
            Assert.True(c.Start == 0 || char.IsWhiteSpace(text.Text[c.Start - 1]), "a piece starts inside a word");
            Assert.True(c.End == text.Text.Length || char.IsWhiteSpace(text.Text[c.End]), "a piece ends inside a word");
        }
        Assert.EndsWith("After.", chunks[^1].Text);
    }

    [Fact]
    public void AnUnsplittableRunIsCutAtTokenBoundaries()
    {
        var blob = string.Concat(Enumerable.Range(0, 3000).Select(i => (char)('a' + i * 7 % 26)));
        var text = new ExtractedText(blob, [], []);
        var chunks = Chunker(64, 16).Chunk("d", text);

        AssertExact(text, chunks, 64);
        Assert.Equal(blob, string.Concat(chunks.Select(c => c.Text)));
    }

    [Fact]
    public void EmptyOrWhitespaceTextHasNoChunks()
    {
        Assert.Empty(Chunker().Chunk("d", new ExtractedText("", [], [])));
        Assert.Empty(Chunker().Chunk("d", new ExtractedText(" \n\n\t ", [], [])));
    }

    [Fact]
    public void PdfChunksCarryPageNumbersAndStayOnTheirPage()
    {
        var random = new Random(11);
        string Line() => string.Join(' ', Enumerable.Range(0, 8).Select(_ => Words[random.Next(Words.Length)])) + ".";
        var pdf = TestDocuments.Pdf(
            Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 30).Select(_ => Line()).ToArray()).ToArray());
        var text = new DocumentExtractor().Extract(pdf, DocumentKinds.Pdf);
        var chunks = Chunker(64, 16).Chunk("pdf", text);

        AssertExact(text, chunks, 64);
        Assert.Equal([1, 2, 3], chunks.Select(c => c.Page!.Value).Distinct());
        foreach (var c in chunks)
        {
            var page = text.Pages.Single(p => p.Page == c.Page);
            Assert.InRange(c.Start, page.Start, page.End);
            Assert.InRange(c.End, page.Start, page.End);
        }
    }

    [Fact]
    public void DocxHeadingsBecomeHeadingPaths()
    {
        var docx = TestDocuments.Docx(
        [
            new("Report", "Title"), new("Summary text."), new("Results", "Heading1"), new("Results text."),
            new("Detail", "Heading2"), new("Detail text."),
        ]);
        var text = new DocumentExtractor().Extract(docx, DocumentKinds.Docx);
        var chunks = Chunker().Chunk("d", text);

        AssertExact(text, chunks, 64);
        Assert.Equal(["Report", "Results", "Results > Detail"], chunks.Select(c => c.HeadingPath));
    }

    [Fact]
    public void AnyTokenizerWorksIncludingANormalizingWordPieceOne()
    {
        var vocab = new StringBuilder("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n.\n,\n?\n");
        for (var c = 'a'; c <= 'z'; c++) vocab.Append(c).Append('\n').Append("##").Append(c).Append('\n');
        for (var d = '0'; d <= '9'; d++) vocab.Append(d).Append('\n').Append("##").Append(d).Append('\n');
        foreach (var w in Words) vocab.Append(w).Append('\n');
        var bert = BertTokenizer.Create(new MemoryStream(Encoding.UTF8.GetBytes(vocab.ToString())));

        var text = new ExtractedText(Prose(20, seed: 2) + "\n\n" + new string('x', 2000), [], []);
        var chunks = Chunker(64, 16, bert).Chunk("d", text);

        AssertExact(text, chunks, 64, bert);
    }
}
