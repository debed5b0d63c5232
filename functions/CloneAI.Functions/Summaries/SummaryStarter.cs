using CloneAI.Core.Chat;
using CloneAI.Core.Summaries;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Summaries;

/// <summary>Starts SummarizeSession for one session; its instance id is the session's, so a second start is harmless.</summary>
public static class SummaryStarter
{
    public static string InstanceId(string sessionId) => $"summary-{sessionId}";

    /// <summary>True when the orchestration runs (started now, or already there); false when it could not be started.</summary>
    public static async Task<bool> StartAsync(DurableTaskClient client, string sessionId, ILogger logger, CancellationToken cancellationToken)
    {
        var id = InstanceId(sessionId);
        try
        {
            var existing = await client.GetInstanceAsync(id, cancellationToken);
            if (existing is not null && existing.RuntimeStatus is not (OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated))
                return true;
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(SummarizeSessionOrchestrator.SummarizeSession), new SummarizeSessionInput(sessionId),
                new StartOrchestrationOptions { InstanceId = id }, cancellationToken);
            logger.LogInformation("Started {Instance}", id);
            return true;
        }
        catch (Exception e) when (DurableStarts.IsAlreadyStarted(e))
        {
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not start the summary of session {SessionId}", sessionId);
            return false;
        }
    }

}

/// <summary>
/// Where the host has a <see cref="DurableTaskClient"/> to hand (the local host): an ended session that wants a summary starts
/// SummarizeSession at once, which then sends the receipt. When it cannot be started, the receipt goes out at once, and the
/// resume starts the summary later.
/// </summary>
public sealed class StartingSessionEndObserver(DurableTaskClient client, ILogger<StartingSessionEndObserver> logger) : ISessionEndObserver
{
    public async Task<bool> SessionEndedAsync(ChatSession ended, CancellationToken cancellationToken = default) =>
        SessionSummaries.Wanted(ended) && await SummaryStarter.StartAsync(client, ended.Id, logger, CancellationToken.None);
}
