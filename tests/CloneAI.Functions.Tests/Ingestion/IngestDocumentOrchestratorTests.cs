using CloneAI.Core.Knowledge;
using CloneAI.Functions.Ingestion;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloneAI.Functions.Tests.Ingestion;

/// <summary>The control flow of IngestDocument against a mocked orchestration context.</summary>
public sealed class IngestDocumentOrchestratorTests
{
    private static readonly IngestionInput Input = new("clone-1", "doc-1", 2);

    private static (Mock<TaskOrchestrationContext> Context, List<string> Calls) Context(int batches, string? failing = null, Type? failure = null)
    {
        var context = new Mock<TaskOrchestrationContext>();
        var calls = new List<string>();
        context.Setup(c => c.GetInput<IngestionInput>()).Returns(Input);
        context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<string>())).Returns(NullLogger.Instance);

        Task<T> Call<T>(TaskName name, T result)
        {
            calls.Add(name.Name);
            if (name.Name == failing)
            {
                var details = new TaskFailureDetails((failure ?? typeof(InvalidOperationException)).FullName!, "the file is corrupt", null, null, null);
                return Task.FromException<T>(new TaskFailedException(name.Name, 1, details));
            }
            return Task.FromResult(result);
        }

        context.Setup(c => c.CallActivityAsync(It.IsAny<TaskName>(), It.IsAny<object>(), It.IsAny<TaskOptions>()))
            .Returns((TaskName n, object _, TaskOptions _) => Call<object>(n, null!));
        context.Setup(c => c.CallActivityAsync<ChunkResult>(It.IsAny<TaskName>(), It.IsAny<object>(), It.IsAny<TaskOptions>()))
            .Returns((TaskName n, object _, TaskOptions _) => Call(n, new ChunkResult(batches * 10, batches, 1000)));
        context.Setup(c => c.CallActivityAsync<int>(It.IsAny<TaskName>(), It.IsAny<object>(), It.IsAny<TaskOptions>()))
            .Returns((TaskName n, object _, TaskOptions _) => Call(n, 10));
        context.Setup(c => c.CallActivityAsync<IngestionResult>(It.IsAny<TaskName>(), It.IsAny<object>(), It.IsAny<TaskOptions>()))
            .Returns((TaskName n, object i, TaskOptions _) => Call(n, n.Name == nameof(IngestionActivities.FailIngestion)
                ? new IngestionResult(DocumentStatus.Failed, 0, ((FailureInput)i).Reason)
                : new IngestionResult(DocumentStatus.Ready, batches * 10, null)));
        return (context, calls);
    }

    [Fact]
    public async Task ActivitiesRunInOrderAndEmbeddingFansOutOverEveryBatch()
    {
        var (context, calls) = Context(batches: 3);
        var result = await IngestDocumentOrchestrator.IngestDocument(context.Object);
        Assert.Equal(DocumentStatus.Ready, result.Status);
        Assert.Equal(
            [nameof(IngestionActivities.ExtractText), nameof(IngestionActivities.ChunkText), "EmbedBatch", "EmbedBatch", "EmbedBatch",
             nameof(IngestionActivities.IndexChunks), nameof(IngestionActivities.SummarizeDocument), nameof(IngestionActivities.CompleteIngestion)],
            calls);
        context.Verify(c => c.CallActivityAsync<int>(It.Is<TaskName>(n => n.Name == "EmbedBatch"),
            It.Is<EmbedBatchRequest>(r => r.Document == Input && r.BatchCount == 3), It.IsAny<TaskOptions>()), Times.Exactly(3));
    }

    [Fact]
    public async Task EveryActivityCallCarriesTheRetryPolicy()
    {
        var (context, _) = Context(batches: 1);
        await IngestDocumentOrchestrator.IngestDocument(context.Object);
        context.Verify(c => c.CallActivityAsync(It.IsAny<TaskName>(), It.IsAny<object>(),
            It.Is<TaskOptions>(o => o.Retry != null && o.Retry.Policy != null && o.Retry.Policy.MaxNumberOfAttempts == 3)), Times.AtLeast(3));
        context.Verify(c => c.CallActivityAsync<ChunkResult>(It.IsAny<TaskName>(), It.IsAny<object>(), It.Is<TaskOptions>(o => o.Retry != null)), Times.Once);
    }

    [Fact]
    public async Task APermanentFailureEndsFailedWithTheHumanReasonAndSkipsTheRest()
    {
        var (context, calls) = Context(batches: 2, failing: nameof(IngestionActivities.ExtractText), failure: typeof(PermanentIngestionException));
        var result = await IngestDocumentOrchestrator.IngestDocument(context.Object);
        Assert.Equal(DocumentStatus.Failed, result.Status);
        Assert.Equal("the file is corrupt", result.Error);
        Assert.Equal([nameof(IngestionActivities.ExtractText), nameof(IngestionActivities.FailIngestion)], calls);
    }

    [Fact]
    public async Task AnUnexpectedFailureEndsFailedWithoutLeakingItsMessage()
    {
        var (context, calls) = Context(batches: 2, failing: nameof(IngestionActivities.IndexChunks));
        var result = await IngestDocumentOrchestrator.IngestDocument(context.Object);
        Assert.Equal(DocumentStatus.Failed, result.Status);
        Assert.DoesNotContain("the file is corrupt", result.Error!, StringComparison.Ordinal);
        Assert.Contains("several attempts", result.Error!, StringComparison.Ordinal);
        Assert.Equal(nameof(IngestionActivities.FailIngestion), calls[^1]);
    }

    [Fact]
    public void ThePermanentFailureIsExcludedFromRetries()
    {
        Assert.NotNull(IngestDocumentOrchestrator.Retry.Retry?.Policy);
        Assert.False(IngestDocumentOrchestrator.IsRetryable(new TaskFailureDetails(typeof(PermanentIngestionException).FullName!, "bad file", null, null, null)));
        Assert.True(IngestDocumentOrchestrator.IsRetryable(new TaskFailureDetails(typeof(TimeoutException).FullName!, "slow", null, null, null)));
    }
}
