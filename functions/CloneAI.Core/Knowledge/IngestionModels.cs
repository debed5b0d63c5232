namespace CloneAI.Core.Knowledge;

/// <summary>What the orchestration and each activity get: which document, and which ingestion generation of it.</summary>
public sealed record IngestionInput(string CloneId, string DocumentId, int Generation)
{
    public string InstanceId => $"ingest-{DocumentId}-g{Generation}";
}

public sealed record EmbedBatchInput(string CloneId, string DocumentId, int Generation, int Batch);

public sealed record ChunkResult(int ChunkCount, int BatchCount, int TokenCount);

public sealed record FailureInput(string CloneId, string DocumentId, int Generation, string Reason);

/// <summary>Outcome of an orchestration: the final status and, when failed, why.</summary>
public sealed record IngestionResult(string Status, int ChunkCount, string? Error);

/// <summary>An activity's failure that retrying cannot fix (a corrupt file): the orchestration stops retrying at once.</summary>
public sealed class PermanentIngestionException(string reason) : Exception(reason);
