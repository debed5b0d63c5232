using CloneAI.Core.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Tests.Accounts;

/// <summary>Core's password hashes are ASP.NET Core Identity's: each side verifies the other's, and weaker hashes ask for a rehash.</summary>
public sealed class PasswordHashesTests
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public void AHashOfOursIsCurrentForTheIdentityHasher()
    {
        var hash = PasswordHashes.Hash(Password);
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<string>().VerifyHashedPassword("u", hash, Password));
        Assert.Equal(PasswordVerificationResult.Failed, new PasswordHasher<string>().VerifyHashedPassword("u", hash, Password + "!"));
        Assert.NotEqual(hash, PasswordHashes.Hash(Password));
    }

    [Fact]
    public void AHashOfTheIdentityHasherVerifies()
    {
        var hash = new PasswordHasher<string>().HashPassword("u", Password);
        Assert.Equal(PasswordCheck.Success, PasswordHashes.Verify(hash, Password));
        Assert.Equal(PasswordCheck.Failed, PasswordHashes.Verify(hash, "wrong password"));
    }

    [Theory]
    [InlineData(PasswordHasherCompatibilityMode.IdentityV2, 1000)]
    [InlineData(PasswordHasherCompatibilityMode.IdentityV3, 10_000)]
    public void AWeakerHashVerifiesAndAsksForARehash(PasswordHasherCompatibilityMode mode, int iterations)
    {
        var hash = new PasswordHasher<string>(Options.Create(new PasswordHasherOptions { CompatibilityMode = mode, IterationCount = iterations })).HashPassword("u", Password);
        Assert.Equal(PasswordCheck.SuccessRehashNeeded, PasswordHashes.Verify(hash, Password));
        Assert.Equal(PasswordCheck.Failed, PasswordHashes.Verify(hash, "wrong password"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AQ==")]
    [InlineData("Ag==")]
    public void AMalformedHashNeverVerifies(string hash) => Assert.Equal(PasswordCheck.Failed, PasswordHashes.Verify(hash, Password));
}
