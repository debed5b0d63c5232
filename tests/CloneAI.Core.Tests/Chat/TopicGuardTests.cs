using CloneAI.Core.Chat;
using CloneAI.Core.Domain;

namespace CloneAI.Core.Tests.Chat;

public sealed class TopicGuardTests
{
    private static Clone Clone(string tone = "friendly", string tagline = "Tides, planets and the birth of stars", string category = "science") => new()
    {
        Id = "c1", Slug = "ada", OwnerId = "o1", Name = "Ada Lumen", Tagline = tagline, Category = category,
        Persona = new Persona { Tone = tone, TopicsToAvoid = ["politics"] },
    };

    [Theory]
    [InlineData("What do you think about politics?")]
    [InlineData("Let's talk politics for a moment")]
    [InlineData("POLITICS: any views?")]
    public void AQuestionThatNamesTheTopicIsAboutIt(string question) =>
        Assert.Equal("politics", TopicGuard.Avoided(["politics"], question));

    [Theory]
    [InlineData("What is the political history of astronomy?")]
    [InlineData("Which politicians looked through a telescope?")]
    [InlineData("How does the Moon cause the tides?")]
    public void AWordDerivedFromTheTopicOrAnotherSubjectIsNot(string question) =>
        Assert.Null(TopicGuard.Avoided(["politics"], question));

    [Fact]
    public void InflectionsMeetButEveryWordOfATopicMustBeThere()
    {
        Assert.Equal("horoscopes", TopicGuard.Avoided(["horoscopes"], "Can you read my horoscope?"));
        Assert.Equal("gambling", TopicGuard.Avoided(["gambling"], "Should I gamble on the next eclipse?"));
        Assert.Equal("betting", TopicGuard.Avoided(["betting"], "What odds would you bet on?"));
        Assert.Equal("my personal life", TopicGuard.Avoided(["my personal life"], "Tell me about your personal life."));
        Assert.Null(TopicGuard.Avoided(["my personal life"], "What is the life cycle of a star?"));
        Assert.Null(TopicGuard.Avoided(["medical advice"], "Is this medical telescope expensive?"));
    }

    [Fact]
    public void OneEntryMayListSeveralTopicsAndFramingWordsDoNotCount()
    {
        Assert.Equal("religion", TopicGuard.Avoided(["politics, religion"], "Is religion at odds with cosmology?"));
        Assert.Equal("questions about astrology", TopicGuard.Avoided(["questions about astrology"], "Is astrology real?"));
        Assert.Null(TopicGuard.Avoided(["questions about astrology"], "Any questions about Mars?"));
        Assert.Null(TopicGuard.Avoided([], "Is astrology real?"));
        Assert.Null(TopicGuard.Avoided(["the", "  "], "Is the Moon real?"));
    }

    [Fact]
    public void TheRefusalIsInTheClonesToneAndNamesWhatItCanHelpWith()
    {
        Assert.Equal(
            "Thanks for asking, but politics is something I don't discuss here. I'm glad to help with this instead: Tides, planets and the birth of stars.",
            TopicGuard.Decline(Clone(), "politics"));
        Assert.Equal("I don't discuss politics. Ask me about this instead: Tides, planets and the birth of stars.", TopicGuard.Decline(Clone("direct"), "politics"));
        Assert.StartsWith("Politics falls outside what I address here.", TopicGuard.Decline(Clone("academic"), "politics"), StringComparison.Ordinal);
        // Without a tagline, the category says what the clone covers.
        Assert.EndsWith("questions about Science & Research.", TopicGuard.Decline(Clone("professional", tagline: ""), "politics"), StringComparison.Ordinal);
        Assert.All(Tones.All, tone => Assert.Contains("politics", TopicGuard.Decline(Clone(tone), "politics"), StringComparison.OrdinalIgnoreCase));
    }
}

public sealed class PersonaFramingTests
{
    private static Clone Clone(string tone, string length = "medium", string id = "c1") => new()
    {
        Id = id, Slug = "ada", OwnerId = "o1", Name = "Ada Lumen", Category = "science", Persona = new Persona { Tone = tone, AnswerLength = length },
    };

    [Fact]
    public void TheLineFollowsTheToneAndTheSameQuestionAlwaysGetsTheSameLine()
    {
        var friendly = PersonaFraming.For(Clone("friendly"), "How are stars born?");
        Assert.Contains(friendly, new[] { "Good question! Here's what my notes say:", "Happy to help. Here's what I have:", "Here's what my notes say:" });
        Assert.Equal(friendly, PersonaFraming.For(Clone("friendly"), "  How are stars born?  "));
        Assert.Contains(PersonaFraming.For(Clone("academic"), "How are stars born?"), new[] { "According to the sources I work from:", "The material I draw on states:", "As my sources put it:" });
        // An unknown tone speaks as the default, friendly one.
        Assert.Equal(friendly, PersonaFraming.For(Clone("grumpy"), "How are stars born?"));
    }

    [Fact]
    public void QuestionsGetVariedLinesThatNeverStateAFact()
    {
        var questions = Enumerable.Range(0, 40).Select(i => $"Question number {i}?").ToList();
        foreach (var tone in new[] { "friendly", "professional", "casual", "academic", "playful" })
        {
            var lines = questions.Select(q => PersonaFraming.For(Clone(tone), q)!).ToList();
            Assert.True(lines.Distinct().Count() > 1, tone + " varies its line");
            Assert.All(lines, l => Assert.EndsWith(":", l, StringComparison.Ordinal));
            Assert.All(lines, l => Assert.True(l.Split(' ').Length <= 8, l));
        }
    }

    [Fact]
    public void ADirectCloneAndAShortAnswerGetNoLine()
    {
        Assert.Null(PersonaFraming.For(Clone("direct"), "How are stars born?"));
        Assert.Null(PersonaFraming.For(Clone("friendly", "short"), "How are stars born?"));
        Assert.NotNull(PersonaFraming.For(Clone("friendly", "long"), "How are stars born?"));
    }
}
