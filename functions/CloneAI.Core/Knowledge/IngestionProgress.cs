using CloneAI.Core.Errors;
using CloneAI.Core.Realtime;
using Microsoft.Extensions.Logging;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// The document record an ingestion run works on: read at the run's generation only (a stale run after a delete or re-index
/// sees nothing), changed with retries when a parallel activity wrote first, and every change pushed to the creator's pages.
/// </summary>
public sealed class IngestionProgress(IDocumentStore documents, TimeProvider time, ILogger logger, IRealtimeHub? hub = null)
{
    /// <summary>The document, when it still exists at the input's generation; null for a stale run.</summary>
    public async Task<KnowledgeDocument?> CurrentAsync(IngestionInput input, CancellationToken cancellationToken = default)
    {
        var doc = await documents.GetAsync(input.CloneId, input.DocumentId, cancellationToken);
        return doc is not null && doc.Generation == input.Generation ? doc : null;
    }

    /// <summary>Applies a change to the current generation of the document, retrying when a parallel activity wrote first.</summary>
    public async Task<KnowledgeDocument?> UpdateAsync(IngestionInput input, Func<KnowledgeDocument, KnowledgeDocument> change, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var doc = await CurrentAsync(input, cancellationToken);
            if (doc is null) return null;
            try
            {
                var stored = await documents.ReplaceAsync(change(doc) with { UpdatedAt = time.GetUtcNow() }, cancellationToken);
                await PushProgressAsync(stored, cancellationToken);
                return stored;
            }
            catch (ConflictException) when (attempt < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5 * (attempt + 1)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Tells the creator's open pages (the realtime group <c>user-{ownerId}</c>) where the document is. Best effort: the stored
    /// document is the record, and pages that miss a frame still poll it.
    /// </summary>
    private async Task PushProgressAsync(KnowledgeDocument doc, CancellationToken cancellationToken)
    {
        if (hub is null) return;
        try
        {
            await hub.SendToGroupAsync(RealtimeGroups.User(doc.OwnerId), DocumentFrame.From(doc), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not push the progress of document {DocumentId}", doc.Id);
        }
    }

    /// <summary>The stage timings with <paramref name="stage"/> set to (or, with <paramref name="add"/>, increased by) <paramref name="seconds"/>.</summary>
    public static Dictionary<string, double> WithStageSeconds(IReadOnlyDictionary<string, double> current, string stage, double seconds, bool add = false)
    {
        var copy = new Dictionary<string, double>(current, StringComparer.Ordinal);
        copy[stage] = Math.Round((add && copy.TryGetValue(stage, out var existing) ? existing : 0) + seconds, 3);
        return copy;
    }
}

/// <summary>Where a document's ingestion stands, pushed to its owner's realtime group (<c>user-{ownerId}</c>) as each stage is stored.</summary>
public sealed record DocumentFrame(string Type, string CloneId, string DocumentId, string Status, string Stage, int Progress, int ChunkCount, string? Error)
{
    public static DocumentFrame From(KnowledgeDocument doc) =>
        new("document", doc.CloneId, doc.Id, doc.Status, doc.Stage, doc.Progress, doc.ChunkCount, doc.Error);
}
