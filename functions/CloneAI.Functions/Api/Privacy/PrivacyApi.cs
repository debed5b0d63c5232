using CloneAI.Core.Privacy;
using CloneAI.Functions.Http;
using CloneAI.Functions.Privacy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using CloneAI.Core.UserData;

namespace CloneAI.Functions.Api.Privacy;

/// <summary>Your data: export it (a zip built in the background, its link emailed), delete the account, and the terms' version.</summary>
public sealed class PrivacyApi(RequestAuth auth, DataExports exports, AccountDeletion deletion, TimeProvider time, ILogger<PrivacyApi> logger)
{
    [Function(nameof(RequestExport))]
    [ApiDoc("Export my data: a zip of every section, built in the background; its link is emailed", Tag = "Your data", Access = "signed in", Auth = ApiAuth.Required,
        Description = "While an export is being built, asking again returns that export. The zip holds profile, clones (with the original documents under files/), sessions with messages and citations, ratings, memories, summaries, preferences, progress and the ledger, each as {name}.json.")]
    [Returns<DataExportDto>(202, "Being built (or already being built)")]
    public Task<IActionResult> RequestExport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "me/export")] HttpRequest req,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var (export, _) = await exports.RequestAsync(caller, cancellationToken);
            // Started either way: a start of a running export is harmless, and one whose start failed gets it now.
            await ExportStarter.StartAsync(client, export, logger, cancellationToken);
            req.HttpContext.Response.Headers.CacheControl = "no-store";
            return new ObjectResult(DataExportDto.From(export, time.GetUtcNow())) { StatusCode = 202 };
        });

    [Function(nameof(ListExports))]
    [ApiDoc("My data exports, newest first, with their status", Tag = "Your data", Access = "signed in", Auth = ApiAuth.Required)]
    [Returns<DataExportList>]
    public Task<IActionResult> ListExports(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/exports")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var list = await exports.ListAsync(caller, cancellationToken);
            req.HttpContext.Response.Headers.CacheControl = "no-store";
            return new OkObjectResult(new DataExportList(list.Select(e => DataExportDto.From(e, time.GetUtcNow())).ToList()));
        });

    [Function(nameof(DownloadExport))]
    [ApiDoc("Download a ready export: with the emailed link's token, or signed in as its owner", Tag = "Your data", Access = "the link's holder, or the owner signed in", Auth = ApiAuth.Optional, Errors = [404],
        Description = "The link works until the export expires; a wrong token, someone else's export or an expired one is 404.")]
    [Query<DownloadQuery>]
    [ReturnsFile("application/zip")]
    public Task<IActionResult> DownloadExport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/exports/{exportId}/download")] HttpRequest req, string exportId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.TryGetCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<DownloadQuery>(req.Query);
            var file = query.Token is { Length: > 0 } token
                ? await exports.DownloadAsync(exportId, token, caller?.UserId, cancellationToken)
                : caller is not null ? await exports.DownloadOwnAsync(caller, exportId, cancellationToken)
                : throw new Core.Errors.UnauthorizedException("Use the emailed link, or sign in.");
            req.HttpContext.Response.Headers.CacheControl = "no-store";
            return new FileContentResult(file.Data, "application/zip") { FileDownloadName = file.FileName };
        });

    [Function(nameof(DeleteMe))]
    [ApiDoc("Delete my account and my data", Tag = "Your data", Access = "signed in", Auth = ApiAuth.Required, Errors = [400, 403, 429],
        Description = "Local accounts send their password again (wrong: a field error on password; too many wrong ones: 429 with Retry-After). Entra accounts need a sign-in from the last minutes (Privacy:RecentSignInMinutes), else 403 …/sign-in-again. "
            + "Everything goes: profile, avatar, sign-ins, sessions and messages, summaries, memories, preferences, progress, clones with their documents, files and index. Money records that must be kept (ledger, top-ups, payouts, usage) stay under a pseudonym. Other users' conversations with your clones stay theirs; the clone shows as deleted.")]
    [Accepts<DeleteAccountRequest>]
    [ReturnsEmpty(204, "Deleted")]
    public Task<IActionResult> DeleteMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "me")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            if (deletion.UsesPassword)
            {
                var body = req.ContentLength is 0 ? new DeleteAccountRequest(null) : await RequestBody.ReadAsync<DeleteAccountRequest>(req, cancellationToken);
                await deletion.VerifyPasswordAsync(caller, body.Password, cancellationToken);
            }
            else
            {
                deletion.VerifyRecentSignIn(await SignedInAtAsync(req));
            }
            await deletion.DeleteAsync(caller, CancellationToken.None);
            return new NoContentResult();
        });

    [Function(nameof(GetTerms))]
    [ApiDoc("The current version of the terms of service and privacy notice", Tag = "Your data")]
    [Returns<TermsDto>]
    public IActionResult GetTerms(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "terms")] HttpRequest req) => new OkObjectResult(new TermsDto(Terms.CurrentVersion));

    /// <summary>When the user last signed in: the token's <c>auth_time</c> (seconds since 1970), or null when it has none.</summary>
    private static async Task<DateTimeOffset?> SignedInAtAsync(HttpRequest req)
    {
        var result = await req.HttpContext.AuthenticateAsync(RequestAuth.Scheme);
        var value = result.Principal?.FindFirst("auth_time")?.Value;
        return long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }
}
