using CloneAI.Core.Chat;
using CloneAI.Core.Domain;

namespace CloneAI.Core.Tests.Chat;

/// <summary>How the extractive responder picks its sentences: meaning, words and rank above a floor, one span first.</summary>
public sealed class SentenceChooserTests
{
    /// <summary>A source whose sentences have the given similarities to the question (one segment per sentence).</summary>
    private static ChatSource S(int n, string text, params double[] similarities)
    {
        var spans = ExtractiveResponder.Sentences(text).ToList();
        var segments = similarities.Length == 0 ? null : spans.Select((s, i) => new SegmentSimilarity(s.Start, s.End, similarities[i])).ToList();
        return new ChatSource(n, "d" + n, "f" + n + ".txt", "T", text, 1000 * n, 1000 * n + text.Length, null, 1.0 / n, similarities.DefaultIfEmpty(0).Max(), segments);
    }

    private static ResponderRequest Ask(string question, string length, params ChatSource[] sources) =>
        new("Ignored.", [], question, question, sources, length, "No idea.");

    [Fact]
    public void MeaningOutranksASentenceThatOnlySharesAWord()
    {
        var source = S(1, "Binoculars show the Moon's craters well. Jupiter is the easiest planet to see with them.", 0.62, 0.86);
        var chosen = SentenceChooser.Choose("Which planets can I see with binoculars?", [source], 1);
        Assert.Equal("Jupiter is the easiest planet to see with them.", Assert.Single(chosen).Sentence);
        var ranked = SentenceChooser.Rank("Which planets can I see with binoculars?", [source]);
        Assert.True(ranked[0].Score > ranked[1].Score);
    }

    [Fact]
    public void ASentenceUnderTheFloorIsNeverQuotedAndNothingAboveItIsTheDontKnowMessage()
    {
        var tides = S(1, "Tides are caused by the Moon's pull on the oceans. Even a moment of sunlight can damage your eyes.", 0.85, 0.5);
        var chosen = SentenceChooser.Choose("How does the Moon cause the tides?", [tides], 3);
        Assert.Equal(["Tides are caused by the Moon's pull on the oceans."], chosen.Select(c => c.Sentence));

        var offTopic = S(1, "The capital of the Moon base is imaginary. Stars are born in clouds.", 0.4, 0.35);
        Assert.Equal("No idea.", ExtractiveResponder.Answer(Ask("What is the capital of Peru?", "medium", offTopic)));
    }

    [Fact]
    public void OneSpanOfTheBestPassageComesBeforeSentencesOfOthers()
    {
        var best = S(1, "Stars form in cold clouds of gas. A clump of a star cloud collapses under gravity. The hot core becomes a young star.", 0.82, 0.8, 0.79);
        var other = S(2, "Planets form from the leftover disc around stars.", 0.7);
        var chosen = SentenceChooser.Choose("How are stars born?", [other, best], 3);
        Assert.All(chosen, c => Assert.Equal(best, c.Source));
        Assert.Equal(3, chosen.Count);
        Assert.Equal(["Stars form in cold clouds of gas.", "A clump of a star cloud collapses under gravity.", "The hot core becomes a young star."], chosen.Select(c => c.Sentence));
        // Quoted ranges are the sentences' offsets in the passage.
        Assert.Equal("A clump of a star cloud collapses under gravity.", best.Text[chosen[1].Start..chosen[1].End]);
    }

    [Fact]
    public void ASentenceThatNeedsItsContextIsNotQuotedAwayFromIt()
    {
        // The best sentence opens the answer; a far sentence scoring as well would join it, but "this takes" would dangle.
        var source = S(1,
            "Stars form inside cold, dense clouds of gas and dust. The Orion Nebula is a nearby nursery. Hydrogen begins to fuse in the hot core. For a star like the Sun this takes tens of millions of years.",
            0.84, 0.5, 0.5, 0.84);
        var chosen = SentenceChooser.Choose("How are stars born?", [source], 3);
        Assert.Equal(["Stars form inside cold, dense clouds of gas and dust."], chosen.Select(c => c.Sentence));
        Assert.True(ExtractiveResponder.LeansOnContext("For a star like the Sun this takes tens of millions of years."));
        Assert.False(ExtractiveResponder.LeansOnContext("Stars form inside cold, dense clouds of gas and dust."));
    }

    [Fact]
    public void ASentenceThatLeansOnThePreviousOneBringsItAlong()
    {
        var source = S(1, "Jupiter is the easiest rewarding target. Its four largest moons appear as points of light in binoculars.", 0.7, 0.85);
        var chosen = SentenceChooser.Choose("What do binoculars show of the moons?", [source], 1);
        var one = Assert.Single(chosen);
        Assert.Equal("Jupiter is the easiest rewarding target. Its four largest moons appear as points of light in binoculars.", one.Sentence);
        Assert.Equal((0, source.Text.Length), (one.Start, one.End));
        Assert.True(ExtractiveResponder.PointsBack("Its rings are small."));
    }

    [Theory]
    [InlineData("short", 2)]
    [InlineData("medium", 3)]
    [InlineData("long", 5)]
    public void TheAnswerLengthCapsTheSentences(string length, int most)
    {
        var text = string.Join(' ', Enumerable.Range(1, 7).Select(i => $"Tides number {i} follow the Moon around the planet."));
        var source = S(1, text, Enumerable.Repeat(0.8, 7).ToArray());
        var (_, quoted) = ExtractiveResponder.Compose(Ask("Do tides follow the Moon?", length, source));
        Assert.Equal(most, quoted.Count);
    }

    [Fact]
    public void AFollowUpDoesNotRepeatThePreviousAnswerUnlessNothingElseAnswers()
    {
        var source = S(1, "Spring tides come at new and full moon. Neap tides come at the quarter moons.", 0.85, 0.8);
        var previous = new SessionMessage { Id = "a", SessionId = "s", Role = MessageRoles.Assistant, Content = "Spring tides come at new and full moon. [1]" };
        var request = Ask("When do spring and neap tides come?", "short", source) with { History = [previous] };
        var (text, _) = ExtractiveResponder.Compose(request);
        Assert.Equal("Neap tides come at the quarter moons. [1]", text);

        var only = S(1, "Spring tides come at new and full moon.", 0.85);
        Assert.Equal("Spring tides come at new and full moon. [1]", ExtractiveResponder.Compose(request with { Sources = [only] }).Text);
    }

    [Fact]
    public async Task TheFramingLineOpensAnAnswerButNotTheDontKnowMessageAndTheFirstWordReportsTheQuotes()
    {
        var source = S(1, "Tides are caused by the Moon's pull on the oceans.", 0.85);
        var request = Ask("What causes tides?", "short", source) with { Framing = "Happy to help!" };
        var updates = new List<ResponderUpdate>();
        await foreach (var u in new ExtractiveResponder(TimeSpan.Zero).RespondAsync(request)) updates.Add(u);
        Assert.Equal("Happy to help! Tides are caused by the Moon's pull on the oceans. [1]", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal([new SourceQuote(1, 0, source.Text.Length)], updates[0].Quotes);
        Assert.All(updates.Skip(1), u => Assert.Null(u.Quotes));

        var none = request with { Sources = [S(1, "Whales sing at night in the deep sea.", 0.3)] };
        Assert.Equal("No idea.", ExtractiveResponder.Answer(none));
    }

    [Fact]
    public void WithoutSentenceVectorsWordsAndRankDecide()
    {
        var chosen = SentenceChooser.Choose("What causes volcanic eruptions?",
            [S(1, "Magma rising through the crust causes volcanic eruptions. Iceland has many of them.")], 3);
        Assert.Equal("Magma rising through the crust causes volcanic eruptions.", chosen[0].Sentence);
        Assert.DoesNotContain(chosen, c => c.Sentence.StartsWith("Iceland", StringComparison.Ordinal));
    }
}

/// <summary>Source marks renumbered by document as the answer streams, and the quoted ranges of each citation.</summary>
public sealed class CitationNumberingTests
{
    private static readonly ChatSource[] Sources =
    [
        new(1, "dA", "a.txt", "A", "Alpha tides rise. Alpha tides fall.", 10, 45, null, 1),
        new(2, "dB", "b.txt", "B", "Beta moons orbit.", 0, 17, 3, 0.9),
        new(3, "dA", "a.txt", "A", "Gamma stars shine brightly.", 200, 227, null, 0.8),
    ];

    [Fact]
    public void NumbersRunOneToKInOrderOfFirstUseWithOneNumberPerDocument()
    {
        var numbering = new CitationNumbering(Sources);
        var text = numbering.Push("Beta [2]. Gamma [3]. Alpha [1][3]. Nothing [9].") + numbering.Flush();
        Assert.Equal("Beta [1]. Gamma [2]. Alpha [2]. Nothing .", text);
        Assert.Equal([("dB", 1), ("dA", 2)], numbering.Documents);
        Assert.Equal([2, 3, 1], numbering.UsedSources);
    }

    [Fact]
    public void AMarkSplitAcrossDeltasIsHeldBackUntilItIsWhole()
    {
        var numbering = new CitationNumbering(Sources);
        Assert.Equal("Gamma ", numbering.Push("Gamma ["));
        Assert.Equal("", numbering.Push("3"));
        Assert.Equal("[1] and beta ", numbering.Push("] and beta [2"));
        Assert.Equal("[2]", numbering.Push("]"));
        // A mark right after marks already sent names only documents they did not.
        Assert.Equal("[1]", numbering.Push("[3]"));
        Assert.Equal("", numbering.Push("[1]"));
        Assert.Equal(" [1][2]", numbering.Push(" [1, 2]") + numbering.Flush());
        Assert.Equal("Gamma [1] and beta [2][1] [1][2]", numbering.Text);
    }

    [Fact]
    public void QuotesAreAbsoluteRangesOfTheDocumentMergedPerDocument()
    {
        var numbering = new CitationNumbering(Sources);
        numbering.Push("Gamma stars shine brightly. [3] Alpha tides fall. [1]");
        var cited = Citations.Final(numbering, Sources, [new SourceQuote(3, 0, 27), new SourceQuote(1, 18, 35)]);
        var a = Assert.Single(cited);
        Assert.Equal((1, "dA", 28, 227), (a.N, a.DocumentId, a.Start, a.End));
        Assert.Equal([new QuoteSpan(28, 45), new QuoteSpan(200, 227)], a.Quotes);
        Assert.Equal("Alpha tides fall. Gamma stars shine brightly.", a.Snippet);
        Assert.Equal([new QuoteSpan(Sources[0].Start, Sources[0].End), new QuoteSpan(Sources[2].Start, Sources[2].End)], a.Passages);
    }

    [Fact]
    public void AModelsSentenceIsLocatedInItsSourceOrQuotesNothing()
    {
        var numbering = new CitationNumbering(Sources);
        numbering.Push("The alpha tides fall [1]. Something unrelated entirely [2].");
        var cited = Citations.Final(numbering, Sources, null);
        Assert.Equal([new QuoteSpan(28, 45)], cited[0].Quotes);
        Assert.Equal((28, 45), (cited[0].Start, cited[0].End));
        // No sentence of source 2 holds half its words: no quote, and the citation spans the passage.
        Assert.Empty(cited[1].Quotes);
        Assert.Equal((0, 17, 3), (cited[1].Start, cited[1].End, cited[1].Page));
        // Each citation's passages are those its marks named, located or not.
        Assert.Equal([new QuoteSpan(Sources[0].Start, Sources[0].End)], cited[0].Passages);
        Assert.Equal([new QuoteSpan(Sources[1].Start, Sources[1].End)], cited[1].Passages);
    }
}
