namespace CloneAI.Core.Knowledge;

/// <summary>
/// Blob paths of a document: the original under <c>knowledge/</c> (the blob trigger watches it), and the intermediate results
/// of one ingestion generation under <c>work/</c>, named deterministically so a retried activity overwrites, never duplicates.
/// </summary>
public static class WorkFiles
{
    public const string KnowledgePrefix = "knowledge/";

    public static string Original(string cloneId, string documentId, string fileName) => $"knowledge/{cloneId}/{documentId}/{fileName}";

    public static string Folder(string cloneId, string documentId) => $"work/{cloneId}/{documentId}";

    public static string Extracted(string cloneId, string documentId) => $"extracted/{cloneId}/{documentId}/text.json";

    public static string Chunks(string cloneId, string documentId, int generation) => $"{Folder(cloneId, documentId)}/g{generation}/chunks.json";

    public static string Vectors(string cloneId, string documentId, int generation, int batch) => $"{Folder(cloneId, documentId)}/g{generation}/vectors-{batch:D4}.bin";
}
