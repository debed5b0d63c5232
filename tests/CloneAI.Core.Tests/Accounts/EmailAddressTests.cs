using CloneAI.Core.Domain;

namespace CloneAI.Core.Tests.Accounts;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("  alice@example.com  ")]
    [InlineData("first.last+tag@mail.example.co.uk")]
    [InlineData("ALICE@EXAMPLE.COM")]
    public void ARegularAddressIsValid(string email)
    {
        Assert.True(EmailAddress.IsValid(email));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("alice")]
    [InlineData("alice@")]
    [InlineData("@example.com")]
    [InlineData("alice@localhost")]
    [InlineData("alice@example.com.")]
    [InlineData("alice@.example.com")]
    [InlineData("alice@example..com")]
    [InlineData("alice@@example.com")]
    [InlineData("alice smith@example.com")]
    [InlineData("Alice <alice@example.com>")]
    [InlineData("\"alice\"@example.com")]
    [InlineData("alice@example.com,bob@example.com")]
    [InlineData("alice@example.com;bob@example.com")]
    [InlineData("alice@exa\nmple.com")]
    public void AMalformedAddressIsInvalid(string? email)
    {
        Assert.False(EmailAddress.IsValid(email));
    }

    [Fact]
    public void AnAddressLongerThan254CharactersIsInvalid()
    {
        var local = new string('a', 64);
        var domain = string.Join('.', Enumerable.Repeat(new string('d', 60), 4)) + ".com"; // 247 characters
        Assert.False(EmailAddress.IsValid($"{local}@{domain}"));
    }

    [Fact]
    public void NormalizingTrimsAndLowercases()
    {
        Assert.Equal("alice@example.com", EmailAddress.Normalize("  Alice@Example.COM "));
    }
}
