using System.Text;
using System.Text.Json;
using CloneAI.Core.Knowledge;

namespace CloneAI.Knowledge.Tests;

public sealed class SummarizerTests
{
    private const string Article = """
        Coffee and sleep

        Coffee is one of the most widely consumed drinks in the world. Caffeine in coffee blocks adenosine receptors in the brain.
        Blocking adenosine receptors makes people feel more alert for several hours.

        The effect of caffeine on sleep depends on the dose and the time of day. Caffeine taken six hours before bed still reduces sleep.
        People who drink coffee late in the day sleep less deeply. The weather was pleasant on the day of the study.

        Some people metabolize caffeine faster than others because of their genes.
        """;

    private static readonly ExtractedText Text = new(Article, [], [new HeadingSpan(0, 1, "Coffee and sleep")], "Coffee and sleep");

    [Fact]
    public void TheSummaryIsTheTitleAndCentralSentences()
    {
        var summary = ExtractiveSummarizer.Summarize(Text);

        Assert.StartsWith("Coffee and sleep. ", summary);
        Assert.True(summary.Length <= 600);
        var sentences = SentenceSplitter.Split(Article, 0, Article.Length).Select(s => Collapse(Article[s.Start..s.End])).ToList();
        var chosen = sentences.Where(s => summary.Contains(s, StringComparison.Ordinal)).ToList();
        Assert.InRange(chosen.Count, 2, 4);
        Assert.Contains(chosen, s => s.Contains("caffeine", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("weather", summary);
    }

    [Fact]
    public void TheSummaryIsDeterministic()
    {
        Assert.Equal(ExtractiveSummarizer.Summarize(Text), ExtractiveSummarizer.Summarize(Text));
    }

    [Fact]
    public void ALongDocumentHasASummaryOfAtMost600Characters()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 500; i++) sb.Append($"Sentence {i} talks about vaccines, antibodies and immune responses in adults and children. ");
        var summary = ExtractiveSummarizer.Summarize(new ExtractedText(sb.ToString(), [], [], new string('T', 400)));
        Assert.InRange(summary.Length, 100, 600);
    }

    [Fact]
    public void TextWithoutSentencesFallsBackToItsBeginning()
    {
        var summary = ExtractiveSummarizer.Summarize(new ExtractedText("name, age, city\nann, 31, paris", [], []));
        Assert.Equal("name, age, city ann, 31, paris", summary);
    }

    [Fact]
    public void EveryCovidQaPaperGetsASummary()
    {
        foreach (var line in File.ReadLines(TestDocuments.CovidQaCorpus()))
        {
            using var json = JsonDocument.Parse(line);
            var text = json.RootElement.GetProperty("text").GetString()!;
            var title = json.RootElement.GetProperty("title").GetString();
            var summary = ExtractiveSummarizer.Summarize(new ExtractedText(text, [], [], title));
            Assert.InRange(summary.Length, 40, 600);
        }
    }

    private static string Collapse(string s) => string.Join(' ', s.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
