using System.Text.Json;
using CloneAI.Core.Errors;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Tests.Http;

public sealed class RespondTests
{
    private readonly Mock<ILogger> _logger = new();

    [Fact]
    public async Task AnUnexpectedExceptionIsA500ThatDoesNotCarryTheExceptionMessage()
    {
        var result = await Respond.Run(_logger.Object, () => throw new InvalidOperationException("Server=db;Password=hunter2"));

        var problem = Results.Problem(result, 500);
        var json = JsonSerializer.Serialize(((ObjectResult)result).Value);
        Assert.DoesNotContain("hunter2", json, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", json, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", problem.Detail, StringComparison.Ordinal);
        _logger.Verify(l => l.Log(LogLevel.Error, It.IsAny<EventId>(), It.IsAny<It.IsAnyType>(),
            It.Is<Exception>(e => e.Message.Contains("hunter2")), It.IsAny<Func<It.IsAnyType, Exception?, string>>()), Times.Once);
    }

    [Fact]
    public async Task AnApplicationErrorBecomesAProblemWithItsStatusAndMessage()
    {
        var result = await Respond.Run(_logger.Object, () => throw new ConflictException("That slug is taken."));

        var problem = Results.Problem(result, 409);
        Assert.Equal(("Conflict", "That slug is taken."), (problem.Title, problem.Detail));
        _logger.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task AValidationErrorBecomesAValidationProblemWithItsFields()
    {
        var result = await Respond.Run(_logger.Object, () => throw new ValidationException("name", "Required."));

        var errors = Results.ValidationErrors(result, "name");
        Assert.Equal(["Required."], errors["name"]);
    }

    [Fact]
    public async Task ACancelledRequestIsA499()
    {
        var result = await Respond.Run(_logger.Object, () => throw new OperationCanceledException());

        Results.Problem(result, 499);
    }

    [Fact]
    public async Task ASuccessfulBodyIsReturnedAsItIs()
    {
        var ok = new OkObjectResult("fine");

        Assert.Same(ok, await Respond.Run(_logger.Object, () => Task.FromResult<IActionResult>(ok)));
    }

    [Fact]
    public void AProblemCreatedWithErrorsIsAValidationProblem()
    {
        var result = Problems.Create(422, "Bad thing", "Explained.", new Dictionary<string, string[]> { ["x"] = ["y"] });

        var problem = Assert.IsType<Problem>(result.Value);
        Assert.Equal("https://cloneai.dev/problems/bad-thing", problem.Type);
        Assert.Equal(["y"], problem.Errors!["x"]);
        Assert.Contains(Problems.ContentType, result.ContentTypes);
    }
}
