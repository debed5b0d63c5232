using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Limits;
using CloneAI.Functions.Http;
using CloneAI.Functions.Ingestion;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Functions.Api.Knowledge;

/// <summary>A clone's knowledge base: upload, import, list, change, delete, re-index, read text, stats and search. Owner or admin only.</summary>
public sealed class DocumentsApi(
    RequestAuth auth,
    CloneService clones,
    KnowledgeService knowledge,
    WebPageImporter importer,
    IOptions<KnowledgeOptions> options,
    ILogger<DocumentsApi> logger,
    UserRateLimiter limiter,
    EmbeddingBudget budget,
    IUploadUrlIssuer? uploadUrls = null)
{
    private const string EmbeddingBudgetNote =
        "Processing a document (upload, import, re-index) counts its text against the clone owner's daily budget, `RateLimits:EmbeddingCharactersPerDay` characters per UTC day: " +
        "once it is used up, these requests get 429 with Retry-After up to 00:00 UTC and a message saying when it resets.";

    [Function(nameof(UploadDocuments))]
    [ApiDoc("Upload one or many files (PDF, DOCX, TXT, MD, HTML); each starts an ingestion. A file already in the clone (same SHA-256) returns the existing document", Tag = "Knowledge", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [400, 403, 413, 429],
        Description = EmbeddingBudgetNote)]
    [AcceptsFiles("files", true, TextFields = ["tags"])]
    [Returns<DocumentList>(201, "At least one new document")]
    [Returns<DocumentList>(200, "Every file was already in the clone")]
    public Task<IActionResult> UploadDocuments(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/documents")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (caller, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            await limiter.AcquireAsync(RatePolicies.Upload, caller.UserId, cancellationToken);
            await budget.EnsureAvailableAsync(clone.OwnerId, cancellationToken);
            var (files, tags) = await Uploads.ReadFilesAsync(req, options.Value.MaxFileBytes, options.Value.MaxFilesPerUpload, cancellationToken);
            var added = await knowledge.AddFilesAsync(clone, caller.UserId, files, tags, cancellationToken);
            var status = added.All(a => a.Duplicate) ? 200 : 201;
            return new ObjectResult(new DocumentList(added.Select(a => DocumentDto.From(a.Document, a.Duplicate)).ToList())) { StatusCode = status };
        });

    [Function(nameof(ImportUrl))]
    [ApiDoc("Fetch an http(s) page and keep its main text as a document", Tag = "Knowledge", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403, 413, 429])]
    [Accepts<ImportUrlRequest>]
    [Returns<DocumentDto>(201, "A new document")]
    [Returns<DocumentDto>(200, "The clone already had this page's text")]
    public Task<IActionResult> ImportUrl(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/documents/import-url")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (caller, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            await limiter.AcquireAsync(RatePolicies.Upload, caller.UserId, cancellationToken);
            await budget.EnsureAvailableAsync(clone.OwnerId, cancellationToken);
            var body = await RequestBody.ReadAsync<ImportUrlRequest>(req, cancellationToken);
            var page = await importer.FetchAsync(body.Url, cancellationToken);
            var added = await knowledge.AddOneAsync(clone, caller.UserId, page.FileName, page.Kind, page.Data, body.Tags ?? [], page.Url, cancellationToken);
            return new ObjectResult(DocumentDto.From(added.Document, added.Duplicate)) { StatusCode = added.Duplicate ? 200 : 201 };
        });

    [Function(nameof(CreateUploadUrl))]
    [ApiDoc("Azure only: a short-lived SAS URL to PUT one file to directly, and its document id; the blob trigger starts ingestion", Tag = "Knowledge", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403, 413, 429])]
    [Accepts<UploadUrlRequest>]
    [Returns<UploadUrlIssued>(201)]
    public Task<IActionResult> CreateUploadUrl(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/documents/upload-url")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (caller, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            await limiter.AcquireAsync(RatePolicies.Upload, caller.UserId, cancellationToken);
            await budget.EnsureAvailableAsync(clone.OwnerId, cancellationToken);
            if (uploadUrls is null)
                throw new NotFoundException("Direct uploads by SAS URL exist only in Azure. Here, POST the files to /api/clones/{id}/documents.");
            var body = await RequestBody.ReadAsync<UploadUrlRequest>(req, cancellationToken);
            var ticket = await uploadUrls.IssueAsync(clone, caller.UserId, body.FileName, body.Size, body.Tags ?? [], cancellationToken);
            return new ObjectResult(new UploadUrlIssued(ticket.Document.Id, ticket.UploadUrl, ticket.ExpiresAt, DocumentDto.From(ticket.Document))) { StatusCode = 201 };
        });

    [Function(nameof(ListDocuments))]
    [ApiDoc("The clone's documents, newest first", Tag = "Knowledge", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403])]
    [Query<DocumentQuery>]
    [Returns<DocumentPage>]
    public Task<IActionResult> ListDocuments(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}/documents")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            var filter = QueryReader.Read<DocumentQuery>(req.Query).ToFilter();
            var page = await knowledge.ListAsync(clone.Id, filter, cancellationToken);
            return new OkObjectResult(new DocumentPage(page.Items.Select(d => DocumentDto.From(d)).ToList(), page.ContinuationToken));
        });

    [Function(nameof(GetDocument))]
    [ApiDoc("One document with its summary, chunk and token counts, and error", Tag = "Knowledge", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403])]
    [Returns<DocumentDto>]
    public Task<IActionResult> GetDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}/documents/{docId}")] HttpRequest req, string id, string docId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            return new OkObjectResult(DocumentDto.From(await knowledge.GetAsync(clone.Id, docId, cancellationToken)));
        });

    [Function(nameof(UpdateDocument))]
    [ApiDoc("Change a document's title, tags or category", Tag = "Knowledge", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403, 409])]
    [Accepts<UpdateDocumentRequest>]
    [Returns<DocumentDto>]
    public Task<IActionResult> UpdateDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "clones/{id}/documents/{docId}")] HttpRequest req, string id, string docId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            var (body, nulls) = await RequestBody.ReadWithNullsAsync<UpdateDocumentRequest>(req, cancellationToken);
            var patch = new DocumentPatch(body.Title, body.Tags, body.Category, nulls.Contains("category"));
            return new OkObjectResult(DocumentDto.From(await knowledge.UpdateAsync(clone.Id, docId, patch, cancellationToken)));
        });

    [Function(nameof(DeleteDocument))]
    [ApiDoc("Delete a document: its record, original file, extracted text and chunks", Tag = "Knowledge", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403])]
    [ReturnsEmpty(204, "Deleted")]
    public Task<IActionResult> DeleteDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "clones/{id}/documents/{docId}")] HttpRequest req, string id, string docId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            await knowledge.DeleteAsync(clone.Id, docId, cancellationToken);
            return new NoContentResult();
        });

    [Function(nameof(ReindexDocument))]
    [ApiDoc("Process a document again (for example after a change of embedding model)", Tag = "Knowledge", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403, 409, 429],
        Description = "409 while the document is being processed; 429 (with Retry-After) within `RateLimits:ReindexCooldownMinutes` of its last re-index, and when the owner's embedding budget for the day is used up. " + EmbeddingBudgetNote)]
    [Returns<DocumentDto>(202, "Ingestion started again")]
    public Task<IActionResult> ReindexDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/documents/{docId}/reindex")] HttpRequest req, string id, string docId,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            var (document, input) = await knowledge.PrepareReindexAsync(clone.Id, docId, cancellationToken);
            await IngestionStarter.StartAsync(client, input, logger, cancellationToken);
            return new ObjectResult(DocumentDto.From(document)) { StatusCode = 202 };
        });

    [Function(nameof(BulkDocuments))]
    [ApiDoc("Delete, re-index or tag many documents; each one succeeds or fails on its own", Tag = "Knowledge", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403])]
    [Accepts<BulkDocumentsRequest>]
    [Returns<BulkResult>]
    public Task<IActionResult> BulkDocuments(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/documents/bulk")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            var body = await RequestBody.ReadAsync<BulkDocumentsRequest>(req, cancellationToken);
            return new OkObjectResult(await RunBulkAsync(clone.Id, body, client, cancellationToken));
        });

    [Function(nameof(GetDocumentText))]
    [ApiDoc("The extracted text of a document, or the range start..end of it (at most 20,000 characters)", Tag = "Knowledge", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403, 409])]
    [Query<TextRangeQuery>]
    [Returns<DocumentTextSlice>]
    public Task<IActionResult> GetDocumentText(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}/documents/{docId}/text")] HttpRequest req, string id, string docId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            var range = QueryReader.Read<TextRangeQuery>(req.Query);
            return new OkObjectResult(await knowledge.GetTextAsync(clone.Id, docId, range.Start, range.End, cancellationToken));
        });

    [Function(nameof(KnowledgeStats))]
    [ApiDoc("Counts of documents, chunks and tokens, and whether the index needs a re-index for the current embedding model", Tag = "Knowledge", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403])]
    [Returns<KnowledgeStatsDto>]
    public Task<IActionResult> KnowledgeStats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}/knowledge/stats")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            return new OkObjectResult(KnowledgeStatsDto.From(await knowledge.GetStatsAsync(clone.Id, cancellationToken)));
        });

    [Function(nameof(SearchKnowledge))]
    [ApiDoc("Search exactly what the clone will draw on", Tag = "Knowledge", Access = "owner or admin", Auth = ApiAuth.Required, Errors = [403, 409])]
    [Query<KnowledgeSearchQuery>]
    [Returns<KnowledgeSearchResult>]
    public Task<IActionResult> SearchKnowledge(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}/knowledge/search")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            var q = QueryReader.Read<KnowledgeSearchQuery>(req.Query);
            var hits = await knowledge.SearchAsync(clone.Id, q.Q, q.Top, q.Mode, cancellationToken);
            return new OkObjectResult(new KnowledgeSearchResult(hits.Select(KnowledgeSearchHit.From).ToList(), q.Mode ?? SearchModes.Hybrid));
        });

    /// <summary>Each document of a bulk request on its own: one that fails is reported and the rest go on.</summary>
    private async Task<BulkResult> RunBulkAsync(string cloneId, BulkDocumentsRequest body, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (action, ids, tags) = (body.Action, body.DocumentIds, body.Tags);
        var v = new Validator();
        if (action is not ("delete" or "reindex" or "tag")) v.Add("action", "Use delete, reindex or tag.");
        if (ids is null || ids.Count == 0) v.Add("documentIds", "Name at least one document.");
        else if (ids.Count > 100) v.Add("documentIds", "At most 100 documents at once.");
        if (action == "tag" && tags is null) v.Add("tags", "Give the tags to set.");
        v.ThrowIfInvalid();

        var succeeded = new List<string>();
        var failed = new List<BulkFailure>();
        foreach (var docId in ids!.Distinct(StringComparer.Ordinal))
        {
            try
            {
                switch (action)
                {
                    case "delete":
                        await knowledge.DeleteAsync(cloneId, docId, cancellationToken);
                        break;
                    case "reindex":
                        var (_, input) = await knowledge.PrepareReindexAsync(cloneId, docId, cancellationToken);
                        await IngestionStarter.StartAsync(client, input, logger, cancellationToken);
                        break;
                    default:
                        await knowledge.UpdateAsync(cloneId, docId, new DocumentPatch(null, tags, null), cancellationToken);
                        break;
                }
                succeeded.Add(docId);
            }
            catch (AppException e)
            {
                failed.Add(new BulkFailure(docId, e.Message));
            }
        }
        return new BulkResult(succeeded, failed);
    }

    private async Task<(Caller Caller, Clone Clone)> ManagedCloneAsync(HttpRequest req, string id, CancellationToken cancellationToken)
    {
        var caller = await auth.RequireCallerAsync(req, cancellationToken);
        return (caller, await clones.GetManagedAsync(caller, id, cancellationToken));
    }

}
