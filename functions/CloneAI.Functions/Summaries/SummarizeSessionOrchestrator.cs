using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Summaries;

/// <summary>
/// SummarizeSession: write the ended session's summary (once: the store keeps the first), then send its receipt with the
/// summary's highlights. Both activities do I/O and retry; when writing fails for good the receipt still goes out, without
/// highlights. Its instance id is derived from the session's (<see cref="SummaryStarter.InstanceId"/>), so starting it twice is harmless.
/// </summary>
public static class SummarizeSessionOrchestrator
{
    /// <summary>Four tries, 2 s, 4 s then 8 s apart.</summary>
    public static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 4,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2.0));

    [Function(nameof(SummarizeSession))]
    public static async Task<bool> SummarizeSession([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<SummarizeSessionInput>() ?? throw new InvalidOperationException("SummarizeSession needs a SummarizeSessionInput.");
        var logger = context.CreateReplaySafeLogger(nameof(SummarizeSession));
        var written = false;
        try
        {
            written = await context.CallActivityAsync<bool>(nameof(SummaryActivities.WriteSessionSummary), input, Retry);
        }
        catch (TaskFailedException e)
        {
            logger.LogWarning("The summary of session {SessionId} could not be written: {Error}", input.SessionId, e.FailureDetails.ErrorMessage);
        }
        if (input.SendReceipt) await context.CallActivityAsync(nameof(SummaryActivities.SendSessionReceipt), input, Retry);
        return written;
    }
}

/// <summary>The session to summarize, and whether the orchestration sends its receipt afterwards.</summary>
public sealed record SummarizeSessionInput(string SessionId, bool SendReceipt = true);
