using CloneAI.Core.Errors;

namespace CloneAI.Core.Tests.Errors;

public sealed class ValidatorTests
{
    [Fact]
    public void AValidatorWithNoErrorsDoesNotThrow()
    {
        var v = new Validator().Require("name", "Ada", 10).Optional("bio", null, 5);

        Assert.True(v.IsValid);
        v.ThrowIfInvalid();
    }

    [Fact]
    public void ErrorsAreCollectedPerFieldAndThrownTogether()
    {
        var v = new Validator().Add("name", "first").Add("name", "second").Add("bio", "third");

        var e = Assert.Throws<ValidationException>(v.ThrowIfInvalid);

        Assert.Equal(["first", "second"], e.Errors["name"]);
        Assert.Equal(["third"], e.Errors["bio"]);
    }

    [Theory]
    [InlineData(null, "Required.")]
    [InlineData("   ", "Required.")]
    [InlineData("abcdefghijk", "At most 10 characters.")]
    [InlineData(" a ", "At least 2 characters.")]
    public void RequireChecksPresenceAndLength(string? value, string error)
    {
        var e = Assert.Throws<ValidationException>(new Validator().Require("f", value, 10, 2).ThrowIfInvalid);

        Assert.Equal([error], e.Errors["f"]);
    }

    [Fact]
    public void OptionalAcceptsAbsenceButNotExcess()
    {
        Assert.True(new Validator().Optional("f", null, 3).IsValid);
        Assert.True(new Validator().Optional("f", "abc", 3).IsValid);
        Assert.False(new Validator().Optional("f", "abcd", 3).IsValid);
    }

    public static TheoryData<AppException, int, string> Exceptions => new()
    {
        { new ValidationException("f", "bad"), 400, "https://cloneai.dev/problems/validation-failed" },
        { new UnauthorizedException(), 401, "https://cloneai.dev/problems/unauthorized" },
        { new ForbiddenException(), 403, "https://cloneai.dev/problems/forbidden" },
        { new NotFoundException("x"), 404, "https://cloneai.dev/problems/not-found" },
        { new ConflictException("x"), 409, "https://cloneai.dev/problems/conflict" },
        { new PayloadTooLargeException("x"), 413, "https://cloneai.dev/problems/payload-too-large" },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void EachApplicationErrorHasItsHttpStatusAndAProblemTypeUri(AppException exception, int status, string type)
    {
        Assert.Equal(status, exception.Status);
        Assert.Equal(type, exception.Type);
    }
}
