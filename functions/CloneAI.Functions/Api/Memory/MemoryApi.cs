using CloneAI.Core.Memory;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Memory;

/// <summary>
/// Your memory: what clones remember about you (see, add, edit, delete), and your per-clone settings (memory on or off, a style
/// override). Only you: no one else, a clone's creator or an admin, reads it.
/// </summary>
public sealed class MemoryApi(RequestAuth auth, MemoryService memory, ILogger<MemoryApi> logger)
{
    [Function(nameof(ListMemories))]
    [ApiDoc("What clones remember about you, oldest first", Tag = "Memory", Access = "signed in; your own only", Auth = ApiAuth.Required,
        Description = "Items are preferences, goals and facts taken from what you wrote (or added by you). With cloneId: that clone's items and the shared ones.")]
    [Query<MemoryQuery>]
    [Returns<MemoryList>]
    public Task<IActionResult> ListMemories(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/memories")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<MemoryQuery>(req.Query);
            var items = await memory.ListAsync(caller, query.CloneId, cancellationToken);
            return new OkObjectResult(new MemoryList(items.Select(MemoryItemDto.From).ToList()));
        });

    [Function(nameof(AddMemory))]
    [ApiDoc("Add something for clones to remember", Tag = "Memory", Access = "signed in; your own only", Auth = ApiAuth.Required, Errors = [404, 409])]
    [Accepts<AddMemoryRequest>]
    [Returns<MemoryItemDto>(201, "Remembered")]
    [Returns<MemoryItemDto>(200, "Already remembered in the same words (in the same scope): that item, unchanged")]
    public Task<IActionResult> AddMemory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/memories")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<AddMemoryRequest>(req, cancellationToken);
            var (item, created) = await memory.AddAsync(caller, body.Kind, body.Text, body.CloneId, cancellationToken);
            return new ObjectResult(MemoryItemDto.From(item)) { StatusCode = created ? 201 : 200 };
        });

    [Function(nameof(UpdateMemory))]
    [ApiDoc("Change a memory item's text or kind", Tag = "Memory", Access = "signed in; your own only", Auth = ApiAuth.Required, Errors = [404, 409])]
    [Accepts<UpdateMemoryRequest>]
    [Returns<MemoryItemDto>]
    public Task<IActionResult> UpdateMemory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "me/memories/{memoryId}")] HttpRequest req, string memoryId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<UpdateMemoryRequest>(req, cancellationToken);
            return new OkObjectResult(MemoryItemDto.From(await memory.UpdateAsync(caller, memoryId, body.Text, body.Kind, cancellationToken)));
        });

    [Function(nameof(DeleteMemory))]
    [ApiDoc("Forget a memory item", Tag = "Memory", Access = "signed in; your own only", Auth = ApiAuth.Required, Errors = [404])]
    [ReturnsEmpty(204, "Forgotten")]
    public Task<IActionResult> DeleteMemory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "me/memories/{memoryId}")] HttpRequest req, string memoryId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            await memory.DeleteAsync(caller, memoryId, cancellationToken);
            return new NoContentResult();
        });

    [Function(nameof(GetCloneSettings))]
    [ApiDoc("Your settings for a clone: memory on or off, style override", Tag = "Memory", Access = "signed in; a clone you can open", Auth = ApiAuth.Required, Errors = [404])]
    [Returns<CloneSettingsDto>]
    public Task<IActionResult> GetCloneSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/clone-settings/{id}")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            return new OkObjectResult(CloneSettingsDto.From(await memory.GetSettingsAsync(caller, id, cancellationToken)));
        });

    [Function(nameof(PutCloneSettings))]
    [ApiDoc("Replace your settings for a clone", Tag = "Memory", Access = "signed in; a clone you can open", Auth = ApiAuth.Required, Errors = [404],
        Description = "memoryEnabled false: the clone extracts nothing from your messages and uses nothing remembered (greeting, prompt); what is stored stays until you delete it. style overrides your profile's communication style for this clone.")]
    [Accepts<PutCloneSettingsRequest>]
    [Returns<CloneSettingsDto>]
    public Task<IActionResult> PutCloneSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "me/clone-settings/{id}")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var body = await RequestBody.ReadAsync<PutCloneSettingsRequest>(req, cancellationToken);
            return new OkObjectResult(CloneSettingsDto.From(await memory.PutSettingsAsync(caller, id, body.MemoryEnabled, body.Style?.ToStyle(), cancellationToken)));
        });
}
