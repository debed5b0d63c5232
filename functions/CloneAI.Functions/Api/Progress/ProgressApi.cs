using CloneAI.Core.Progress;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Progress;

/// <summary>
/// The signed-in user's checklist with a clone: goals from their memory and action items from their session summaries, which
/// they tick. Only the user reads or ticks their own: there is no route to anyone else's, admins included.
/// </summary>
public sealed class ProgressApi(RequestAuth auth, ProgressService progress, ILogger<ProgressApi> logger)
{
    [Function(nameof(GetProgress))]
    [ApiDoc("My checklist with a clone: goals from memory and action items from session summaries, ticked or not", Tag = "Progress", Access = "signed in (your own only)", Auth = ApiAuth.Required,
        Description = "Items are oldest first; done and open count them. Goals are the clone's and the shared ones in your memory; action items come from your summaries of sessions with the clone.")]
    [Query<ProgressQuery>]
    [Returns<ProgressDto>]
    public Task<IActionResult> GetProgress(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/progress")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<ProgressQuery>(req.Query);
            return new OkObjectResult(ProgressDto.From(await progress.ChecklistAsync(caller.UserId, query.CloneId, cancellationToken)));
        });

    [Function(nameof(SetProgress))]
    [ApiDoc("Tick or untick an item of my checklist with a clone", Tag = "Progress", Access = "signed in (your own only)", Auth = ApiAuth.Required)]
    [Accepts<SetProgressRequest>]
    [Returns<ProgressItemDto>]
    public Task<IActionResult> SetProgress(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "me/progress/{itemId}")] HttpRequest req, string itemId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<SetProgressRequest>(req, cancellationToken);
            var item = await progress.SetDoneAsync(caller.UserId, itemId, body.CloneId, body.Done, cancellationToken);
            return new OkObjectResult(ProgressItemDto.From(item));
        });
}
