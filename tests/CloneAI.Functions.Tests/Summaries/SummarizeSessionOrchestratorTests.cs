using CloneAI.Functions.Summaries;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloneAI.Functions.Tests.Summaries;

/// <summary>The control flow of SummarizeSession against a mocked orchestration context.</summary>
public sealed class SummarizeSessionOrchestratorTests
{
    private static (Mock<TaskOrchestrationContext> Context, List<string> Calls) Context(bool writeFails)
    {
        var context = new Mock<TaskOrchestrationContext>();
        var calls = new List<string>();
        context.Setup(c => c.GetInput<SummarizeSessionInput>()).Returns(new SummarizeSessionInput("s1"));
        context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<string>())).Returns(NullLogger.Instance);
        context.Setup(c => c.CallActivityAsync<bool>(It.IsAny<TaskName>(), It.IsAny<object>(), It.IsAny<TaskOptions>()))
            .Returns((TaskName n, object _, TaskOptions _) =>
            {
                calls.Add(n.Name);
                return writeFails
                    ? Task.FromException<bool>(new TaskFailedException(n.Name, 1, new TaskFailureDetails(typeof(TimeoutException).FullName!, "the store timed out", null, null, null)))
                    : Task.FromResult(true);
            });
        context.Setup(c => c.CallActivityAsync(It.IsAny<TaskName>(), It.IsAny<object>(), It.IsAny<TaskOptions>()))
            .Returns((TaskName n, object _, TaskOptions _) =>
            {
                calls.Add(n.Name);
                return Task.CompletedTask;
            });
        return (context, calls);
    }

    [Fact]
    public async Task TheSummaryIsWrittenThenTheReceiptSentBothWithRetries()
    {
        var (context, calls) = Context(writeFails: false);
        Assert.True(await SummarizeSessionOrchestrator.SummarizeSession(context.Object));
        Assert.Equal([nameof(SummaryActivities.WriteSessionSummary), nameof(SummaryActivities.SendSessionReceipt)], calls);
        context.Verify(c => c.CallActivityAsync<bool>(It.IsAny<TaskName>(), It.Is<SummarizeSessionInput>(i => i.SessionId == "s1"),
            It.Is<TaskOptions>(o => o.Retry != null && o.Retry.Policy != null && o.Retry.Policy.MaxNumberOfAttempts == 4)), Times.Once);
        context.Verify(c => c.CallActivityAsync(It.IsAny<TaskName>(), It.IsAny<object>(), It.Is<TaskOptions>(o => o.Retry != null)), Times.Once);
    }

    [Fact]
    public async Task WhenWritingFailsForGoodTheReceiptStillGoesOut()
    {
        var (context, calls) = Context(writeFails: true);
        Assert.False(await SummarizeSessionOrchestrator.SummarizeSession(context.Object));
        Assert.Equal([nameof(SummaryActivities.WriteSessionSummary), nameof(SummaryActivities.SendSessionReceipt)], calls);
    }

    [Fact]
    public void TheInstanceIdIsDerivedFromTheSession() => Assert.Equal("summary-abc", SummaryStarter.InstanceId("abc"));
}
