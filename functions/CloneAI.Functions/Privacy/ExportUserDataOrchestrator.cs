using CloneAI.Core.Privacy;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Privacy;

/// <summary>
/// ExportUserData: build the zip (every exporter), then email its link. Both activities do I/O and retry; when building fails
/// for good the export is marked failed (the user can ask again). Its instance id is the export's
/// (<see cref="ExportStarter.InstanceId"/>), so starting it twice is harmless, and both steps are idempotent.
/// </summary>
public static class ExportUserDataOrchestrator
{
    /// <summary>Four tries, 2 s, 4 s then 8 s apart.</summary>
    public static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 4,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2.0));

    [Function(nameof(ExportUserData))]
    public static async Task<bool> ExportUserData([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<ExportUserDataInput>() ?? throw new InvalidOperationException("ExportUserData needs an ExportUserDataInput.");
        var logger = context.CreateReplaySafeLogger(nameof(ExportUserData));
        try
        {
            await context.CallActivityAsync(nameof(ExportActivities.BuildUserDataExport), input, Retry);
        }
        catch (TaskFailedException e)
        {
            logger.LogWarning("Export {ExportId} could not be built: {Error}", input.ExportId, e.FailureDetails.ErrorMessage);
            await context.CallActivityAsync(nameof(ExportActivities.FailUserDataExport), input, Retry);
            return false;
        }
        await context.CallActivityAsync(nameof(ExportActivities.SendUserDataExportLink), input, Retry);
        return true;
    }
}

/// <summary>The export to build, and whose it is.</summary>
public sealed record ExportUserDataInput(string UserId, string ExportId);

/// <summary>The activities of ExportUserData; each hands off to <see cref="DataExports"/>, whose steps are idempotent.</summary>
public sealed class ExportActivities(DataExports exports)
{
    [Function(nameof(BuildUserDataExport))]
    public Task BuildUserDataExport([ActivityTrigger] ExportUserDataInput input, CancellationToken cancellationToken) =>
        exports.BuildAsync(input.UserId, input.ExportId, cancellationToken);

    [Function(nameof(FailUserDataExport))]
    public Task FailUserDataExport([ActivityTrigger] ExportUserDataInput input, CancellationToken cancellationToken) =>
        exports.FailAsync(input.UserId, input.ExportId, cancellationToken);

    [Function(nameof(SendUserDataExportLink))]
    public Task SendUserDataExportLink([ActivityTrigger] ExportUserDataInput input, CancellationToken cancellationToken) =>
        exports.SendLinkAsync(input.UserId, input.ExportId, cancellationToken);
}

/// <summary>Starts ExportUserData for one export; its instance id is the export's, so a second start is harmless.</summary>
public static class ExportStarter
{
    public static string InstanceId(string exportId) => $"export-{exportId}";

    public static async Task StartAsync(DurableTaskClient client, DataExport export, ILogger logger, CancellationToken cancellationToken)
    {
        var id = InstanceId(export.Id);
        try
        {
            var existing = await client.GetInstanceAsync(id, cancellationToken);
            if (existing is not null && existing.RuntimeStatus is not (OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated or OrchestrationRuntimeStatus.Completed))
                return;
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(ExportUserDataOrchestrator.ExportUserData), new ExportUserDataInput(export.UserId, export.Id),
                new StartOrchestrationOptions { InstanceId = id }, cancellationToken);
            logger.LogInformation("Started {Instance}", id);
        }
        catch (Exception e) when (DurableStarts.IsAlreadyStarted(e))
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not start export {ExportId}; the timer tries again", export.Id);
        }
    }
}

/// <summary>
/// Every minute: carry on with exports a crash (or a failed start) left unfinished, finish account deletions a crash cut short,
/// and delete the zips of expired exports. The local host also does the first two at start (PrivacyResumer).
/// </summary>
public sealed class PrivacyTimer(DataExports exports, AccountDeletion deletion, ILogger<PrivacyTimer> logger)
{
    public const string Schedule = "0 */1 * * * *";

    [Function(nameof(RunPrivacyChores))]
    public async Task RunPrivacyChores([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        await deletion.FinishPendingAsync(TimeSpan.FromMinutes(5), cancellationToken);
        foreach (var export in await exports.UnfinishedAsync(cancellationToken))
            await ExportStarter.StartAsync(client, export, logger, cancellationToken);
        var purged = await exports.PurgeExpiredAsync(cancellationToken);
        if (purged > 0) logger.LogInformation("Deleted {Count} expired data exports", purged);
    }
}
