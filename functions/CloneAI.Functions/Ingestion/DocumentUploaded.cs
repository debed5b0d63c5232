using CloneAI.Core.Knowledge;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Ingestion;

/// <summary>
/// A document's original landed at knowledge/{cloneId}/{documentId}/{fileName}: start its ingestion. In Azure this is an Event
/// Grid blob trigger (the only blob trigger Flex Consumption runs); the local host calls the same method when its blob store
/// writes under knowledge/.
/// </summary>
public sealed class DocumentUploaded(KnowledgeService knowledge, ILogger<DocumentUploaded> logger)
{
    public const string BlobPath = Core.Names.BlobContainer + "/knowledge/{cloneId}/{documentId}/{fileName}";

    [Function(nameof(OnDocumentUploaded))]
    public async Task OnDocumentUploaded(
        [BlobTrigger(BlobPath, Source = BlobTriggerSource.EventGrid, Connection = "KnowledgeStorage")] Stream content,
        string cloneId,
        string documentId,
        string fileName,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var input = await knowledge.PendingIngestionAsync(cloneId, documentId, cancellationToken);
        if (input is null)
        {
            logger.LogInformation("Blob {File} of document {DocumentId} needs no ingestion (unknown or finished)", fileName, documentId);
            return;
        }
        await IngestionStarter.StartAsync(client, input, logger, cancellationToken);
    }
}
