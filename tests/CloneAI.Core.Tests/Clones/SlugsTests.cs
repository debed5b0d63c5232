using CloneAI.Core.Clones;

namespace CloneAI.Core.Tests.Clones;

public sealed class SlugsTests
{
    [Theory]
    [InlineData("Ada Lovelace", "ada-lovelace")]
    [InlineData("  Hello,   World!!  ", "hello-world")]
    [InlineData("Café Crème", "cafe-creme")]
    [InlineData("Zoë Ångström", "zoe-angstrom")]
    [InlineData("Ωmega Tutor", "mega-tutor")]
    [InlineData("<script>alert(1)</script>", "script-alert-1-script")]
    [InlineData("C# & .NET -- 101", "c-net-101")]
    [InlineData("北京导游", "clone")]
    [InlineData("AI", "clone-ai")]
    [InlineData("!!!", "clone")]
    public void ASlugFromANameIsLowercaseAsciiWithSingleDashes(string name, string expected)
    {
        var slug = Slugs.FromName(name);

        Assert.Equal(expected, slug);
        Assert.True(Slugs.IsValid(slug));
    }

    [Fact]
    public void ASlugFromALongNameLeavesRoomForASuffixAndDoesNotEndInADash()
    {
        var slug = Slugs.FromName(string.Join(' ', Enumerable.Repeat("word", 30)));

        Assert.True(slug.Length <= Slugs.MaxLength - 7, slug);
        Assert.False(slug.EndsWith('-'));
        Assert.True(Slugs.IsValid(slug + "-abcdef"));
    }

    [Theory]
    [InlineData("abc", true)]
    [InlineData("ada-lovelace-2", true)]
    [InlineData("ab", false)]
    [InlineData("-abc", false)]
    [InlineData("abc-", false)]
    [InlineData("a--b", false)]
    [InlineData("Abc", false)]
    [InlineData("a_b_c", false)]
    [InlineData("café", false)]
    public void OnlyLowercaseLettersDigitsAndSingleInnerDashesAreValid(string slug, bool valid)
    {
        Assert.Equal(valid, Slugs.IsValid(slug));
    }

    [Fact]
    public void ASlugCanBeSixtyCharactersButNotSixtyOne()
    {
        Assert.True(Slugs.IsValid(new string('a', 60)));
        Assert.False(Slugs.IsValid(new string('a', 61)));
    }
}
