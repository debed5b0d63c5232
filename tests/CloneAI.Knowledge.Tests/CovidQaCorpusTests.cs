using System.Diagnostics;
using System.Text.Json;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace CloneAI.Knowledge.Tests;

/// <summary>Timed tests run alone, so other tests (the zip bomb compresses 300 MB) do not share the two cores with them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimedCollection
{
    public const string Name = "Timed";
}

/// <summary>Chunks the 98 COVID-QA papers (2.3 M characters) from ../shared beside the repository.</summary>
[Collection(TimedCollection.Name)]
public sealed class CovidQaCorpusTests(ITestOutputHelper output)
{
    private sealed record Paper(string Id, string Title, string Text);

    [Fact]
    public void TheWholeCorpusChunksExactlyAndQuickly()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var papers = File.ReadLines(TestDocuments.CovidQaCorpus())
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<Paper>(l, options)!)
            .ToList();
        Assert.Equal(98, papers.Count);
        var tokenizer = TestDocuments.Tokenizer;
        var chunker = new Chunker(tokenizer, Options.Create(new ChunkingOptions { MaxTokens = 256, OverlapTokens = 32 }));
        chunker.Chunk("warmup", new ExtractedText(papers[0].Text, [], [])); // JIT and tokenizer caches

        var watch = Stopwatch.StartNew();
        var all = papers.Select(p => (Paper: p, Chunks: chunker.Chunk(p.Id, new ExtractedText(p.Text, [], [], p.Title)))).ToList();
        var elapsed = watch.Elapsed;

        var chunks = all.SelectMany(a => a.Chunks).ToList();
        var characters = papers.Sum(p => (long)p.Text.Length);
        foreach (var (paper, paperChunks) in all)
        {
            Assert.NotEmpty(paperChunks);
            for (var i = 0; i < paperChunks.Count; i++)
            {
                var c = paperChunks[i];
                Assert.Equal(paper.Text.Substring(c.Start, c.End - c.Start), c.Text);
                Assert.Equal(TextChunk.MakeId(paper.Id, i), c.Id);
                Assert.Equal(i, c.Ordinal);
                Assert.True(c.TokenCount <= 256, $"{c.Id} has {c.TokenCount} tokens");
                Assert.Equal(c.Text.Trim(), c.Text);
                if (i > 0) Assert.True(c.Start > paperChunks[i - 1].Start && c.End > paperChunks[i - 1].End, $"{c.Id} does not advance");
            }
            // Every non-whitespace character of the paper is in some chunk.
            var covered = 0;
            foreach (var c in paperChunks)
            {
                Assert.True(paper.Text.AsSpan(covered, Math.Max(0, c.Start - covered)).IsWhiteSpace(), $"text before {c.Id} is lost");
                covered = Math.Max(covered, c.End);
            }
            Assert.True(paper.Text.AsSpan(covered).IsWhiteSpace());
        }

        var meanTokens = chunks.Average(c => c.TokenCount);
        var overlapping = all.Sum(a => a.Chunks.Zip(a.Chunks.Skip(1)).Count(p => p.Second.Start < p.First.End));
        output.WriteLine($"COVID-QA: {papers.Count} papers, {characters:N0} chars -> {chunks.Count:N0} chunks, mean {meanTokens:F1} tokens " +
                         $"(min {chunks.Min(c => c.TokenCount)}, max {chunks.Max(c => c.TokenCount)}), {overlapping:N0} with overlap, " +
                         $"in {elapsed.TotalMilliseconds:F0} ms");
        Assert.InRange(chunks.Count, characters / 1_500, characters / 400);
        Assert.InRange(meanTokens, 120, 256);
        Assert.True(overlapping > chunks.Count / 4, "overlap is present between most consecutive chunks");
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"chunking took {elapsed}");
    }
}
