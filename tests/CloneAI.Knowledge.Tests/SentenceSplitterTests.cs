using CloneAI.Core.Knowledge;

namespace CloneAI.Knowledge.Tests;

public sealed class SentenceSplitterTests
{
    private static List<string> Split(string text) =>
        SentenceSplitter.Split(text, 0, text.Length).Select(s => text[s.Start..s.End]).ToList();

    [Fact]
    public void SplitsAtSentenceEnds()
    {
        Assert.Equal(["It rained.", "Did it stop?", "Yes!", "Good."], Split("It rained. Did it stop? Yes! Good."));
    }

    [Theory]
    [InlineData("Use tools, e.g. a hammer, when needed. Then rest.", "Use tools, e.g. a hammer, when needed.")]
    [InlineData("Smith et al. showed this in 2019. Others agreed.", "Smith et al. showed this in 2019.")]
    [InlineData("As shown in Fig. 2 the curve rises. It then falls.", "As shown in Fig. 2 the curve rises.")]
    [InlineData("The value was 3.5 mg per dose. It was safe.", "The value was 3.5 mg per dose.")]
    [InlineData("Dr. Jones met J. K. Rowling in the U.S. last year. They talked.", "Dr. Jones met J. K. Rowling in the U.S. last year.")]
    [InlineData("See item No. 5 in the list. Done.", "See item No. 5 in the list.")]
    [InlineData("It is deposited (accession no. MG757138). Done.", "It is deposited (accession no. MG757138).")]
    [InlineData("The answer was no. Then we left.", "The answer was no.")]
    [InlineData("Transmission was confirmed [12]. New cases fell.", "Transmission was confirmed [12].")]
    [InlineData("Transmission was confirmed.[12, 13] New cases fell.", "Transmission was confirmed.[12, 13]")]
    [InlineData("He said \"stop.\" Then he left.", "He said \"stop.\"")]
    [InlineData("Values (i.e. the means) were close. Next.", "Values (i.e. the means) were close.")]
    public void AbbreviationsDecimalsAndCitationsDoNotEndASentence(string text, string first)
    {
        var sentences = Split(text);
        Assert.Equal(2, sentences.Count);
        Assert.Equal(first, sentences[0]);
    }

    [Fact]
    public void ListItemsOnNewLinesAreSentences()
    {
        Assert.Equal(["Bring:", "- a tent", "- a stove", "1. first", "2) second"], Split("Bring:\n- a tent\n- a stove\n1. first\n2) second"));
    }

    [Fact]
    public void SpansAreTrimmedAndExact()
    {
        const string text = "  First one.   Second one.\n\n  ";
        var spans = SentenceSplitter.Split(text, 0, text.Length);
        Assert.Equal([(2, 12), (15, 26)], spans);
    }

    [Fact]
    public void TextWithoutTerminatorIsOneSentence()
    {
        Assert.Equal(["no punctuation at all"], Split("no punctuation at all"));
    }
}
