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
    IUploadUrlIssuer? uploadUrls = null)
{
    [Function(nameof(UploadDocuments))]
    [ApiDoc("Upload one or many files (multipart field 'files'; PDF, DOCX, TXT, MD, HTML); each starts an ingestion. A file already in the clone (same SHA-256) returns the existing document", Tag = "Knowledge", Access = "owner or admin", Body = "multipart/form-data: files, tags", Returns = "201 {items: Document[]}")]
    public Task<IActionResult> UploadDocuments(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/documents")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (caller, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            limiter.Acquire(RatePolicies.Upload, caller.UserId);
            if (!req.HasFormContentType) throw new ValidationException("files", "Send the files as multipart/form-data in the field 'files'.");
            var limit = options.Value.MaxFileBytes;
            if (req.ContentLength > limit * options.Value.MaxFilesPerUpload + 1024 * 1024)
                throw new PayloadTooLargeException($"Upload at most {options.Value.MaxFilesPerUpload} files of {limit / 1024 / 1024} MB each.");
            IFormCollection form;
            try
            {
                form = await req.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit * options.Value.MaxFilesPerUpload + 1024 * 1024, ValueCountLimit = 100 }, cancellationToken);
            }
            catch (InvalidDataException e)
            {
                throw new ValidationException("files", "The upload could not be read: " + e.Message);
            }
            var files = new List<IncomingFile>();
            foreach (var file in form.Files)
            {
                if (file.Length > limit) throw new PayloadTooLargeException($"'{FileTypes.SanitizeFileName(file.FileName)}' is larger than {limit / 1024 / 1024} MB.");
                using var buffer = new MemoryStream((int)file.Length);
                await file.CopyToAsync(buffer, cancellationToken);
                files.Add(new IncomingFile(file.FileName, buffer.ToArray()));
            }
            var tags = SplitTags(form["tags"]);
            var added = await knowledge.AddFilesAsync(clone, caller.UserId, files, tags, cancellationToken);
            var status = added.All(a => a.Duplicate) ? 200 : 201;
            return new ObjectResult(new { items = added.Select(a => DocumentDto.From(a.Document, a.Duplicate)).ToList() }) { StatusCode = status };
        });

    [Function(nameof(ImportUrl))]
    [ApiDoc("Fetch an http(s) page and keep its main text as a document", Tag = "Knowledge", Access = "owner or admin", Body = "{url, tags?}", Returns = "201 Document")]
    public Task<IActionResult> ImportUrl(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/documents/import-url")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (caller, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            limiter.Acquire(RatePolicies.Upload, caller.UserId);
            var body = await RequestBody.ReadJsonAsync(req, cancellationToken);
            var url = body.String("url");
            var tags = body.StringList("tags") ?? [];
            body.ThrowIfInvalid();
            var page = await importer.FetchAsync(url, cancellationToken);
            var added = await knowledge.AddOneAsync(clone, caller.UserId, page.FileName, page.Kind, page.Data, tags, page.Url, cancellationToken);
            return new ObjectResult(DocumentDto.From(added.Document, added.Duplicate)) { StatusCode = added.Duplicate ? 200 : 201 };
        });

    [Function(nameof(CreateUploadUrl))]
    [ApiDoc("Azure only: a short-lived SAS URL to PUT one file to directly, and its document id; the blob trigger starts ingestion", Tag = "Knowledge", Access = "owner or admin", Body = "{fileName, size, tags?}", Returns = "201 {documentId, uploadUrl, expiresAt, document}")]
    public Task<IActionResult> CreateUploadUrl(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/documents/upload-url")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (caller, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            limiter.Acquire(RatePolicies.Upload, caller.UserId);
            if (uploadUrls is null)
                throw new NotFoundException("Direct uploads by SAS URL exist only in Azure. Here, POST the files to /api/clones/{id}/documents.");
            var body = await RequestBody.ReadJsonAsync(req, cancellationToken);
            var fileName = body.String("fileName");
            var size = body.Long("size");
            var tags = body.StringList("tags") ?? [];
            body.ThrowIfInvalid();
            var ticket = await uploadUrls.IssueAsync(clone, caller.UserId, fileName, size, tags, cancellationToken);
            return new ObjectResult(new { documentId = ticket.Document.Id, uploadUrl = ticket.UploadUrl, expiresAt = ticket.ExpiresAt, document = DocumentDto.From(ticket.Document) }) { StatusCode = 201 };
        });

    [Function(nameof(ListDocuments))]
    [ApiDoc("The clone's documents, newest first. Query: status, tag, pageSize, continuationToken", Tag = "Knowledge", Access = "owner or admin", Returns = "{items: Document[], continuationToken}")]
    public Task<IActionResult> ListDocuments(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}/documents")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            var q = new QueryReader(req.Query);
            var filter = new DocumentFilter(q.String("status"), q.String("tag"), q.Int("pageSize") ?? 50, q.String("continuationToken"));
            q.ThrowIfInvalid();
            var page = await knowledge.ListAsync(clone.Id, filter, cancellationToken);
            return new OkObjectResult(new { items = page.Items.Select(d => DocumentDto.From(d)).ToList(), continuationToken = page.ContinuationToken });
        });

    [Function(nameof(GetDocument))]
    [ApiDoc("One document with its summary, chunk and token counts, and error", Tag = "Knowledge", Access = "owner or admin", Returns = "Document")]
    public Task<IActionResult> GetDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}/documents/{docId}")] HttpRequest req, string id, string docId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            return new OkObjectResult(DocumentDto.From(await knowledge.GetAsync(clone.Id, docId, cancellationToken)));
        });

    [Function(nameof(UpdateDocument))]
    [ApiDoc("Change a document's title, tags or category", Tag = "Knowledge", Access = "owner or admin", Body = "{title?, tags?, category?}", Returns = "Document")]
    public Task<IActionResult> UpdateDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "clones/{id}/documents/{docId}")] HttpRequest req, string id, string docId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            var body = await RequestBody.ReadJsonAsync(req, cancellationToken);
            var patch = new DocumentPatch(body.String("title"), body.StringList("tags"), body.String("category"), body.IsNull("category"));
            body.ThrowIfInvalid();
            return new OkObjectResult(DocumentDto.From(await knowledge.UpdateAsync(clone.Id, docId, patch, cancellationToken)));
        });

    [Function(nameof(DeleteDocument))]
    [ApiDoc("Delete a document: its record, original file, extracted text and chunks", Tag = "Knowledge", Access = "owner or admin", Returns = "204")]
    public Task<IActionResult> DeleteDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "clones/{id}/documents/{docId}")] HttpRequest req, string id, string docId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            await knowledge.DeleteAsync(clone.Id, docId, cancellationToken);
            return new NoContentResult();
        });

    [Function(nameof(ReindexDocument))]
    [ApiDoc("Process a document again (for example after a change of embedding model)", Tag = "Knowledge", Access = "owner or admin", Returns = "202 Document")]
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
    [ApiDoc("Delete, re-index or tag many documents: {action: delete|reindex|tag, documentIds, tags?}", Tag = "Knowledge", Access = "owner or admin", Body = "{action, documentIds, tags?}", Returns = "{succeeded, failed: [{id, error}]}")]
    public Task<IActionResult> BulkDocuments(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "clones/{id}/documents/bulk")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            var body = await RequestBody.ReadJsonAsync(req, cancellationToken);
            var action = body.String("action");
            var ids = body.StringList("documentIds");
            var tags = body.StringList("tags");
            body.ThrowIfInvalid();
            var v = new Validator();
            if (action is not ("delete" or "reindex" or "tag")) v.Add("action", "Use delete, reindex or tag.");
            if (ids is null || ids.Count == 0) v.Add("documentIds", "Name at least one document.");
            else if (ids.Count > 100) v.Add("documentIds", "At most 100 documents at once.");
            if (action == "tag" && tags is null) v.Add("tags", "Give the tags to set.");
            v.ThrowIfInvalid();

            var succeeded = new List<string>();
            var failed = new List<object>();
            foreach (var docId in ids!.Distinct(StringComparer.Ordinal))
            {
                try
                {
                    switch (action)
                    {
                        case "delete":
                            await knowledge.DeleteAsync(clone.Id, docId, cancellationToken);
                            break;
                        case "reindex":
                            var (_, input) = await knowledge.PrepareReindexAsync(clone.Id, docId, cancellationToken);
                            await IngestionStarter.StartAsync(client, input, logger, cancellationToken);
                            break;
                        default:
                            await knowledge.UpdateAsync(clone.Id, docId, new DocumentPatch(null, tags, null), cancellationToken);
                            break;
                    }
                    succeeded.Add(docId);
                }
                catch (AppException e)
                {
                    failed.Add(new { id = docId, error = e.Message });
                }
            }
            return new OkObjectResult(new { succeeded, failed });
        });

    [Function(nameof(GetDocumentText))]
    [ApiDoc("The extracted text of a document, or the range start..end of it (at most 20,000 characters)", Tag = "Knowledge", Access = "owner or admin", Returns = "{documentId, start, end, totalLength, text, page}")]
    public Task<IActionResult> GetDocumentText(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}/documents/{docId}/text")] HttpRequest req, string id, string docId, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            var q = new QueryReader(req.Query);
            var (start, end) = (q.Int("start"), q.Int("end"));
            q.ThrowIfInvalid();
            return new OkObjectResult(await knowledge.GetTextAsync(clone.Id, docId, start, end, cancellationToken));
        });

    [Function(nameof(KnowledgeStats))]
    [ApiDoc("Counts of documents, chunks and tokens, and whether the index needs a re-index for the current embedding model", Tag = "Knowledge", Access = "owner or admin", Returns = "KnowledgeStats")]
    public Task<IActionResult> KnowledgeStats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}/knowledge/stats")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            var view = await knowledge.GetStatsAsync(clone.Id, cancellationToken);
            var s = view.Stats;
            return new OkObjectResult(new
            {
                documents = s.Documents, ready = s.Ready, processing = s.Processing, failed = s.Failed,
                chunks = s.Chunks, tokens = s.Tokens, bytes = s.Bytes,
                currentModel = view.CurrentModel, indexedModels = view.IndexedModels, needsReindex = view.NeedsReindex,
            });
        });

    [Function(nameof(SearchKnowledge))]
    [ApiDoc("Search exactly what the clone will draw on. Query: q, top, mode=hybrid|keyword|vector", Tag = "Knowledge", Access = "owner or admin", Returns = "{items: [{documentId, fileName, title, chunkId, text, start, end, page, score}], mode}")]
    public Task<IActionResult> SearchKnowledge(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clones/{id}/knowledge/search")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var (_, clone) = await ManagedCloneAsync(req, id, cancellationToken);
            var q = new QueryReader(req.Query);
            var (text, top, mode) = (q.String("q"), q.Int("top"), q.String("mode"));
            q.ThrowIfInvalid();
            var hits = await knowledge.SearchAsync(clone.Id, text, top, mode, cancellationToken);
            return new OkObjectResult(new
            {
                items = hits.Select(h => new { h.DocumentId, h.FileName, h.Title, h.ChunkId, h.Text, h.Start, h.End, h.Page, h.HeadingPath, Score = Math.Round(h.Score, 6) }).ToList(),
                mode = mode ?? SearchModes.Hybrid,
            });
        });

    private async Task<(Caller Caller, Clone Clone)> ManagedCloneAsync(HttpRequest req, string id, CancellationToken cancellationToken)
    {
        var caller = await auth.RequireCallerAsync(req, cancellationToken);
        return (caller, await clones.GetManagedAsync(caller, id, cancellationToken));
    }

    private static List<string> SplitTags(Microsoft.Extensions.Primitives.StringValues values) =>
        values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
